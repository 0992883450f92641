"""Firestore's REST API in front of the gRPC-only emulator, for the REST adapter's tests.

Google's front end serves the v1 REST API by transcoding each call to the same RPC, with the
request and response messages in their proto3 JSON form. This does the same for the five
calls the store makes (BatchGetDocuments, Commit, BeginTransaction, Rollback, RunQuery): the JSON
body is parsed into the RPC's request message with google-cloud-firestore's own types, the
RPC goes to the emulator over gRPC, and the answer (or the error, as
``{"error": {"code", "message", "status"}}`` with its HTTP status) goes back as JSON.

``token``: when set, a request without ``Authorization: Bearer <token>`` gets 401
UNAUTHENTICATED, as Firestore answers an expired token. ``faults``: statuses to answer to the
next requests instead of calling the emulator (an outage, a lost transaction race).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.loopback_http import JsonHandler, LoopbackHttp

_STATUS = {"NOT_FOUND": 404, "ALREADY_EXISTS": 409, "ABORTED": 409, "UNAVAILABLE": 503,
           "INVALID_ARGUMENT": 400, "FAILED_PRECONDITION": 400, "UNAUTHENTICATED": 401}


class FirestoreRestFront:
    def __init__(self, emulator_host: str, *, token: str | None = None) -> None:
        import grpc
        from google.cloud.firestore_v1.services.firestore import FirestoreClient
        from google.cloud.firestore_v1.services.firestore.transports import (
            FirestoreGrpcTransport,
        )

        channel = grpc.insecure_channel(emulator_host)
        self.client = FirestoreClient(transport=FirestoreGrpcTransport(channel=channel))
        self.token = token
        self.faults: deque[str] = deque()
        self.calls: list[tuple[str, str]] = []  # (method, path) as received
        self.bodies: list[bytes] = []  # the body of each call, in the same order
        self._received = threading.Lock()
        self._http: LoopbackHttp | None = None

    @property
    def url(self) -> str:
        assert self._http is not None, "start() the front first"
        return self._http.url

    def start(self) -> FirestoreRestFront:
        self._http = LoopbackHttp(_handler(self))
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.stop()

    def answer(self, method: str, target: str, body: bytes, auth: str) -> tuple[int, Any]:
        with self._received:
            self.calls.append((method, target))
            self.bodies.append(body)
        if self.token is not None and auth != f"Bearer {self.token}":
            return _error("UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if self.faults:
            return _error(self.faults.popleft(), "injected by the test")
        from google.api_core import exceptions

        try:
            return 200, self._rpc(method, target, body)
        except exceptions.GoogleAPICallError as exc:
            status = exc.grpc_status_code.name if exc.grpc_status_code else "UNKNOWN"
            return _error(status, exc.message)

    def _rpc(self, method: str, target: str, body: bytes) -> Any:
        from google.cloud.firestore_v1.types import firestore

        parts = urlsplit(target)
        path = unquote(parts.path.removeprefix("/v1/"))
        resource, _, verb = path.rpartition(":")
        payload = body.decode() or "{}"
        if verb == "batchGet":
            request = firestore.BatchGetDocumentsRequest.from_json(payload)
            request.database = resource.removesuffix("/documents")
            return [_json(firestore.BatchGetDocumentsResponse, item)
                    for item in self.client.batch_get_documents(request=request)]
        if verb == "commit":
            request = firestore.CommitRequest.from_json(payload)
            request.database = resource.removesuffix("/documents")
            return _json(firestore.CommitResponse, self.client.commit(request=request))
        if verb == "beginTransaction":
            request = firestore.BeginTransactionRequest.from_json(payload)
            request.database = resource.removesuffix("/documents")
            return _json(firestore.BeginTransactionResponse,
                         self.client.begin_transaction(request=request))
        if verb == "rollback":
            request = firestore.RollbackRequest.from_json(payload)
            request.database = resource.removesuffix("/documents")
            self.client.rollback(request=request)
            return {}
        if verb == "runQuery":
            request = firestore.RunQueryRequest.from_json(payload)
            request.parent = resource
            return [_json(firestore.RunQueryResponse, item)
                    for item in self.client.run_query(request=request)]
        raise ValueError(f"not a call the store makes: {method} {target}")


def _json(kind: Any, message: Any) -> Any:
    return json.loads(kind.to_json(message, use_integers_for_enums=False))


def _error(status: str, message: str) -> tuple[int, Any]:
    code = _STATUS.get(status, 500)
    return code, {"error": {"code": code, "message": message, "status": status}}


def _handler(front: FirestoreRestFront) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Google's front end
        disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

        def do_POST(self) -> None:
            self._serve(self.rfile.read(int(self.headers.get("Content-Length", 0))))

        def _serve(self, body: bytes) -> None:
            try:
                status, answer = front.answer(self.command, self.path, body,
                                              self.headers.get("Authorization", ""))
            except Exception as exc:  # noqa: BLE001 (an unparseable body, as Google refuses it)
                status, answer = _error("INVALID_ARGUMENT", str(exc))
            self.reply(status, answer)

    return Handler
