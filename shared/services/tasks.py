"""The admin's task monitor: analyses by state, retries, dead letters, scheduled scans.

A retry is a new attempt: a new analysis for the same user, pair, timeframe and language,
with ``retry_of`` naming the one it retries and ``attempt`` one more than it (no quota is
charged; the admin asked). The failed analysis stays as it was.
"""

from __future__ import annotations

from typing import Any, Literal

from shared.errors import ChartGeniusError, Conflict, NotFound
from shared.models import Analysis, Status
from shared.ports import Bus, Document, DocumentStore
from shared.services import analyses
from shared.services.request_analysis import request_analysis

State = Literal["in_progress", "failed", "timed_out", "completed", "all"]
IN_PROGRESS = [Status.queued.value, Status.fetching.value, Status.analyzing.value]
KEYS = ("status", "user_id", "symbol", "timeframe", "language", "created_at", "updated_at",
        "error", "source", "retry_of", "attempt", "progress")


def _filters(state: State, symbol: str | None) -> list[Any]:
    filters: list[Any] = []
    if state == "in_progress":
        filters.append(("status", "in", IN_PROGRESS))
    elif state in ("failed", "timed_out"):
        filters.append(("status", "==", Status.failed.value))
    elif state == "completed":
        filters.append(("status", "==", Status.completed.value))
    if symbol:
        filters.append(("symbol", "==", symbol))
    return filters


def analyses_in(store: DocumentStore, state: State, *, symbol: str | None = None,
                limit: int = 50) -> list[Document]:
    """Analyses in ``state`` (``timed_out``: failed by the deadline), newest first."""
    docs = store.query(analyses.COLLECTION, _filters(state, symbol), order_by="created_at",
                       descending=True, limit=limit if state != "timed_out" else limit * 4)
    if state == "timed_out":
        docs = [d for d in docs if d.get("error") == analyses.TIMEOUT_REASON][:limit]
    elif state == "failed":
        docs = [d for d in docs if d.get("error") != analyses.TIMEOUT_REASON]
    return [{"id": d["_id"], **{k: d.get(k) for k in KEYS}} for d in docs]


def retry(store: DocumentStore, bus: Bus, analysis_id: str,
          deadline_seconds: int) -> Analysis:
    """A new attempt of a failed analysis; returns the new analysis."""
    old = analyses.load(store, analysis_id)
    if old.status is not Status.failed:
        raise Conflict("only a failed analysis can be retried")
    created, _ = request_analysis(store, bus, user_id=old.user_id, symbol=old.symbol,
                                  timeframe=old.timeframe, language=old.language.value,
                                  deadline_seconds=deadline_seconds, chat_id=old.chat_id,
                                  enforce_quota=False)
    store.update(analyses.COLLECTION, created.id,
                 {"retry_of": old.id, "attempt": (old.attempt or 1) + 1})
    return analyses.load(store, created.id)


def retry_many(store: DocumentStore, bus: Bus, ids: list[str],
               deadline_seconds: int) -> list[dict[str, Any]]:
    """Each id retried on its own; the outcome per id (a new id, or why not)."""
    out = []
    for analysis_id in ids:
        try:
            if not analysis_id.isalnum() or len(analysis_id) > 64:
                raise NotFound(f"analysis {analysis_id} does not exist")
            created = retry(store, bus, analysis_id, deadline_seconds)
            out.append({"id": analysis_id, "retried_as": created.id})
        except ChartGeniusError as exc:
            out.append({"id": analysis_id, "error": exc.message})
    return out


def scans(store: DocumentStore, limit: int = 20) -> list[Document]:
    """The scheduled scans, the latest run first."""
    docs = store.query("scans", order_by="finished_at", descending=True, limit=limit)
    return [{"id": d["_id"], **{k: v for k, v in d.items() if k != "_id"}} for d in docs]
