"""The screener: each scheduled scan ranks a universe of pairs by signal strength and move.

The universe is the top N pairs by 24 h quote volume from ONE tickers call to the first
source that can list them (an exchange through ccxt's ``fetch_tickers``); the replay source
lists its bundled pairs. Each pair's candles come through the same cache-first fetch as the
alerts (one request per pair and timeframe at most, inside each source's request budget),
and the engine judges its closed candles. The snapshot ``screener/{timeframe}`` holds the
ranked rows; ``GET /api/screener`` and the digest read it (decision 0122).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from shared.errors import ChartGeniusError
from shared.models import TIMEFRAMES, Candles, iso
from shared.ports import DocumentStore, MarketSource

log = logging.getLogger(__name__)
COLLECTION = "screener"
_STRENGTH = {"strong_buy": 2, "buy": 1, "neutral": 0, "sell": -1, "strong_sell": -2}
SORTS = ("strength", "move", "confidence", "symbol")


@dataclass(frozen=True)
class Row:
    symbol: str
    timeframe: str
    price: float
    candle_time: str  # open time of the last closed candle judged
    change_pct: float  # over the last 24 h of closed candles (at least one candle)
    signal: str
    confidence: float
    strength: float  # signed: +2 × confidence for a strong buy … −2 × for a strong sell
    trend: str | None = None


async def universe(chain: Sequence[MarketSource], quote: str, size: int) -> tuple[list[str], str]:
    """The top ``size`` pairs quoted in ``quote``, and which source listed them."""
    for source in chain:
        top = getattr(source, "top_symbols", None)
        if top is None:
            continue
        try:
            symbols = await top(quote, size)
        except ChartGeniusError as exc:
            log.warning("no universe from this source", extra={"source": source.name,
                                                               "reason": exc.message})
            continue
        if symbols:
            return list(symbols)[:size], source.name
    return [], ""


def row(symbol: str, timeframe: str, candles: Candles) -> Row | None:
    """The engine's verdict on one pair's closed candles (None: too little history)."""
    from shared.indicators.technical import analyse
    from shared.services.alerts import closed

    done = closed(candles)
    if len(done) < 60:
        return None
    try:
        t = analyse(done, timeframe)
    except Exception:  # one odd pair must not sink the screener
        log.warning("screener skipped a pair", extra={"symbol": symbol}, exc_info=True)
        return None
    span = max(1, int(86_400_000 // (TIMEFRAMES[timeframe].total_seconds() * 1000)))
    start = done.close[-1 - min(span, len(done) - 1)]
    change = (done.close[-1] / start - 1) * 100 if start > 0 else 0.0
    return Row(symbol=symbol, timeframe=timeframe, price=t.price, candle_time=iso(t.as_of),
               change_pct=round(change, 3), signal=t.signal.value,
               confidence=round(t.confidence, 3),
               strength=round(_STRENGTH[t.signal.value] * t.confidence, 3),
               trend=t.trend.direction)


def ranked(rows: Sequence[Row], sort: str = "strength") -> list[Row]:
    """Strongest signal first (either side), then the biggest move; or by one column."""
    if sort == "move":
        return sorted(rows, key=lambda r: (-abs(r.change_pct), r.symbol))
    if sort == "confidence":
        return sorted(rows, key=lambda r: (-r.confidence, r.symbol))
    if sort == "symbol":
        return sorted(rows, key=lambda r: r.symbol)
    return sorted(rows, key=lambda r: (-abs(r.strength), -abs(r.change_pct), r.symbol))


def save(store: DocumentStore, scan_id: str, timeframe: str, rows: Sequence[Row],
         source: str, finished_at: str) -> None:
    store.set(COLLECTION, timeframe, {
        "scan_id": scan_id, "timeframe": timeframe, "universe_source": source,
        "as_of": finished_at, "rows": [asdict(r) for r in ranked(rows)]})


def snapshot(store: DocumentStore, timeframe: str, sort: str = "strength",
             limit: int = 100) -> dict[str, Any]:
    """The latest ranking on ``timeframe`` (empty before the first scan)."""
    doc = store.get(COLLECTION, timeframe) or {}
    rows = [Row(**r) for r in doc.get("rows", [])]
    return {"timeframe": timeframe, "as_of": doc.get("as_of"), "scan_id": doc.get("scan_id"),
            "universe_source": doc.get("universe_source"), "sort": sort,
            "rows": [asdict(r) for r in ranked(rows, sort)[:limit]]}
