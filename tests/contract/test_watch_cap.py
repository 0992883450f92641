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
