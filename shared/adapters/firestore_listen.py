"""Document listeners on Firestore, over the gRPC client's ``on_snapshot`` (a Listen stream).

Listening is the one thing the REST calls cannot do, so only a listener imports
google-cloud-firestore (about 0.4 s of imports), on the first ``listen`` of an instance: the
API's live updates and ``?wait=``. ``listen`` returns once the first snapshot arrived, so the
callback has had the document "now" as the port promises.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from shared.adapters.firestore_values import readable
from shared.errors import TransientError
from shared.ports import Document, Unsubscribe

log = logging.getLogger(__name__)
Callback = Callable[[Document | None], None]


class FirestoreListeners:
    def __init__(self, project: str, client: Any = None, *, timeout: float = 30.0) -> None:
        self.project = project
        self._client = client
        self._timeout = timeout
        self._lock = threading.Lock()
        self._watches: set[Any] = set()

    def _db(self) -> Any:
        with self._lock:
            if self._client is None:
                from google.cloud import firestore

                self._client = firestore.Client(project=self.project)
            return self._client

    def listen(self, collection: str, doc_id: str, callback: Callback) -> Unsubscribe:
        from google.api_core import exceptions as google_errors

        ref = self._db().collection(collection).document(doc_id)
        first = threading.Event()

        def on_snapshot(snapshots: list[Any], _changes: object, _read_time: object) -> None:
            document = next((readable(snap.to_dict()) for snap in snapshots if snap.exists), None)
            try:
                callback(document)
            except Exception:  # a listener's bug must not stop the watch
                log.exception("listener failed", extra={"collection": collection, "id": doc_id})
            finally:
                first.set()

        try:
            watch = ref.on_snapshot(on_snapshot)
        except google_errors.GoogleAPICallError as exc:
            raise TransientError(f"listen {collection}/{doc_id}: Firestore: {exc}") from exc
        if not first.wait(self._timeout):
            watch.unsubscribe()
            raise TransientError(f"no snapshot of {collection}/{doc_id} within {self._timeout} s")
        with self._lock:
            self._watches.add(watch)

        def unsubscribe() -> None:
            with self._lock:
                self._watches.discard(watch)
            watch.unsubscribe()

        return unsubscribe

    def close(self) -> None:
        """Ends every listener and the client's connections."""
        with self._lock:
            watches, self._watches = list(self._watches), set()
            client, self._client = self._client, None
        for watch in watches:
            watch.unsubscribe()
        if client is not None:
            client.close()
