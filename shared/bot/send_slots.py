"""Send slots shared by every notifier instance: Telegram's limits counted in the store.

``SendSlots.reserve(chat_id, now)`` books the next moment this bot may send to a chat and
returns how long to wait for it. ``StoreSendSlots`` keeps the booking in the DocumentStore
(Firestore in the cloud, SQLite locally: the same code), so any number of instances share it:

- per chat, ``send_slots/<chat>`` holds ``next``, the earliest time of the chat's next send:
  1 s apart in a private chat, (60 s + margin) / 20 apart in a group, so no minute holds 21;
- overall, the seconds are cut into buckets of ``1 + MARGIN`` s with ``per_second`` slots
  each, spread over ``SHARDS`` documents ``send_budget/<bucket>:<shard>``. Slot ``n`` of a
  bucket is at ``bucket_start + n * (1 + MARGIN) / per_second``: an even grid, so no second
  holds more than ``per_second``. A reservation reads the bucket's shards, takes the earliest free
  slot in a transaction on its shard (another one if that shard filled meanwhile), and moves
  on to the next bucket when all are full.

The two are separate documents (the store's transactions cover one), so a reservation takes
a budget slot first and then asks the chat to accept that time; a chat already booked later
refuses, and the reservation tries again from the chat's ``next``. A refused budget slot stays
unused: the budget can only be under-spent, never over-spent. Contention is bounded: one
budget document takes at most ``per_second / SHARDS`` writes per bucket (Firestore's
sustained rate for one document is about one write a second; the shards keep a bucket's
writes spread). Times are epoch seconds from the caller's clock, so every instance must use
wall time (``send_queue.WallClock``). Decision 0113.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Protocol

from shared.models import iso
from shared.ports import EXPIRE_AT, Document, DocumentStore

CHATS = "send_slots"
BUDGET = "send_budget"
SHARDS = 5
MARGIN = 0.05  # seconds added to every window: Telegram counts arrivals, which jitter
KEEP = 3600.0  # seconds a slot document is kept (Firestore's TTL policy removes it after)
_MAX_TRIES = 1000  # budget documents tried for one reservation before giving up


class SendSlots(Protocol):
    def reserve(self, chat_id: int, now: float) -> float:
        """Book the next send to ``chat_id`` at or after ``now``; returns the seconds to wait."""


class StoreSendSlots:
    def __init__(self, store: DocumentStore, *, per_second: int = 30,
                 chat_interval: float = 1.0, group_per_minute: int = 20,
                 chats: str = CHATS, budget: str = BUDGET) -> None:
        self.store = store
        self.chats, self.budget = chats, budget
        self.per_second = per_second
        self.chat_interval = chat_interval
        self.group_interval = max(chat_interval, (60.0 + MARGIN) / group_per_minute)
        self.bucket = 1.0 + MARGIN

    def reserve(self, chat_id: int, now: float) -> float:
        hint = (self.store.get(self.chats, str(chat_id)) or {}).get("next", now)
        at = max(now, float(hint))
        for _ in range(_MAX_TRIES):
            at = self._budget_slot(at)
            booked = self._book_chat(chat_id, at)
            if booked == at:
                return at - now
            at = booked  # the chat is booked until then: try from there
        raise RuntimeError("no send slot found")  # pragma: no cover - a bug, not a state

    def _budget_slot(self, at: float) -> float:
        """The earliest free slot of the overall budget at or after ``at``, now taken."""
        bucket = math.floor(at / self.bucket)
        for _ in range(_MAX_TRIES):
            start = bucket * self.bucket
            first = max(0, math.ceil((at - start) * self.per_second / self.bucket - 1e-9))
            for shard in self._shards_by_earliest(bucket, first):
                slot = self._take(bucket, shard, first)
                if slot is not None:
                    return start + slot * self.bucket / self.per_second
            bucket, at = bucket + 1, (bucket + 1) * self.bucket
        raise RuntimeError("no budget slot found")  # pragma: no cover

    def _shards_by_earliest(self, bucket: int, first: int) -> list[int]:
        """The bucket's shards with a free slot >= ``first``, earliest free slot first (read
        outside a transaction: only an order to try them in)."""
        earliest = []
        for shard in range(SHARDS):
            free = self._free(self.store.get(self.budget, f"{bucket}:{shard}"), shard, first)
            if free:
                earliest.append((free[0], shard))
        return [shard for _, shard in sorted(earliest)]

    def _free(self, doc: Document | None, shard: int, first: int) -> list[int]:
        """A shard's free slots >= ``first`` (its slots are ``shard, shard + SHARDS, …``)."""
        used = set((doc or {}).get("used", []))
        return [s for s in range(shard, self.per_second, SHARDS) if s >= first and s not in used]

    def _take(self, bucket: int, shard: int, first: int) -> int | None:
        """The shard's earliest free slot >= ``first``, taken in a transaction; None when the
        shard has none left."""
        taken: dict[str, int | None] = {"slot": None}
        start = bucket * self.bucket

        def change(doc: Document | None) -> Document | None:
            free = self._free(doc, shard, first)
            taken["slot"] = free[0] if free else None
            if not free:
                return None
            used = [*(doc or {}).get("used", []), free[0]]
            return {"used": sorted(used), EXPIRE_AT: _expiry(start)}

        self.store.transact(self.budget, f"{bucket}:{shard}", change)
        return taken["slot"]

    def _book_chat(self, chat_id: int, at: float) -> float:
        """Book ``at`` for the chat if it is free then; returns the time booked, or the
        chat's next free time when it is not."""
        interval = self.group_interval if chat_id < 0 else self.chat_interval
        booked = {"at": at}

        def change(doc: Document | None) -> Document | None:
            free = float((doc or {}).get("next", at))
            if free > at:
                booked["at"] = free
                return None
            return {"next": at + interval, EXPIRE_AT: _expiry(at)}

        self.store.transact(self.chats, str(chat_id), change)
        return booked["at"]


def _expiry(moment: float) -> str:
    return iso(datetime.fromtimestamp(max(0.0, moment) + KEEP, UTC))
