"""The source fallback chain: the first source that can serve the pair wins.

A source that does not support the pair or timeframe is skipped, not failed (so is one whose
circuit is open or whose request budget is spent: it was not called); one that fails or
returns too little is recorded with its reason and the next one is tried. Every analysis
keeps this record, so a user can see where the data came from and why.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from shared import metrics
from shared.errors import NoSourceAvailable, PermanentError, TransientError
from shared.market.faults import BudgetExhausted, CircuitOpen
from shared.models import Candles
from shared.ports import MarketSource

log = logging.getLogger(__name__)
MIN_CANDLES = 30


@dataclass
class Attempt:
    source: str
    outcome: str  # "served", "skipped", "failed"
    reason: str = ""

    def describe(self) -> str:
        return f"{self.source}: {self.outcome}" + (f" ({self.reason})" if self.reason else "")


@dataclass
class Fetched:
    candles: Candles
    source: str
    tried: list[Attempt] = field(default_factory=list)


async def fetch_with_fallback(
    sources: Sequence[MarketSource], symbol: str, timeframe: str, limit: int
) -> Fetched:
    """Candles from the first source that serves them; raises when none does.

    ``NoSourceAvailable`` when every source skipped or refused the pair (retrying cannot
    help); ``TransientError`` when at least one source failed for now.
    """
    tried: list[Attempt] = []
    transient = False
    for source in sources:
        if not source.supports(symbol, timeframe):
            tried.append(Attempt(source.name, "skipped", f"does not serve {symbol} {timeframe}"))
            continue
        try:
            candles = await source.fetch_candles(symbol, timeframe, limit)
        except (CircuitOpen, BudgetExhausted) as exc:
            transient = True
            tried.append(Attempt(source.name, "skipped", exc.message))
            continue
        except TransientError as exc:
            transient = True
            tried.append(Attempt(source.name, "failed", exc.message))
            continue
        except PermanentError as exc:
            tried.append(Attempt(source.name, "failed", exc.message))
            continue
        if len(candles) < MIN_CANDLES:
            tried.append(Attempt(source.name, "failed",
                                 f"only {len(candles)} candles, an analysis needs {MIN_CANDLES}"))
            continue
        tried.append(Attempt(source.name, "served", _notes(candles, limit)))
        _count_fallbacks(tried)
        return Fetched(candles=candles, source=source.name, tried=tried)
    _count_fallbacks(tried)
    detail = "; ".join(a.describe() for a in tried) or "no market source is configured"
    log.warning("no source served", extra={"symbol": symbol, "timeframe": timeframe,
                                            "tried": detail})
    if transient:
        raise TransientError(f"no source could serve {symbol} {timeframe} now: {detail}")
    raise NoSourceAvailable(f"no market source has {symbol} on {timeframe}: {detail}",
                            details={"tried": [a.describe() for a in tried]})


def _count_fallbacks(tried: list[Attempt]) -> None:
    for attempt in tried:
        if attempt.outcome != "served":
            metrics.SOURCE_FALLBACKS.inc(1.0, attempt.source, attempt.outcome)


def _notes(candles: Candles, limit: int) -> str:
    """What a reader of the data should know: short history, gaps, a running last candle."""
    notes = []
    if len(candles) < limit:
        notes.append(f"{len(candles)} of {limit} candles")
    if candles.gaps:
        notes.append(f"{len(candles.gaps)} gaps")
    if candles.unfinished_last:
        notes.append("last candle unfinished")
    if candles.volume and not any(candles.volume):
        notes.append("no volume")
    return ", ".join(notes)
