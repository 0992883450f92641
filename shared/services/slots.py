"""A per-owner cap that holds under concurrency, on any DocumentStore: one document per slot
(``<owner>-<n>``, n < cap) created with create-if-absent, the one atomic write SQLite and
Firestore (and its emulator) both honour. Claiming is a create; thirty-two racing adds under
a cap of ten create at most ten slots, however they interleave. Releasing deletes the slot.

A slot whose item never appeared (a crash between the claim and the write) is taken back
once it is older than ``STALE_SECONDS``, so a crash cannot shrink a cap for good.
"""

from __future__ import annotations

from datetime import timedelta

from shared.clock import Clock
from shared.errors import Conflict
from shared.models import iso, utcnow
from shared.ports import DocumentStore

STALE_SECONDS = 60


def claim(store: DocumentStore, collection: str, owner: str, item_id: str, cap: int,
          items: str, *, clock: Clock = utcnow) -> bool:
    """A slot for ``item_id`` (True), or False when all ``cap`` slots are taken."""
    for retake in (False, True):
        taken = {d["_id"]: d for d in store.query(collection, [("owner", "==", owner)],
                                                  limit=cap + 50)}
        for n in range(cap):
            slot_id = f"{owner}-{n}"
            if slot_id in taken and not (retake and _abandoned(store, taken[slot_id], items,
                                                               clock)):
                continue
            if slot_id in taken:
                store.delete(collection, slot_id)
            try:
                store.create(collection, slot_id, {"owner": owner, "item_id": item_id,
                                                   "claimed_at": iso(clock())})
                return True
            except Conflict:
                continue  # a rival took it first
    return False


def _abandoned(store: DocumentStore, slot: dict[str, object], items: str,
               clock: Clock) -> bool:
    old = iso(clock() - timedelta(seconds=STALE_SECONDS))
    return str(slot.get("claimed_at", "")) < old and \
        store.get(items, str(slot.get("item_id"))) is None


def release(store: DocumentStore, collection: str, item_id: str) -> None:
    for slot in store.query(collection, [("item_id", "==", item_id)], limit=10):
        store.delete(collection, slot["_id"])
