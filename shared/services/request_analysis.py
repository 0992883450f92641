"""A user asks for an analysis: validate, record it as queued, publish the request."""

from __future__ import annotations

import hashlib
import logging
import uuid

from shared.errors import Conflict, TransientError
from shared.events import AnalysisRequested
from shared.models import Analysis, check_timeframe, normalize_symbol
from shared.ports import Bus, DocumentStore
from shared.services import analyses, analysis_view, quotas

log = logging.getLogger(__name__)


def request_analysis(
    store: DocumentStore,
    bus: Bus,
    *,
    user_id: str,
    symbol: str,
    timeframe: str,
    language: str = "en",
    deadline_seconds: int,
    idempotency_key: str | None = None,
    chat_id: int | None = None,
    enforce_quota: bool = True,
) -> tuple[Analysis, bool]:
    """Returns the analysis and whether it was created now (False: the same idempotency
    key was seen before and its analysis is returned).

    The user's daily quota is consumed atomically before the analysis is created (raises
    ``RateLimited`` when used up) and given back if it is not created."""
    symbol = normalize_symbol(symbol)
    timeframe = check_timeframe(timeframe)
    if idempotency_key:
        digest = hashlib.sha256(f"{user_id}\n{idempotency_key}".encode()).hexdigest()
        analysis_id = digest[:32]
        seen = store.get(analyses.COLLECTION, analysis_id)
        if seen is not None:
            return Analysis.model_validate(seen), False
    else:
        analysis_id = uuid.uuid4().hex
    analysis = analyses.new(
        analysis_id, user_id, symbol, timeframe, language=language,
        deadline_seconds=deadline_seconds, chat_id=chat_id,
    )
    usage_id = quotas.charge_analysis(store, user_id) if enforce_quota else None
    try:
        store.create(analyses.COLLECTION, analysis_id, analysis.model_dump(mode="json"))
    except Conflict:
        if usage_id:
            quotas.refund(store, usage_id)
        return analyses.load(store, analysis_id), False
    analysis_view.sync(store, analysis.model_dump(mode="json"))  # before any later state
    try:
        bus.publish(
            AnalysisRequested(
                event_id=f"{analysis_id}:requested", correlation_id=analysis_id,
                analysis_id=analysis_id, user_id=user_id, symbol=symbol,
                timeframe=timeframe, language=language,  # type: ignore[arg-type]
            )
        )
    except Exception as exc:
        log.exception("could not publish the request", extra={"analysis_id": analysis_id})
        if usage_id:
            quotas.refund(store, usage_id)
        analyses.transition(store, analysis_id, analyses.Status.failed,
                            error="could not queue the analysis; please try again")
        raise TransientError("the analysis could not be queued; try again shortly") from exc
    return analysis, True
