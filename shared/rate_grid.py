"""A rate shared by every instance: an even grid of time slots booked in the store.

Slot ``k`` is the moment ``k * interval`` (epoch seconds). Whoever takes a slot may act at
that moment and no one else may, so however many instances share the grid, no span of
``n * interval`` seconds holds more than ``n`` actions: the rate is kept exactly, not on
average. The slots are grouped in buckets of ``per_bucket`` consecutive slots, and a bucket's
slots are spread over ``SHARDS`` documents ``<collection>/<key><bucket>:<shard>`` (shard ``s``
holds the bucket's slots ``s, s + SHARDS, …``), each taken in a transaction of the store's
port: Firestore in the cloud, SQLite locally, the same code.

``take(at, latest)`` books the earliest free slot at or after ``at``. The common case, an idle
grid, costs one transaction (the first slot's own shard); when that slot is gone it reads the
bucket's shards and tries them, earliest free slot first, moving on bucket by bucket. A slot
whose moment would pass ``latest`` is never taken. A document takes at most
``per_bucket / SHARDS`` writes in its life, which keeps each under Firestore's sustained rate
of about one write a second per document for any per-bucket count up to a few dozen.
Documents carry ``expire_at`` (``keep`` seconds on) for the TTL policy. Decision 0113.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from shared.models import iso
from shared.ports import EXPIRE_AT, Document, DocumentStore

SHARDS = 5
KEEP = 3600.0  # seconds a slot document is kept (Firestore's TTL policy removes it after)
_MAX_BUCKETS = 100_000  # buckets tried for one booking before giving up (a bug, not a state)


class SlotGrid:
    def __init__(self, store: DocumentStore, collection: str, *, interval: float,
                 per_bucket: int, key: str = "", keep: float = KEEP) -> None:
        if interval <= 0 or per_bucket < 1:
            raise ValueError("a slot grid needs a positive interval and per_bucket >= 1")
        self.store, self.collection, self.key = store, collection, key
        self.interval, self.per_bucket, self.keep = interval, per_bucket, keep

    def take(self, at: float, latest: float = math.inf) -> float | None:
        """The moment of the earliest free slot at or after ``at``, now taken; None when
        every slot up to ``latest`` is taken (nothing is booked then)."""
        first = max(0, math.ceil(at / self.interval - 1e-9))
        if first * self.interval > latest:
            return None
        bucket, position = divmod(first, self.per_bucket)
        if self._take(bucket, position % SHARDS, position, exact=True,
                      latest=latest) is not None:
            return first * self.interval
        for _ in range(_MAX_BUCKETS):
            if bucket * self.per_bucket * self.interval > latest:
                return None
            for shard in self._shards_by_earliest(bucket, position):
                slot = self._take(bucket, shard, position, exact=False, latest=latest)
                if slot is not None:
                    return (bucket * self.per_bucket + slot) * self.interval
            bucket, position = bucket + 1, 0
        raise RuntimeError("no free slot found")  # pragma: no cover - a bug, not a state

    def _doc_id(self, bucket: int, shard: int) -> str:
        return f"{self.key}{bucket}:{shard}"

    def _free(self, doc: Document | None, shard: int, position: int) -> list[int]:
        """A shard's free positions >= ``position`` in its bucket."""
        used = set((doc or {}).get("used", []))
        return [p for p in range(shard, self.per_bucket, SHARDS) if p >= position
                and p not in used]

    def _shards_by_earliest(self, bucket: int, position: int) -> list[int]:
        """The bucket's shards with a free slot >= ``position``, earliest first (read outside
        a transaction: only an order to try them in)."""
        earliest = []
        for shard in range(min(SHARDS, self.per_bucket)):
            doc = self.store.get(self.collection, self._doc_id(bucket, shard))
            free = self._free(doc, shard, position)
            if free:
                earliest.append((free[0], shard))
        return [shard for _, shard in sorted(earliest)]

    def _take(self, bucket: int, shard: int, position: int, *, exact: bool,
              latest: float) -> int | None:
        """The shard's earliest free position >= ``position`` (only ``position`` itself when
        ``exact``), taken in a transaction; None when there is none by ``latest``."""
        taken: dict[str, int | None] = {"slot": None}
        base = bucket * self.per_bucket

        def change(doc: Document | None) -> Document | None:
            free = self._free(doc, shard, position)
            slot = free[0] if free else None
            if slot is not None and ((exact and slot != position)
                                     or (base + slot) * self.interval > latest):
                slot = None
            taken["slot"] = slot
            if slot is None:
                return None
            used = sorted([*(doc or {}).get("used", []), slot])
            return {"used": used, EXPIRE_AT: self._expiry(base * self.interval)}

        self.store.transact(self.collection, self._doc_id(bucket, shard), change)
        return taken["slot"]

    def _expiry(self, moment: float) -> str:
        return iso(datetime.fromtimestamp(max(0.0, moment) + self.keep, UTC))
