"""Announce an analysis outcome with deterministic event ids.

Handlers call this when they meet an analysis that is already final, so that an outcome
whose announcement was lost (a crash between the write and the publish) is announced on the
next delivery; the notifier drops the repeats by event id.
"""

from __future__ import annotations

from shared.events import AnalysisCompleted, AnalysisFailed
from shared.models import Analysis, Status
from shared.ports import Bus


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
