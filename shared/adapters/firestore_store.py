"""The production DocumentStore: Cloud Firestore, with the SQLite store's exact semantics.

Field names are top-level and literal (``"a.b"`` is one field, never a nested path), as in
the SQLite store: keys are escaped with ``FieldPath`` before they reach Firestore. Merges are
shallow (a merged map field is replaced whole). Only plain JSON is accepted; arrays inside
arrays are refused here because Firestore refuses them (its emulator does not).

``listen`` returns once the first snapshot arrived, so the callback has had the document
"now" as the port promises. Google errors are translated at the edge (``_translated``).
This module is imported only when the settings choose Firestore.

A top-level ``expire_at`` holding an ISO-8601 time (``ports.EXPIRE_AT``) is stored as a
Firestore timestamp, the only type a TTL policy reads (infra/modules/firestore ``ttl_fields``),
and read back as the same ISO string, so callers see plain JSON on both stores.
"""

from __future__ import annotations

import logging
import math
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from google.api_core import exceptions as google_errors
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.field_path import FieldPath

from shared.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermanentError,
    PreconditionFailed,
    TransientError,
)
from shared.models import iso
from shared.ports import EXPIRE_AT, Document, Filter, Unsubscribe

log = logging.getLogger(__name__)

_OPS = frozenset({"==", "!=", "<", "<=", ">", ">=", "in"})
_TRANSIENT = (
    google_errors.ServiceUnavailable,
    google_errors.DeadlineExceeded,
    google_errors.InternalServerError,
    google_errors.TooManyRequests,  # ResourceExhausted is one
    google_errors.Aborted,
    google_errors.GatewayTimeout,
    google_errors.RetryError,
)
Callback = Callable[[Document | None], None]


class FirestoreDocumentStore:
    def __init__(
        self, project: str, client: Any = None, *, listen_timeout_seconds: float = 30.0
    ) -> None:
        self.project = project
        self._client = client
        self._client_lock = threading.Lock()
        self._listen_timeout = listen_timeout_seconds
        self._watches: set[Any] = set()

    def _db(self) -> Any:
        """The Firestore client, created on first use and reused (one per instance)."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = firestore.Client(project=self.project)
        return self._client

    def _collection(self, collection: str) -> Any:
        parts = collection.split("/")
        if len(parts) % 2 == 0 or not all(parts):
            raise InvalidInput(f"bad collection path {collection!r}")
        return self._db().collection(collection)

    def _ref(self, collection: str, doc_id: str) -> Any:
        if not doc_id or "/" in doc_id or doc_id in (".", ".."):
            raise InvalidInput(f"bad document id {doc_id!r}")
        return self._collection(collection).document(doc_id)

    # -- reads -------------------------------------------------------------------------
    def get(self, collection: str, doc_id: str) -> Document | None:
        ref = self._ref(collection, doc_id)
        with _translated(f"{collection}/{doc_id}"):
            snapshot = ref.get()
        return _readable(snapshot.to_dict()) if snapshot.exists else None

    def query(
        self,
        collection: str,
        filters: Sequence[Filter] = (),
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[Document]:
        query = self._collection(collection)
        for field, op, value in filters:
            if op == "in":
                value = list(value)
                if not value:  # Firestore refuses an empty "in"; nothing can match it
                    return []
            query = _where(query, field, op, value)
        if order_by:
            direction = firestore.Query.DESCENDING if descending else firestore.Query.ASCENDING
            query = query.order_by(_field(order_by), direction=direction)
        if limit is not None:
            if limit <= 0:
                return []
            query = query.limit(int(limit))
        with _translated(f"query {collection}"):
            return [{**_readable(snap.to_dict()), "_id": snap.id} for snap in query.stream()]

    # -- writes ------------------------------------------------------------------------
    def create(self, collection: str, doc_id: str, data: Document) -> None:
        ref = self._ref(collection, doc_id)
        with _translated(f"{collection}/{doc_id}"):
            ref.create(_plain(data))

    def set(self, collection: str, doc_id: str, data: Document, *, merge: bool = False) -> None:
        ref = self._ref(collection, doc_id)
        data = _plain(data)
        with _translated(f"{collection}/{doc_id}"):
            if merge and data:
                # Listing the top-level fields makes the merge shallow, like the SQLite store.
                ref.set(data, merge=[FieldPath(key) for key in data])
            elif merge:
                ref.set({}, merge=True)
            else:
                ref.set(data)

    def update(self, collection: str, doc_id: str, changes: Document) -> None:
        ref = self._ref(collection, doc_id)
        changes = _plain(changes)
        with _translated(f"{collection}/{doc_id}"):
            if not changes:
                if not ref.get().exists:
                    raise NotFound(f"{collection}/{doc_id} does not exist")
                return
            ref.update({FieldPath(key).to_api_repr(): value for key, value in changes.items()})

    def delete(self, collection: str, doc_id: str) -> None:
        ref = self._ref(collection, doc_id)
        with _translated(f"{collection}/{doc_id}"):
            ref.delete()

    def transact(
        self, collection: str, doc_id: str, change: Callable[[Document | None], Document | None]
    ) -> Document | None:
        """Runs ``change`` in a Firestore transaction; on contention Firestore retries it, so
        ``change`` may be called more than once and must have no side effects."""
        ref = self._ref(collection, doc_id)

        @firestore.transactional
        def run(transaction: Any) -> Document | None:
            snapshot = ref.get(transaction=transaction)
            current = _readable(snapshot.to_dict()) if snapshot.exists else None
            new = change(None if current is None else dict(current))
            if new is None:
                return current
            new = _plain(new)
            transaction.set(ref, new)
            return _readable(new)

        with _translated(f"{collection}/{doc_id}"):
            try:
                return run(self._db().transaction())
            except ValueError as exc:  # the client's "failed to commit in N attempts"
                if isinstance(exc.__cause__, google_errors.Aborted):
                    raise TransientError(f"{collection}/{doc_id}: {exc}") from exc
                raise

    def listen(self, collection: str, doc_id: str, callback: Callback) -> Unsubscribe:
        ref = self._ref(collection, doc_id)
        first = threading.Event()

        def on_snapshot(snapshots: list[Any], _changes: object, _read_time: object) -> None:
            document = next((_readable(snap.to_dict()) for snap in snapshots if snap.exists), None)
            try:
                callback(document)
            except Exception:  # a listener's bug must not stop the watch
                log.exception("listener failed", extra={"collection": collection, "id": doc_id})
            finally:
                first.set()

        with _translated(f"listen {collection}/{doc_id}"):
            watch = ref.on_snapshot(on_snapshot)
        if not first.wait(self._listen_timeout):
            watch.unsubscribe()
            raise TransientError(
                f"no snapshot of {collection}/{doc_id} within {self._listen_timeout} s"
            )
        with self._client_lock:
            self._watches.add(watch)

        def unsubscribe() -> None:
            with self._client_lock:
                self._watches.discard(watch)
            watch.unsubscribe()

        return unsubscribe

    def close(self) -> None:
        """Ends every listener and the client's connections."""
        with self._client_lock:
            watches, self._watches = list(self._watches), set()
        for watch in watches:
            watch.unsubscribe()
        if self._client is not None:
            self._client.close()


