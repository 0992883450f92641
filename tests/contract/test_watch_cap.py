"""The watchlist cap holds under concurrent adds, on the SQLite store and on Firestore's
emulator alike (create-if-absent slots, the one atomic write both honour)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from shared.errors import Conflict
from shared.models import Role, User
from shared.ports import DocumentStore
from shared.services import watchlist

RACERS = 32
CAP = 10  # a plain user's watch_items


def test_thirty_two_racing_adds_store_at_most_the_cap(store: DocumentStore) -> None:
    user = User(id="501", telegram_id=501, role=Role.user, created_at=datetime.now(UTC))
    gate = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def add() -> None:
        gate.wait()
        try:
            watchlist.add_item(store, user, watchlist.WatchInput(symbol="BTC/USDT"))
            outcomes.append("added")
        except Conflict:
            outcomes.append("full")

    threads = [threading.Thread(target=add) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stored = watchlist.list_items(store, user)
    assert len(stored) == outcomes.count("added") == CAP
    assert outcomes.count("full") == RACERS - CAP
    watchlist.delete_item(store, user, stored[0].id)  # a deleted item frees its slot
    watchlist.add_item(store, user, watchlist.WatchInput(symbol="ETH/USDT"))
    with pytest.raises(Conflict):
        watchlist.add_item(store, user, watchlist.WatchInput(symbol="ETH/USDT"))


def test_a_slot_left_by_a_crash_is_taken_back_once_stale(store: DocumentStore) -> None:
    from datetime import timedelta

    from shared.services import slots
    from tests.fakes import ManualClock

    clock = ManualClock(datetime.now(UTC))
    for n in range(3):  # three claims whose items never appeared (the writer crashed)
        assert slots.claim(store, "test_slots", "u9", f"lost{n}", 3, "test_items", clock=clock)
    assert not slots.claim(store, "test_slots", "u9", "new", 3, "test_items", clock=clock)
    clock.advance(timedelta(seconds=slots.STALE_SECONDS + 1))  # time moves; nobody sleeps
    assert slots.claim(store, "test_slots", "u9", "new", 3, "test_items", clock=clock)
