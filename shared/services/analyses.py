"""The analysis document's life: ``queued → fetching → analyzing → completed | failed``.

Every change goes through ``transition``, which runs in a store transaction and refuses to
move backwards or out of a final state, so late or repeated messages cannot undo progress.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

from shared import metrics
from shared.clock import Clock
from shared.errors import NotFound
from shared.models import PROGRESS, Analysis, Status, iso, utcnow
from shared.ports import Bus, Document, DocumentStore
from shared.services import analysis_view
from shared.services.announce import announce_once

COLLECTION = "analyses"
_ORDER = [Status.queued, Status.fetching, Status.analyzing, Status.completed]
TIMEOUT_REASON = "timeout: the analysis did not finish in time"


def load(store: DocumentStore, analysis_id: str) -> Analysis:
    doc = store.get(COLLECTION, analysis_id)
    if doc is None:
        raise NotFound(f"analysis {analysis_id} does not exist")
    return Analysis.model_validate(doc)


def new(
    analysis_id: str, user_id: str, symbol: str, timeframe: str, *, language: str = "en",
    deadline_seconds: int, chat_id: int | None = None, now: datetime | None = None,
) -> Analysis:
    now = now or utcnow()
    return Analysis(
        id=analysis_id, user_id=user_id, symbol=symbol, timeframe=timeframe,
        language=language,  # type: ignore[arg-type]
        created_at=now, updated_at=now, deadline_at=now + timedelta(seconds=deadline_seconds),
        history=[{"status": Status.queued, "at": now}],  # type: ignore[list-item]
        chat_id=chat_id,
    )


def _allowed(current: Status, target: Status) -> bool:
    if current.terminal:
        return False
    if target is Status.failed:
        return True
    return _ORDER.index(target) > _ORDER.index(current) or target is current


def transition(
    store: DocumentStore, analysis_id: str, target: Status, **fields: Any
) -> bool:
    """Move the analysis to ``target`` (and set ``fields``). False if not allowed now."""
    moved, created = False, None

    def change(doc: Document | None) -> Document | None:
        nonlocal moved, created
        if doc is None:
            raise NotFound(f"analysis {analysis_id} does not exist")
        current = Status(doc["status"])
        if not _allowed(current, target):
            return None
        now = iso(utcnow())
        doc.update(fields)
        if target is not current:
            doc["history"] = [*doc.get("history", []), {"status": target.value, "at": now}]
        doc.update(status=target.value, progress=PROGRESS[target], updated_at=now)
        moved, created = True, doc.get("created_at")
        return doc

    # The view follows even when nothing moved: a repeat repairs a view a crash left behind.
    analysis_view.sync(store, store.transact(COLLECTION, analysis_id, change))
    if moved:
        metrics.ANALYSES.inc(1.0, target.value)
        if target in (Status.completed, Status.failed) and isinstance(created, str):
            seconds = (utcnow() - datetime.fromisoformat(created)).total_seconds()
            metrics.ANALYSIS_SECONDS.observe(max(seconds, 0.0), target.value)
    return moved


def fail(store: DocumentStore, bus: Bus, analysis_id: str, reason: str, **fields: Any) -> bool:
    """Mark the analysis failed with ``reason`` (and ``fields``) and announce it once."""
    if not transition(store, analysis_id, Status.failed, error=reason, **fields):
        return False
    announce_once(store, bus, load(store, analysis_id))
    return True


def expire_overdue(store: DocumentStore, bus: Bus, now: datetime | None = None) -> list[str]:
    """Fail every in-progress analysis past its deadline; returns their ids."""
    now = now or utcnow()
    overdue = store.query(
        COLLECTION,
        [("status", "in", [Status.queued.value, Status.fetching.value, Status.analyzing.value])],
        limit=500,
    )
    expired = []
    for doc in overdue:
        overdue_now = datetime.fromisoformat(doc["deadline_at"]) < now
        if overdue_now and fail(store, bus, doc["_id"], TIMEOUT_REASON):
            expired.append(doc["_id"])
            metrics.ANALYSES_EXPIRED.inc()
    return expired


def expire_if_overdue(store: DocumentStore, bus: Bus, analysis: Analysis, *,
                      clock: Clock = utcnow) -> Analysis:
    """On read: an analysis past its deadline is failed now rather than shown as running."""
    if not analysis.status.terminal and analysis.deadline_at < clock():
        if fail(store, bus, analysis.id, TIMEOUT_REASON):
            metrics.ANALYSES_EXPIRED.inc()
        return load(store, analysis.id)
    return analysis


def wait_final(store: DocumentStore, analysis_id: str, timeout: float) -> Analysis:
    """The analysis once it is final, or as it is when ``timeout`` seconds have passed."""
    done = threading.Event()

    def seen(doc: Document | None) -> None:
        if doc is not None and Status(doc["status"]).terminal:
            done.set()

    stop = store.listen(COLLECTION, analysis_id, seen)
    try:
        done.wait(timeout)
    finally:
        stop()
    return load(store, analysis_id)
