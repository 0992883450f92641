"""market_fetcher's use cases: candles for a requested analysis, and market scans."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from shared.errors import NoSourceAvailable
from shared.events import AnalysisRequested, MarketFetched, MarketScanRequested
from shared.market.chain import fetch_with_fallback
from shared.models import Status, iso, utcnow
from shared.ports import Bus, DocumentStore, MarketSource
from shared.services import analyses
from shared.services.announce import announce_once

log = logging.getLogger(__name__)


def fetch_for_analysis(
    store: DocumentStore, bus: Bus, sources: Sequence[MarketSource],
    event: AnalysisRequested, limit: int,
) -> None:
    analysis = analyses.load(store, event.analysis_id)
    if analysis.status.terminal:
        announce_once(store, bus, analysis)  # a repeat; announces only a lost announcement
        return
    if analysis.handed_on or analysis.status is Status.analyzing:
        return  # a repeat: the candles were already handed to the analyzer
    analyses.transition(store, analysis.id, Status.fetching)
    try:
        fetched = asyncio.run(fetch_with_fallback(sources, event.symbol, event.timeframe, limit))
    except NoSourceAvailable as exc:
        analyses.fail(store, bus, analysis.id, exc.message)
        return
    tried = [a.describe() for a in fetched.tried]
    bus.publish(
        MarketFetched(
            event_id=f"{analysis.id}:fetched", correlation_id=analysis.id,
            analysis_id=analysis.id, symbol=event.symbol, timeframe=event.timeframe,
            source=fetched.source, tried=tried, candles=fetched.candles,
        )
    )
    # Recorded after the publish: a crash in between re-publishes (at least once), never
    # loses the hand-over. The analyzer drops a repeat by the analysis state.
    analyses.transition(store, analysis.id, Status.fetching, source=fetched.source,
                        sources_tried=tried, handed_on=True)


def scan_market(
    store: DocumentStore, sources: Sequence[MarketSource], event: MarketScanRequested, limit: int
) -> dict[str, str]:
    """Fetch every symbol of a scheduled scan and record the outcome per symbol.

    The record is keyed by the scan id, so a repeated delivery rewrites the same document.
    """
    outcome: dict[str, str] = {}
    for symbol in event.symbols:
        try:
            fetched = asyncio.run(fetch_with_fallback(sources, symbol, event.timeframe, limit))
            outcome[symbol] = f"served by {fetched.source}, last close {fetched.candles.close[-1]}"
        except NoSourceAvailable as exc:
            outcome[symbol] = exc.message
    store.set("scans", event.scan_id, {"timeframe": event.timeframe, "symbols": outcome,
                                       "finished_at": iso(utcnow())})
    return outcome
