"""The whole technical picture of one pair and timeframe, confirmed by the next higher one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import talib

from shared.indicators import calibration, extra, levels, patterns, timeframes
from shared.indicators.core import Series, snapshot
from shared.indicators.signal import decide, votes
from shared.market.closed import close_time, split
from shared.market.timeframes import duration_ms
from shared.models import Candles, Confluence, IndicatorSnapshot, Level, Pattern, Signal, Trend

_MIN_HIGHER_CANDLES = 30


@dataclass(frozen=True)
class Technicals:
    price: float
    as_of: datetime  # the close time of the last closed candle
    indicators: IndicatorSnapshot
    votes: dict[str, int]
    signal: Signal
    confidence: float  # calibrated: the chance the call is right ``outlook.horizon`` candles on
    trend: Trend
    levels: list[Level] = field(default_factory=list)
    pivots: dict[str, float] = field(default_factory=dict)
    fibonacci: dict[str, float] = field(default_factory=dict)
    patterns: list[Pattern] = field(default_factory=list)
    confluence: Confluence | None = None
    live_price: float | None = None  # the forming candle, kept out of every figure above
    live_at: datetime | None = None
    score: float = 0.0  # the mean vote the signal level came from
    outlook: calibration.Outlook | None = None


def lean(signal: Signal) -> int:
    """+1 for buy levels, -1 for sell levels, 0 for neutral."""
    return 1 if "buy" in signal.value else -1 if "sell" in signal.value else 0


def _view(s: Series) -> tuple[IndicatorSnapshot, dict[str, int], Signal, float, Trend]:
    """Indicators, votes, signal, score and trend at the last candle of ``s``."""
    ind = snapshot(s)
    price = float(s.close[-1])
    cast = votes(price, ind)
    signal, score = decide(cast)
    atr = talib.ATR(s.high, s.low, s.close, timeperiod=14)
    return ind, cast, signal, score, levels.trend(price, ind, atr)


def closed_buckets(s: Series, timeframe: str, target: str) -> Series:
    """The closed candles in ``target`` buckets, without a last bucket that has not closed
    yet (its close is not the close of its period)."""
    up = timeframes.resample(s, target)
    if not len(up.close):
        return up
    last_close = int(s.timestamps[-1]) + duration_ms(timeframe)
    if int(up.timestamps[-1]) + duration_ms(target) > last_close:
        up = Series(*(column[:-1] for column in (up.timestamps, up.open, up.high, up.low,
                                                 up.close, up.volume)))
    return up


def _confluence(s: Series, timeframe: str, signal: Signal) -> tuple[Confluence | None, Series]:
    target = timeframes.higher(timeframe)
    if target is None:
        return None, s
    up = closed_buckets(s, timeframe, target)
    if len(up.close) < _MIN_HIGHER_CANDLES:
        return None, up
    _, _, up_signal, _, up_trend = _view(up)
    sides = (lean(up_signal), lean(signal))
    verdict = "neutral" if 0 in sides else "agrees" if sides[0] == sides[1] else "disagrees"
    return Confluence(timeframe=target, signal=up_signal, trend=up_trend.direction,
                      agrees=verdict != "disagrees", verdict=verdict), up


def analyse(candles: Candles, timeframe: str) -> Technicals:
    """Indicators, signal, trend, levels, pivots, Fibonacci, patterns and confluence of the
    closed candles; a forming last candle is only reported as the live price."""
    parts = split(candles)
    s = Series.of(parts.closed)
    price = float(s.close[-1])
    ind, cast, signal, score, trend = _view(s)
    outlook = calibration.lookup(timeframe, score)
    confidence = calibration.confidence(lean(signal), outlook)
    confluence, up = _confluence(s, timeframe, signal)
    # classic pivots come from the last closed candle of the higher timeframe (or of this one)
    basis = up if len(up.close) >= 1 and up is not s else s
    return Technicals(
        price=price, as_of=close_time(int(s.timestamps[-1]), timeframe),
        indicators=ind, votes=cast, signal=signal, confidence=confidence, trend=trend,
        levels=levels.support_resistance(s.high, s.low, price, ind.atr_14),
        pivots={k: round(v, 10) for k, v in extra.pivots(
            float(basis.high[-1]), float(basis.low[-1]), float(basis.close[-1])).items()}
        if len(basis.close) >= 1 else {},
        fibonacci=extra.fibonacci(s.high, s.low),
        patterns=patterns.detect(s.open, s.high, s.low, s.close),
        confluence=confluence, live_price=parts.live_price, live_at=parts.live_at,
        score=round(score, 4), outlook=outlook,
    )
