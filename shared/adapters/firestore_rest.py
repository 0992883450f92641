"""Firestore's v1 REST API: the four calls the document store makes, and its errors.

``:batchGet`` reads (a missing document is an answer, not an error) and begins a transaction
with its read, ``:commit`` writes (and ends a transaction), ``:rollback`` and ``:runQuery``, as
JSON over keep-alive HTTP/1.1
(``http_connections``). The base URL is ``https://firestore.googleapis.com``;
``CHARTGENIUS_FIRESTORE_URL`` overrides it, and with ``FIRESTORE_EMULATOR_HOST`` set it is
that emulator over plain HTTP. Errors are translated by their status name (``ALREADY_EXISTS``
and ``ABORTED`` are both HTTP 409).
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from shared.adapters.google_tokens import Tokens, default_tokens
from shared.adapters.http_connections import Connections
from shared.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermanentError,
    PreconditionFailed,
    TransientError,
)

PUBLIC_URL = "https://firestore.googleapis.com"
URL_VARIABLE = "CHARTGENIUS_FIRESTORE_URL"
EMULATOR_VARIABLE = "FIRESTORE_EMULATOR_HOST"
_TRANSIENT_STATUSES = frozenset({"UNAVAILABLE", "DEADLINE_EXCEEDED", "INTERNAL",
                                 "RESOURCE_EXHAUSTED", "ABORTED", "UNKNOWN"})


class Aborted(TransientError):
    """The transaction lost a race with another writer; it may be run again."""


def base_url() -> str:
    configured = os.environ.get(URL_VARIABLE)
    if configured:
        return configured
    emulator = os.environ.get(EMULATOR_VARIABLE)
    return f"http://{emulator}" if emulator else PUBLIC_URL


class FirestoreRest:
    def __init__(self, project: str, *, url: str | None = None, tokens: Tokens | None = None,
                 timeout: float = 30.0, database: str = "(default)") -> None:
        url = url or base_url()
        self._http = Connections(url, timeout=timeout)
        self._tokens = tokens or default_tokens(emulated=url.startswith("http://"))
        self.database = f"projects/{project}/databases/{database}"
        self.documents = f"{self.database}/documents"

    def name(self, collection: str, doc_id: str) -> str:
        return f"{self.documents}/{collection}/{doc_id}"

    def get(self, name: str) -> dict[str, Any] | None:
        """The document (``found``), or None when it is ``missing``."""
        reply = self._call("POST", f"/v1/{self.database}/documents:batchGet",
                           {"documents": [name]}, name)
        return _found(reply)

    def get_in_new_transaction(self, name: str, retrying: str | None = None,
                               ) -> tuple[dict[str, Any] | None, str]:
        """The document (or None) read as the first step of a new read-write transaction,
        and that transaction: one round trip where ``:beginTransaction`` then ``:batchGet``
        take two. ``retrying`` is the transaction this one runs again after it lost a race."""
        options = {"readWrite": {"retryTransaction": retrying} if retrying else {}}
        reply = self._call("POST", f"/v1/{self.database}/documents:batchGet",
                           {"documents": [name], "newTransaction": options}, name)
        transaction = next((entry["transaction"] for entry in reply if "transaction" in entry),
                           None)
        if not isinstance(transaction, str) or not transaction:
            raise TransientError(f"{name}: Firestore began no transaction")
        return _found(reply), transaction

    def commit(self, writes: list[dict[str, Any]], transaction: str | None = None,
               what: str = "") -> None:
        body: dict[str, Any] = {"writes": writes}
        if transaction:
            body["transaction"] = transaction
        self._call("POST", f"/v1/{self.database}/documents:commit", body, what)

    def rollback(self, transaction: str) -> None:
        self._call("POST", f"/v1/{self.database}/documents:rollback",
                   {"transaction": transaction}, "rollback")

    def run_query(self, parent: str, structured: dict[str, Any], what: str) -> list[Any]:
        reply = self._call("POST", _path(parent) + ":runQuery", {"structuredQuery": structured},
                           what)
        return [entry["document"] for entry in reply if "document" in entry]

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, body: dict[str, Any] | None, what: str) -> Any:
        payload = None if body is None else json.dumps(body).encode()
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._tokens.token()}"}
            if payload is not None:
                headers["Content-Type"] = "application/json"
            reply = self._http.request(method, path, body=payload, headers=headers)
            if reply.status == 401 and attempt == 1:  # an expired or revoked token: once more
                self._tokens.invalidate()
                continue
            break
        try:
            decoded = json.loads(reply.body) if reply.body else {}
        except ValueError:
            decoded = {}
        if 200 <= reply.status < 300:
            return decoded
        raise translate(what, reply.status, decoded)


def _path(name: str) -> str:
    """A resource name as a URL path, each segment after ``databases/(default)`` escaped."""
    head, marker, tail = name.partition("/documents")
    return f"/v1/{head}{marker}" + "".join(
        "/" + quote(part, safe="") for part in tail.split("/") if part)


def translate(what: str, status: int, body: Any) -> Exception:
    """The product's error for a Firestore REST error answer."""
    error = body.get("error", {}) if isinstance(body, dict) else {}
    if isinstance(body, list) and body and isinstance(body[0], dict):
        error = body[0].get("error", {})  # a streamed answer's error
    name = str(error.get("status", ""))
    message = str(error.get("message", f"HTTP {status}"))[:300]
    if name == "ALREADY_EXISTS":
        return Conflict(f"{what} already exists")
    if name == "NOT_FOUND" or (status == 404 and not name):
        return NotFound(f"{what} does not exist")
    if name == "ABORTED":
        return Aborted(f"{what}: Firestore: {message}")
    if name == "FAILED_PRECONDITION":
        if "index" in message.lower():  # a query that needs an index deployed
            return PermanentError(f"{what} needs a Firestore index: {message}")
        return PreconditionFailed(f"{what}: {message}")
    if name == "INVALID_ARGUMENT":
        return InvalidInput(f"{what}: {message}")
    if name in _TRANSIENT_STATUSES or status >= 500 or status == 429:
        return TransientError(f"{what}: Firestore: {message}")
    return PermanentError(f"{what}: Firestore {name or status}: {message}")


def _found(reply: list[Any]) -> dict[str, Any] | None:
    """The document a ``:batchGet`` of one name found, or None when it is ``missing``."""
    found = next((entry["found"] for entry in reply if "found" in entry), None)
    return found if isinstance(found, dict) else None
