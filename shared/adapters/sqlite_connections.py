"""One SQLite connection per thread, in WAL mode, for the embedded adapters."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

TIMEOUT_SECONDS = 30.0


class ThreadConnections:
    """Hands each thread its own autocommit connection to one database file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=TIMEOUT_SECONDS, isolation_level=None)
            _switch_to_wal(db)
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db


def _switch_to_wal(db: sqlite3.Connection) -> None:
    """WAL is kept in the file, so only the first connection to a new file switches it on.
    SQLite refuses the switch at once, without its busy wait, while another connection (of
    this process or another) holds the file, so a refused switch is tried again."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)
