"""The production DocumentStore: Cloud Firestore, with the SQLite store's exact semantics.

Reads, writes, queries and transactions go over Firestore's REST API with the standard
library (``firestore_rest``), so a function's first request does not import the gRPC client
(about 0.4 s of a cold start, decision 0117). Only ``listen`` uses the gRPC client
(``firestore_listen``), imported on the first listener.

Field names are top-level and literal (``"a.b"`` is one field, never a nested path), as in
the SQLite store. Merges are shallow (a merged map field is replaced whole). Only plain JSON
is accepted (``firestore_values``). Every write is one ``:commit``: ``create`` carries the
precondition "does not exist", ``update`` "exists" and a mask of its top-level fields.
A transaction begins with its read (``newTransaction`` on the ``:batchGet``, one round trip
instead of two) and ends with its commit, or a rollback when nothing changes; one that loses a
race (``ABORTED``) is run again, up to five times.
This module is imported only when the settings choose Firestore.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from shared.adapters.firestore_listen import Callback, FirestoreListeners
from shared.adapters.firestore_rest import Aborted, FirestoreRest
from shared.adapters.firestore_values import (
    decode_fields,
    encode,
    encode_fields,
    field_path,
    plain,
    readable,
)
from shared.adapters.google_tokens import Tokens
from shared.errors import InvalidInput, NotFound, TransientError
from shared.ports import Document, Filter, Unsubscribe

log = logging.getLogger(__name__)

_OPS = {"==": "EQUAL", "!=": "NOT_EQUAL", "<": "LESS_THAN", "<=": "LESS_THAN_OR_EQUAL",
        ">": "GREATER_THAN", ">=": "GREATER_THAN_OR_EQUAL", "in": "IN"}
TRANSACTION_ATTEMPTS = 5


class FirestoreDocumentStore:
    def __init__(
        self, project: str, *, url: str | None = None, tokens: Tokens | None = None,
        listeners: FirestoreListeners | None = None, listen_timeout_seconds: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.project = project
        self._rest = FirestoreRest(project, url=url, tokens=tokens)
        self._listeners = listeners or FirestoreListeners(project,
                                                          timeout=listen_timeout_seconds)
        self._sleep = sleep

    def _parent(self, collection: str) -> tuple[str, str]:
        """(the parent's resource name, the collection id) of a collection path."""
        parts = collection.split("/")
        if len(parts) % 2 == 0 or not all(parts):
            raise InvalidInput(f"bad collection path {collection!r}")
        return "/".join([self._rest.documents, *parts[:-1]]), parts[-1]

    def _name(self, collection: str, doc_id: str) -> str:
        self._parent(collection)
        if not doc_id or "/" in doc_id or doc_id in (".", ".."):
            raise InvalidInput(f"bad document id {doc_id!r}")
        return self._rest.name(collection, doc_id)

    # -- reads -------------------------------------------------------------------------
    def get(self, collection: str, doc_id: str) -> Document | None:
        found = self._rest.get(self._name(collection, doc_id))
        return None if found is None else _document(found)

    def query(
        self,
        collection: str,
        filters: Sequence[Filter] = (),
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[Document]:
        parent, collection_id = self._parent(collection)
        structured: dict[str, Any] = {"from": [{"collectionId": collection_id}]}
        conditions = []
        for field, op, value in filters:
            if op == "in":
                value = list(value)
                if not value:  # Firestore refuses an empty "in"; nothing can match it
                    return []
            conditions.append(_condition(field, op, value))
        if conditions:
            structured["where"] = conditions[0] if len(conditions) == 1 else {
                "compositeFilter": {"op": "AND", "filters": conditions}}
        if order_by:
            structured["orderBy"] = [{"field": {"fieldPath": field_path(order_by)},
                                      "direction": "DESCENDING" if descending else "ASCENDING"}]
        if limit is not None:
            if limit <= 0:
                return []
            structured["limit"] = int(limit)
        found = self._rest.run_query(parent, structured, f"query {collection}")
        return [{**_document(doc), "_id": doc["name"].rsplit("/", 1)[1]} for doc in found]

    # -- writes ------------------------------------------------------------------------
    def create(self, collection: str, doc_id: str, data: Document) -> None:
        self._write(collection, doc_id, plain(data), exists=False)

    def set(self, collection: str, doc_id: str, data: Document, *, merge: bool = False) -> None:
        # A merge lists the top-level fields, so it is shallow like the SQLite store's.
        data = plain(data)
        self._write(collection, doc_id, data, mask=list(data) if merge else None)

    def update(self, collection: str, doc_id: str, changes: Document) -> None:
        changes = plain(changes)
        if not changes:
            if self.get(collection, doc_id) is None:
                raise NotFound(f"{collection}/{doc_id} does not exist")
            return
        self._write(collection, doc_id, changes, mask=list(changes), exists=True)

    def delete(self, collection: str, doc_id: str) -> None:
        name = self._name(collection, doc_id)
        self._rest.commit([{"delete": name}], what=f"{collection}/{doc_id}")

    def _write(self, collection: str, doc_id: str, data: Document, *,
               mask: list[str] | None = None, exists: bool | None = None) -> None:
        name = self._name(collection, doc_id)
        write: dict[str, Any] = {"update": {"name": name, "fields": encode_fields(data)}}
        if mask is not None:
            write["updateMask"] = {"fieldPaths": [field_path(key) for key in mask]}
        if exists is not None:
            write["currentDocument"] = {"exists": exists}
        self._rest.commit([write], what=f"{collection}/{doc_id}")

    def transact(
        self, collection: str, doc_id: str, change: Callable[[Document | None], Document | None]
    ) -> Document | None:
        """Runs ``change`` in a Firestore transaction; when another writer wins the race it
        runs again, so ``change`` may be called more than once and must have no side effects."""
        name = self._name(collection, doc_id)
        previous: str | None = None
        for attempt in range(1, TRANSACTION_ATTEMPTS + 1):
            found, transaction = self._rest.get_in_new_transaction(name, retrying=previous)
            try:
                return self._attempt(name, transaction, found, change, f"{collection}/{doc_id}")
            except Aborted:
                previous = transaction
                if attempt < TRANSACTION_ATTEMPTS:
                    self._sleep(random.uniform(0.0, 0.05 * 2**attempt))  # noqa: S311 (jitter)
        raise TransientError(f"{collection}/{doc_id}: contended, {TRANSACTION_ATTEMPTS} attempts")

    def _attempt(self, name: str, transaction: str, found: dict[str, Any] | None,
                 change: Callable[[Document | None], Document | None], what: str,
                 ) -> Document | None:
        try:
            current = None if found is None else _document(found)
            new = change(None if current is None else dict(current))
            if new is None:
                self._rollback(transaction)
                return current
            new = plain(new)
            self._rest.commit([{"update": {"name": name, "fields": encode_fields(new)}}],
                              transaction=transaction, what=what)
        except Aborted:  # the transaction is over already
            raise
        except BaseException:
            self._rollback(transaction)
            raise
        return readable(new)

    def _rollback(self, transaction: str) -> None:
        try:
            self._rest.rollback(transaction)
        except TransientError:  # the transaction expires by itself
            log.warning("transaction rollback failed")

    def listen(self, collection: str, doc_id: str, callback: Callback) -> Unsubscribe:
        self._name(collection, doc_id)
        return self._listeners.listen(collection, doc_id, callback)

    def close(self) -> None:
        """Ends every listener and the connections."""
        self._listeners.close()
        self._rest.close()


def _document(found: dict[str, Any]) -> Document:
    """A document of the REST API as the plain JSON the port gives."""
    return readable(decode_fields(found.get("fields")))


def _condition(field: str, op: str, value: object) -> dict[str, Any]:
    if op not in _OPS:
        raise InvalidInput(f"unsupported operator {op!r}")
    path = {"fieldPath": field_path(field)}
    if value is None:
        if op not in ("==", "!="):
            raise InvalidInput(f"cannot compare {field!r} {op} null")
        return {"unaryFilter": {"op": "IS_NULL" if op == "==" else "IS_NOT_NULL",
                                "field": path}}
    return {"fieldFilter": {"field": path, "op": _OPS[op], "value": encode(value)}}
