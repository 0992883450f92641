"""Send slots shared by every notifier instance: Telegram's limits counted in the store.

``SendSlots.reserve(chat_id, now)`` books the next moment this bot may send to a chat and
returns how long to wait for it. ``StoreSendSlots`` keeps the booking in the DocumentStore
(Firestore in the cloud, SQLite locally: the same code), so any number of instances share it:

- per chat, ``send_slots/<chat>`` holds ``next``, the earliest time of the chat's next send:
  1 s apart in a private chat, (60 s + margin) / 20 apart in a group, so no minute holds 21;
- overall, a ``rate_grid.SlotGrid`` in ``send_budget``: slots ``(1 + MARGIN) / per_second``
  apart, ``per_second`` to a bucket, so no second holds more than ``per_second``;
- a 429's ``retry_after`` moves the chat's ``next`` on (``block``), so every instance waits
  it out, not only the one Telegram answered.

The chat and the budget are separate documents (transactions cover one), so a reservation takes
a budget slot first and then asks the chat to accept that time; a chat already booked later
refuses, and the reservation tries again from the chat's ``next``. A refused budget slot stays
unused: the budget can only be under-spent, never over-spent. Times are epoch seconds from
the caller's clock, so every instance must use wall time (``send_queue.WallClock``). Decision 0113.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from shared.models import iso
from shared.ports import EXPIRE_AT, Document, DocumentStore
from shared.rate_grid import KEEP, SlotGrid

CHATS = "send_slots"
BUDGET = "send_budget"
MARGIN = 0.05  # seconds added to every window: Telegram counts arrivals, which jitter
_MAX_TRIES = 1000  # chat bookings tried for one reservation before giving up


class SendSlots(Protocol):
    def reserve(self, chat_id: int, now: float) -> float:
        """Book the next send to ``chat_id`` at or after ``now``; returns the seconds to wait."""

    def block(self, chat_id: int, until: float) -> None:
        """No send to ``chat_id`` before ``until`` (Telegram answered 429), on any instance."""


class StoreSendSlots:
    def __init__(self, store: DocumentStore, *, per_second: int = 30,
                 chat_interval: float = 1.0, group_per_minute: int = 20,
                 chats: str = CHATS, budget: str = BUDGET) -> None:
        self.store = store
        self.chats, self.budget = chats, budget
        self.per_second = per_second
        self.chat_interval = chat_interval
        self.group_interval = max(chat_interval, (60.0 + MARGIN) / group_per_minute)
        self.grid = SlotGrid(store, budget, interval=(1.0 + MARGIN) / per_second,
                             per_bucket=per_second)

    def reserve(self, chat_id: int, now: float) -> float:
        hint = (self.store.get(self.chats, str(chat_id)) or {}).get("next", now)
        at = max(now, float(hint))
        for _ in range(_MAX_TRIES):
            slot = self.grid.take(at)
            assert slot is not None  # an unbounded booking always finds a slot
            at = slot
            booked = self._book_chat(chat_id, at)
            if booked == at:
                return at - now
            at = booked  # the chat is booked until then: try from there
        raise RuntimeError("no send slot found")  # pragma: no cover - a bug, not a state

    def block(self, chat_id: int, until: float) -> None:
        def change(doc: Document | None) -> Document | None:
            if doc is not None and float(doc.get("next", 0.0)) >= until:
                return None
            return {"next": until, EXPIRE_AT: _expiry(until)}

        self.store.transact(self.chats, str(chat_id), change)

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
