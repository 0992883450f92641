"""Announce an analysis outcome with deterministic event ids.

After publishing, the analysis is marked ``announced``. A handler that meets a final
analysis calls ``announce_once``: nothing happens if it was announced, and an outcome whose
announcement was lost (a crash between the write and the publish) is announced now. The
notifier drops any repeat by event id.
"""

from __future__ import annotations

from shared.events import AnalysisCompleted, AnalysisFailed
from shared.models import Analysis, Status
from shared.ports import Bus, DocumentStore


def announce(bus: Bus, analysis: Analysis) -> None:
    if analysis.status is Status.completed and analysis.result is not None:
        bus.publish(
            AnalysisCompleted(
                event_id=f"{analysis.id}:completed", correlation_id=analysis.id,
                analysis_id=analysis.id, user_id=analysis.user_id, symbol=analysis.symbol,
                timeframe=analysis.timeframe, signal=analysis.result.signal,
                confidence=analysis.result.confidence,
            )
        )
    elif analysis.status is Status.failed:
        bus.publish(
            AnalysisFailed(
                event_id=f"{analysis.id}:failed", correlation_id=analysis.id,
                analysis_id=analysis.id, user_id=analysis.user_id, symbol=analysis.symbol,
                timeframe=analysis.timeframe, reason=analysis.error or "failed",
            )
        )


def announce_once(store: DocumentStore, bus: Bus, analysis: Analysis) -> None:
    if analysis.announced or not analysis.status.terminal:
        return
    announce(bus, analysis)
    store.update("analyses", analysis.id, {"announced": True})
