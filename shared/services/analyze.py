"""analyzer's use case: indicators → signal → report → stored result → announcement."""

from __future__ import annotations

import json
import logging

from shared.errors import PermanentError
from shared.events import MarketFetched
from shared.indicators.core import compute
from shared.indicators.signal import decide, votes
from shared.models import AnalysisResult, Language, Status
from shared.ports import LLM, Bus, DocumentStore, LLMRequest
from shared.services import analyses
from shared.services.announce import announce_once

log = logging.getLogger(__name__)

SYSTEM = (
    "You are ChartGenius, a careful crypto market analyst. Use only the numbers given; "
    "never invent price levels. Answer in JSON with a 'summary' field."
)


def build_result(event: MarketFetched, llm: LLM, language: str) -> AnalysisResult:
    candles = event.candles
    indicators = compute(candles)
    price = candles.close[-1]
    cast = votes(price, indicators)
    signal, confidence = decide(cast)
    context = {
        "symbol": event.symbol, "timeframe": event.timeframe, "price": price,
        "as_of": candles.last_time.isoformat(), "indicators": indicators.model_dump(),
        "signal": signal.value, "confidence": confidence, "votes": cast,
    }
    reply = llm.complete(
        LLMRequest(system=SYSTEM, prompt=json.dumps(context), context=context, language=language)
    )
    try:
        summary = str(json.loads(reply.text)["summary"]).strip()
    except (ValueError, KeyError, TypeError) as exc:
        raise PermanentError(f"the analyst's reply was not a valid report: {exc}") from exc
    return AnalysisResult(
        symbol=event.symbol, timeframe=event.timeframe, as_of=candles.last_time, price=price,
        signal=signal, confidence=confidence, votes=cast, summary=summary,
        indicators=indicators, source=event.source, provider=reply.provider,
        language=Language(language),
    )


def analyze(store: DocumentStore, bus: Bus, llm: LLM, event: MarketFetched) -> None:
    analysis = analyses.load(store, event.analysis_id)
    if analysis.status.terminal:
        announce_once(store, bus, analysis)  # a repeat; announces only a lost announcement
        return
    analyses.transition(store, analysis.id, Status.analyzing, source=event.source)
    try:
        result = build_result(event, llm, analysis.language.value)
    except PermanentError as exc:
        analyses.fail(store, bus, analysis.id, exc.message)
        return
    if analyses.transition(store, analysis.id, Status.completed,
                           result=result.model_dump(mode="json")):
        announce_once(store, bus, analyses.load(store, analysis.id))
