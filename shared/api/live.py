"""Live progress as Server-Sent Events, fed by the document store's listener.

Locally this is how the page follows an analysis; in production the page listens to
Firestore directly. The stream sends the public view of the analysis whenever its status or
progress changes, ends after a final state, and sends a comment every 15 s to keep
proxies from closing it.
"""

from __future__ import annotations

import json
import queue
from collections.abc import Iterator

from shared.models import Analysis
from shared.ports import Document, DocumentStore
from shared.services.analyses import COLLECTION

HEARTBEAT_SECONDS = 15.0
MAX_STREAM_SECONDS = 600.0


def stream_analysis(store: DocumentStore, analysis_id: str) -> Iterator[str]:
    changes: queue.Queue[Document | None] = queue.Queue()
    unsubscribe = store.listen(COLLECTION, analysis_id, changes.put)
    last: tuple[str, int] | None = None
    waited = 0.0
    try:
        yield "retry: 2000\n\n"
        while waited < MAX_STREAM_SECONDS:
            try:
                doc = changes.get(timeout=HEARTBEAT_SECONDS)
            except queue.Empty:
                waited += HEARTBEAT_SECONDS
                yield ": keep-alive\n\n"
                continue
            if doc is None:
                yield 'event: error\ndata: {"message": "the analysis no longer exists"}\n\n'
                return
            analysis = Analysis.model_validate(doc)
            state = (analysis.status.value, analysis.progress)
            if state != last:
                last = state
                yield f"event: status\ndata: {json.dumps(analysis.public())}\n\n"
            if analysis.status.terminal:
                return
    finally:
        unsubscribe()
