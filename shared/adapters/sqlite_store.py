"""The embedded DocumentStore: one SQLite file, with a change feed for live updates.

Documents are JSON objects in a ``docs`` table; every write also appends to ``changes`` in
the same transaction, and a feed thread turns those rows into listener callbacks (writes in
this process wake it at once; writes from other processes are seen within a poll).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from shared.adapters.sqlite_connections import ThreadConnections
from shared.errors import Conflict, InvalidInput, NotFound
from shared.ports import Document, Filter, Unsubscribe

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    collection TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (collection, id)
);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, id TEXT NOT NULL
);
"""
_OPS = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "in": "IN"}
_KEEP_CHANGES = 20_000
Callback = Callable[[Document | None], None]


class SqliteDocumentStore:
    def __init__(self, path: Path, *, poll_seconds: float = 0.25) -> None:
        self.path = Path(path)
        self._connections = ThreadConnections(self.path)
        self._feed = _ChangeFeed(self, poll_seconds)
        self._db().executescript(_SCHEMA)

    # -- connections -------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        return self._connections.get()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        self._feed.wake()

    # -- reads -------------------------------------------------------------------------
    def get(self, collection: str, doc_id: str) -> Document | None:
        row = self._db().execute(
            "SELECT data FROM docs WHERE collection=? AND id=?", (collection, doc_id)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def query(
        self,
        collection: str,
        filters: Sequence[Filter] = (),
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[Document]:
        sql = ["SELECT id, data FROM docs WHERE collection=?"]
        args: list[object] = [collection]
        for field, op, value in filters:
            sql.append(_condition(field, op, value, args))
        if order_by:
            sql.append(f"ORDER BY json_extract(data, ?) {'DESC' if descending else 'ASC'}")
            args.append(_path(order_by))
        if limit is not None:
            sql.append("LIMIT ?")
            args.append(int(limit))
        rows = self._db().execute(" ".join(sql), args).fetchall()
        return [{**json.loads(data), "_id": doc_id} for doc_id, data in rows]

    # -- writes ------------------------------------------------------------------------
    def create(self, collection: str, doc_id: str, data: Document) -> None:
        try:
            with self._tx() as db:
                db.execute(
                    "INSERT INTO docs (collection, id, data) VALUES (?, ?, ?)",
                    (collection, doc_id, _dump(data)),
                )
                _record(db, collection, doc_id)
        except sqlite3.IntegrityError:
            raise Conflict(f"{collection}/{doc_id} already exists") from None

    def set(self, collection: str, doc_id: str, data: Document, *, merge: bool = False) -> None:
        with self._tx() as db:
            if merge:
                current = _read(db, collection, doc_id) or {}
                data = {**current, **data}
            _write(db, collection, doc_id, data)

    def update(self, collection: str, doc_id: str, changes: Document) -> None:
        with self._tx() as db:
            current = _read(db, collection, doc_id)
            if current is None:
                raise NotFound(f"{collection}/{doc_id} does not exist")
            _write(db, collection, doc_id, {**current, **changes})

    def delete(self, collection: str, doc_id: str) -> None:
        with self._tx() as db:
            cur = db.execute("DELETE FROM docs WHERE collection=? AND id=?", (collection, doc_id))
            if cur.rowcount:
                _record(db, collection, doc_id)

    def transact(
        self, collection: str, doc_id: str, change: Callable[[Document | None], Document | None]
    ) -> Document | None:
        with self._tx() as db:
            current = _read(db, collection, doc_id)
            new = change(None if current is None else dict(current))
            if new is None:
                return current
            _write(db, collection, doc_id, new)
            return new

    def listen(self, collection: str, doc_id: str, callback: Callback) -> Unsubscribe:
        return self._feed.subscribe(collection, doc_id, callback)

    def close(self) -> None:
        self._feed.stop()


class _ChangeFeed:
    """Delivers document changes to listeners from one daemon thread."""

    def __init__(self, store: SqliteDocumentStore, poll_seconds: float) -> None:
        self._store = store
        self._poll = poll_seconds
        self._lock = threading.Lock()
        self._listeners: dict[tuple[str, str], list[Callback]] = defaultdict(list)
        self._wakeup = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._seq = 0

    def wake(self) -> None:
        self._wakeup.set()

    def subscribe(self, collection: str, doc_id: str, callback: Callback) -> Unsubscribe:
        key = (collection, doc_id)
        with self._lock:
            if self._thread is None:
                row = self._store._db().execute("SELECT MAX(seq) FROM changes").fetchone()
                self._seq = row[0] or 0
                self._thread = threading.Thread(target=self._run, name="doc-feed", daemon=True)
                self._thread.start()
            self._listeners[key].append(callback)
        _call(callback, self._store.get(collection, doc_id))

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._listeners.get(key, []):
                    self._listeners[key].remove(callback)

        return unsubscribe

    def stop(self) -> None:
        self._stopped = True
        self._wakeup.set()

    def _run(self) -> None:
        while not self._stopped:
            self._wakeup.wait(self._poll)
            self._wakeup.clear()
            try:
                self._deliver()
            except Exception:  # keep the feed alive through a store error
                log.exception("change feed delivery failed")

    def _deliver(self) -> None:
        rows = self._store._db().execute(
            "SELECT seq, collection, id FROM changes WHERE seq > ? ORDER BY seq", (self._seq,)
        ).fetchall()
        if not rows:
            return
        self._seq = rows[-1][0]
        for key in dict.fromkeys((collection, doc_id) for _, collection, doc_id in rows):
            with self._lock:
                callbacks = list(self._listeners.get(key, []))
            if callbacks:
                doc = self._store.get(*key)
                for callback in callbacks:
                    _call(callback, doc)


def _call(callback: Callback, doc: Document | None) -> None:
    """One listener's bug must not stop the others or the feed."""
    try:
        callback(doc)
    except Exception:
        log.exception("a document listener failed")


def _nested_array(value: object, in_array: bool = False) -> bool:
    if isinstance(value, list):
        return in_array or any(_nested_array(v, True) for v in value)
    if isinstance(value, dict):
        return any(_nested_array(v) for v in value.values())
    return False


def _dump(data: Document) -> str:
    if _nested_array(data):
        raise InvalidInput("arrays directly inside arrays cannot be stored (as in Firestore)")
    try:
        return json.dumps({k: v for k, v in data.items() if k != "_id"}, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"document is not plain JSON: {exc}") from exc


def _read(db: sqlite3.Connection, collection: str, doc_id: str) -> Document | None:
    row = db.execute(
        "SELECT data FROM docs WHERE collection=? AND id=?", (collection, doc_id)
    ).fetchone()
    return json.loads(row[0]) if row else None


def _write(db: sqlite3.Connection, collection: str, doc_id: str, data: Document) -> None:
    db.execute(
        "INSERT INTO docs (collection, id, data) VALUES (?, ?, ?) "
        "ON CONFLICT (collection, id) DO UPDATE SET data=excluded.data",
        (collection, doc_id, _dump(data)),
    )
    _record(db, collection, doc_id)


def _record(db: sqlite3.Connection, collection: str, doc_id: str) -> None:
    cur = db.execute("INSERT INTO changes (collection, id) VALUES (?, ?)", (collection, doc_id))
    if cur.lastrowid and cur.lastrowid % 1000 == 0:
        db.execute("DELETE FROM changes WHERE seq <= ?", (cur.lastrowid - _KEEP_CHANGES,))


def _path(field: str) -> str:
    if not field or '"' in field:
        raise InvalidInput(f"bad field name {field!r}")
    return f'$."{field}"'


def _condition(field: str, op: str, value: object, args: list[object]) -> str:
    if op not in _OPS:
        raise InvalidInput(f"unsupported operator {op!r}")
    args.append(_path(field))
    if op == "in":
        values = list(value)  # type: ignore[call-overload]
        args.extend(values)
        return f"AND json_extract(data, ?) IN ({', '.join('?' * len(values)) or 'NULL'})"
    if value is None and op in ("==", "!="):
        return f"AND json_extract(data, ?) IS {'NOT ' if op == '!=' else ''}NULL"
    args.append(value)
    return f"AND json_extract(data, ?) {_OPS[op]} ?"
