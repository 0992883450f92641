"""Live progress as Server-Sent Events, fed by the document store's listener.

Locally this is how the page follows an analysis; in production the page listens to
Firestore directly. The stream sends the public view of the analysis whenever its status or
progress changes, ends after a final state, and sends a comment every 15 s to keep
proxies from closing it.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Generator, Iterator

from shared.errors import RateLimited
from shared.models import Analysis
from shared.ports import Document, DocumentStore
from shared.services.analyses import COLLECTION

HEARTBEAT_SECONDS = 15.0
MAX_STREAM_SECONDS = 600.0
RETRY = "retry: 2000\n\n"
KEEP_ALIVE = ": keep-alive\n\n"
STREAMS_PER_USER = 10  # tabs × (notifications + one analysis) with room to spare


class StreamSlots:
    """Live streams open per user on this instance: each holds a thread for up to
    ``MAX_STREAM_SECONDS``, so one user cannot hold them all (429 past ``per_user``)."""

    def __init__(self, per_user: int) -> None:
        self.per_user = per_user
        self._open: dict[str, int] = {}
        self._lock = threading.Lock()

    def open(self, user_id: str, stream: Iterator[str]) -> CappedStream:
        with self._lock:
            if self._open.get(user_id, 0) >= self.per_user:
                raise RateLimited(f"you have {self.per_user} live streams open; close one "
                                  "(another tab?) first", retry_after=HEARTBEAT_SECONDS,
                                  details={"limit": self.per_user})
            self._open[user_id] = self._open.get(user_id, 0) + 1
        return CappedStream(stream, lambda: self._close(user_id))

    def _close(self, user_id: str) -> None:
        with self._lock:
            left = self._open.get(user_id, 1) - 1
            if left > 0:
                self._open[user_id] = left
            else:
                self._open.pop(user_id, None)

    def count(self, user_id: str) -> int:
        with self._lock:
            return self._open.get(user_id, 0)


class CappedStream:
    """The stream, releasing its slot once when it ends or the server closes it — even if
    the client left before the first event (a generator's ``finally`` would not run then)."""

    def __init__(self, stream: Iterator[str], release: Callable[[], None]) -> None:
        self._stream, self._release = stream, release
        self._released = False

    def __iter__(self) -> CappedStream:
        return self

    def __next__(self) -> str:
        try:
            return next(self._stream)
        except StopIteration:
            self.close()
            raise

    def close(self) -> None:
        if not self._released:
            self._released = True
            close = getattr(self._stream, "close", None)
            if close is not None:
                close()
            self._release()


STREAMS = StreamSlots(STREAMS_PER_USER)  # this instance's


class Quiet:
    """Yielded by ``follow`` when nothing changed for a heartbeat interval."""


QUIET = Quiet()


def follow(
    store: DocumentStore, collection: str, doc_id: str
) -> Generator[Document | None | Quiet, None, None]:
    """The document now and after every change (None once deleted), ``QUIET`` while nothing
    changes; ends after ``MAX_STREAM_SECONDS`` of quiet. Close it to stop listening."""
    changes: queue.Queue[Document | None] = queue.Queue()
    unsubscribe = store.listen(collection, doc_id, changes.put)
    waited = 0.0
    try:
        while waited < MAX_STREAM_SECONDS:
            try:
                yield changes.get(timeout=HEARTBEAT_SECONDS)
            except queue.Empty:
                waited += HEARTBEAT_SECONDS
                yield QUIET
    finally:
        unsubscribe()


def event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def stream_analysis(store: DocumentStore, analysis_id: str) -> Iterator[str]:
    docs = follow(store, COLLECTION, analysis_id)
    last: tuple[str, int] | None = None
    try:
        yield RETRY
        for doc in docs:
            if isinstance(doc, Quiet):
                yield KEEP_ALIVE
                continue
            if doc is None:
                yield event("error", {"message": "the analysis no longer exists"})
                return
            analysis = Analysis.model_validate(doc)
            state = (analysis.status.value, analysis.progress)
            if state != last:
                last = state
                yield event("status", analysis.public())
            if analysis.status.terminal:
                return
    finally:
        docs.close()
