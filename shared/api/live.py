"""Live progress as Server-Sent Events, fed by the document store's listener.

Locally this is how the page follows an analysis; in production the page listens to
Firestore directly. The stream sends the public view of the analysis whenever its status or
progress changes, ends after a final state, and sends a comment every 15 s to keep
proxies from closing it.
"""

from __future__ import annotations

import json
import queue
from collections.abc import Generator, Iterator

from shared.models import Analysis
from shared.ports import Document, DocumentStore
from shared.services.analyses import COLLECTION

HEARTBEAT_SECONDS = 15.0
MAX_STREAM_SECONDS = 600.0
RETRY = "retry: 2000\n\n"
KEEP_ALIVE = ": keep-alive\n\n"


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