@contextmanager
def _translated(what: str) -> Iterator[None]:
    """Google API errors become the product's error tree."""
    try:
        yield
    except google_errors.AlreadyExists as exc:
        raise Conflict(f"{what} already exists") from exc
    except google_errors.NotFound as exc:
        raise NotFound(f"{what} does not exist") from exc
    except google_errors.PreconditionFailed as exc:
        raise PreconditionFailed(f"{what}: {exc.message}") from exc
    except google_errors.FailedPrecondition as exc:
        if "index" in str(exc.message).lower():  # a query that needs an index deployed
            raise PermanentError(f"{what} needs a Firestore index: {exc.message}") from exc
        raise PreconditionFailed(f"{what}: {exc.message}") from exc
    except google_errors.InvalidArgument as exc:
        raise InvalidInput(f"{what}: {exc.message}") from exc
    except _TRANSIENT as exc:
        raise TransientError(f"{what}: Firestore: {exc}") from exc


def _where(query: Any, field: str, op: str, value: object) -> Any:
    if op not in _OPS:
        raise InvalidInput(f"unsupported operator {op!r}")
    if value is None:
        if op not in ("==", "!="):
            raise InvalidInput(f"cannot compare {field!r} {op} null")
        # FieldFilter sends a malformed unary filter for None; the positional form is right.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return query.where(_field(field), op, None)
    return query.where(filter=FieldFilter(_field(field), op, value))


def _field(name: str) -> str:
    if not name:
        raise InvalidInput("empty field name")
    return str(FieldPath(name).to_api_repr())


def _plain(data: Document) -> Document:
    """The document without ``_id``, checked to be JSON that Firestore can store."""
    if not isinstance(data, dict):
        raise InvalidInput(f"a document is a JSON object, not {type(data).__name__}")
    clean = {key: value for key, value in data.items() if key != "_id"}
    _check(clean, "", in_array=False)
    expire = clean.get(EXPIRE_AT)
    if isinstance(expire, str):
        try:
            clean[EXPIRE_AT] = datetime.fromisoformat(expire)
        except ValueError:
            raise InvalidInput(f"{EXPIRE_AT} must be an ISO-8601 time, not {expire!r}") from None
    return clean


def _readable(data: Document | None) -> Document:
    """A stored document as plain JSON: the TTL timestamp back to its ISO string."""
    doc = dict(data or {})
    if isinstance(doc.get(EXPIRE_AT), datetime):
        doc[EXPIRE_AT] = iso(doc[EXPIRE_AT])
    return doc


def _check(value: object, where: str, *, in_array: bool) -> None:
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(f"document is not plain JSON: {where or 'value'} is {value}")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key:
                raise InvalidInput(f"document is not plain JSON: bad key {key!r} at {where}")
            _check(item, f"{where}.{key}" if where else key, in_array=False)
        return
    if isinstance(value, list | tuple):
        if in_array:
            raise InvalidInput(f"Firestore cannot store an array inside an array ({where})")
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]", in_array=True)
        return
    raise InvalidInput(f"document is not plain JSON: {where} is a {type(value).__name__}")
