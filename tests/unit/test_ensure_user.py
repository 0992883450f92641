"""``ensure_user`` runs on every Telegram update: a known user with nothing to change costs one
read, and only a new user or a changed role takes a transaction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shared.adapters.sqlite_store import SqliteDocumentStore
from shared.models import Role
from shared.ports import Document
from shared.services.users import ensure_user


class CountingStore(SqliteDocumentStore):
    """The embedded store, counting the reads and transactions made through the port."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.gets = 0
        self.transactions = 0

    def get(self, collection: str, doc_id: str) -> Document | None:
        self.gets += 1
        return super().get(collection, doc_id)

    def transact(self, collection: str, doc_id: str,
                 change: Callable[[Document | None], Document | None]) -> Document | None:
        self.transactions += 1
        return super().transact(collection, doc_id, change)


def test_a_known_user_costs_one_read_and_no_transaction(tmp_path: Path) -> None:
    store = CountingStore(tmp_path / "s.db")
    created = ensure_user(store, 7)
    assert (created.id, created.role, store.transactions) == ("7", Role.user, 1)
    store.gets = store.transactions = 0
    again = ensure_user(store, 7)
    assert again == created
    assert (store.gets, store.transactions) == (1, 0)


def test_a_changed_role_is_written_in_a_transaction(tmp_path: Path) -> None:
    store = CountingStore(tmp_path / "s.db")
    ensure_user(store, 8)
    store.transactions = 0
    promoted = ensure_user(store, 8, role=Role.premium)
    assert promoted.role == Role.premium and store.transactions == 1
    assert ensure_user(store, 8, role=Role.premium).role == Role.premium
    assert store.transactions == 1  # already premium: read only
