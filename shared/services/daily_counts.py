"""Per-day counters in the store, summed over shards (true across instances).

``daily_counts/{name}:{YYYY-MM-DD}:{shard}`` holds ``{"name", "day", <counter>: n, ...}``.
Each instance adds to one of a few shards in a store transaction, so no single document takes
every write (Firestore sustains about one write per second per document), and a reader sums
the day's shards with one equality query. Used for Telegram sends and 429s (the notifier and
the bot), read by the admin's system health.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

from shared.models import iso, utcnow
from shared.ports import Document, DocumentStore

COLLECTION = "daily_counts"
SHARDS = 8


def add(store: DocumentStore, name: str, now: datetime | None = None,
        **counts: int) -> None:
    """Add ``counts`` (e.g. ``sent=1``) to today's counters called ``name``."""
    now = now or utcnow()
    day = now.date().isoformat()
    shard = random.randrange(SHARDS)  # noqa: S311 - spreading writes, not security

    def change(doc: Document | None) -> Document:
        doc = dict(doc or {"name": name, "day": day})
        for key, value in counts.items():
            doc[key] = int(doc.get(key, 0)) + value
        doc["updated_at"] = iso(now)
        return doc

    store.transact(COLLECTION, f"{name}:{day}:{shard}", change)


def totals(store: DocumentStore, name: str, day: str) -> dict[str, int]:
    """Every counter of ``name`` on ``day`` (``YYYY-MM-DD``), summed over the shards."""
    summed: Counter[str] = Counter()
    for doc in store.query(COLLECTION, [("name", "==", name), ("day", "==", day)],
                           limit=SHARDS * 4):
        summed.update({k: int(v) for k, v in doc.items()
                       if k not in ("name", "day", "updated_at", "_id")
                       and isinstance(v, int | float)})
    return dict(summed)
