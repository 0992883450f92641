"""Ports are built once per container even when request threads ask for them together."""

from __future__ import annotations

import threading
from pathlib import Path

from shared.adapters.sqlite_connections import ThreadConnections
from shared.bootstrap import Container
from shared.built_once import built_once
from shared.config import Settings

THREADS = 8


def together(read: object, count: int = THREADS) -> list[object]:
    """What ``read()`` returned in each of ``count`` threads released at the same moment."""
    start = threading.Barrier(count)
    got: list[object] = []

    def run() -> None:
        start.wait()
        got.append(read())  # type: ignore[operator]

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return got


class Slow:
    """A builder that takes long enough for every thread to arrive while it runs."""

    def __init__(self) -> None:
        self.builds = 0

    @built_once
    def port(self) -> object:
        self.builds += 1
        threading.Event().wait(0.05)  # widens the window; the assertion is on the count
        return object()

    @built_once
    def outer(self) -> tuple[object, object]:
        return (self.port, object())  # a builder that needs another port: no deadlock


def test_threads_asking_together_get_one_value_built_once() -> None:
    slow = Slow()
    got = together(lambda: slow.port)
    assert slow.builds == 1
    assert len({id(value) for value in got}) == 1


def test_a_builder_may_use_another_port_of_the_same_instance() -> None:
    slow = Slow()
    outer = slow.outer
    assert outer[0] is slow.port and slow.outer is outer and slow.builds == 1


def test_an_override_wins_over_the_builder(tmp_path: Path) -> None:
    ports = Container(Settings(env="test", data_dir=tmp_path))
    marker = object()
    ports.override(store=marker)
    assert ports.store is marker


def test_a_fresh_container_gives_its_threads_one_store(tmp_path: Path) -> None:
    ports = Container(Settings(env="test", data_dir=tmp_path))
    stores = together(lambda: ports.store)
    assert len({id(store) for store in stores}) == 1


def test_stores_opening_a_new_database_together_all_get_wal(tmp_path: Path) -> None:
    """Separate stores (or processes) on one new file: each switches to WAL or finds it on."""
    path = tmp_path / "new.sqlite3"

    def open_and_write() -> str:
        db = ThreadConnections(path).get()
        db.executescript("CREATE TABLE IF NOT EXISTS t (x); INSERT INTO t VALUES (1);")
        return str(db.execute("PRAGMA journal_mode").fetchone()[0])

    assert together(open_and_write) == ["wal"] * THREADS
