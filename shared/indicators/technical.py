"""The whole technical picture of one pair and timeframe, confirmed by the next higher one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import talib

from shared.indicators import extra, levels, patterns, timeframes
from shared.indicators.core import Series, snapshot
from shared.indicators.signal import decide, votes
from shared.models import Candles, Confluence, IndicatorSnapshot, Level, Pattern, Signal, Trend

DISAGREEMENT_FACTOR = 0.75  # confidence kept when the higher timeframe points the other way
_MIN_HIGHER_CANDLES = 30


@dataclass(frozen=True)
class Technicals:
    price: float
    as_of: datetime
    indicators: IndicatorSnapshot
    votes: dict[str, int]
    signal: Signal
    confidence: float
    trend: Trend
    levels: list[Level] = field(default_factory=list)
    pivots: dict[str, float] = field(default_factory=dict)
    fibonacci: dict[str, float] = field(default_factory=dict)
    patterns: list[Pattern] = field(default_factory=list)
    confluence: Confluence | None = None


def lean(signal: Signal) -> int:
    """+1 for buy levels, -1 for sell levels, 0 for neutral."""
    return 1 if "buy" in signal.value else -1 if "sell" in signal.value else 0


def _view(s: Series) -> tuple[IndicatorSnapshot, dict[str, int], Signal, float, Trend]:
    ind = snapshot(s)
    price = float(s.close[-1])
    cast = votes(price, ind)
    signal, confidence = decide(cast)
    atr = talib.ATR(s.high, s.low, s.close, timeperiod=14)
    return ind, cast, signal, confidence, levels.trend(price, ind, atr)


def _confluence(s: Series, timeframe: str, signal: Signal) -> tuple[Confluence | None, Series]:
    target = timeframes.higher(timeframe)
    if target is None:
        return None, s
    up = timeframes.resample(s, target)
    if len(up.close) < _MIN_HIGHER_CANDLES:
        return None, up
    _, _, up_signal, _, up_trend = _view(up)
    agrees = lean(up_signal) == lean(signal) or 0 in (lean(up_signal), lean(signal))
    return Confluence(timeframe=target, signal=up_signal, trend=up_trend.direction,
                      agrees=agrees), up


def analyse(candles: Candles, timeframe: str) -> Technicals:
    """Indicators, signal, trend, levels, pivots, Fibonacci, patterns and confluence."""
    s = Series.of(candles)
    price = float(s.close[-1])
    ind, cast, signal, confidence, trend = _view(s)
    confluence, up = _confluence(s, timeframe, signal)
    if confluence is not None and not confluence.agrees:
        confidence = round(confidence * DISAGREEMENT_FACTOR, 3)
    basis = up if len(up.close) >= 2 and up is not s else s
    return Technicals(
        price=price, as_of=datetime.fromtimestamp(int(s.timestamps[-1]) / 1000, UTC),
        indicators=ind, votes=cast, signal=signal, confidence=confidence, trend=trend,
        levels=levels.support_resistance(s.high, s.low, price, ind.atr_14),
        pivots={k: round(v, 10) for k, v in extra.pivots(
            float(basis.high[-2]), float(basis.low[-2]), float(basis.close[-2])).items()}
        if len(basis.close) >= 2 else {},
        fibonacci=extra.fibonacci(s.high, s.low),
        patterns=patterns.detect(s.open, s.high, s.low, s.close),
        confluence=confluence,
    )
