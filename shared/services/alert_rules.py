"""Judging one watchlist rule on closed candles: does it hold on the last one, and why.

``Market`` holds the closes of a pair on each timeframe a rule needs (a multi-timeframe rule
such as "RSI 1h < 30 and 1d trend up" reads two), with RSI, MACD and EMAs computed once per
series however many rules ask. ``evaluate`` returns a ``Firing`` with the measured value and
the reasons (``alert_reasons``), or None. Whether a rule that holds also *alerts* — once per
crossing, or at most once per N candles — is ``alert_state``'s decision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from shared.models import Candles
from shared.services.alert_reasons import Reason, describe
from shared.services.watchlist import (
    AllOf,
    ChangePercent,
    EmaCross,
    MacdCross,
    PriceAbove,
    PriceBelow,
    RsiAbove,
    RsiBelow,
    TrendIs,
)

Basic = PriceAbove | PriceBelow | ChangePercent | RsiAbove | RsiBelow | MacdCross | EmaCross \
    | TrendIs
AnyRule = Basic | AllOf


@dataclass(frozen=True)
class Firing:
    """A rule that holds on the latest closed candle: the measured value and why."""

    value: float
    reasons: tuple[Reason, ...]

    @property
    def text(self) -> str:
        return describe(self.reasons, "en")


class Closes:
    """The closes of one pair on one timeframe, indicators computed once each."""

    def __init__(self, source: Candles | list[float]) -> None:
        self.values = list(source.close if isinstance(source, Candles) else source)
        self._memo: dict[str, Any] = {}

    @classmethod
    def of(cls, candles: Candles) -> Closes:
        return cls(candles)

    def previous(self) -> Closes:
        return Closes(self.values[:-1])

    def _talib(self, key: str, compute: Any) -> Any:
        if key not in self._memo:
            import numpy as np
            import talib  # the scan's path only: market_fetcher's analyses never need it

            self._memo[key] = compute(talib, np.asarray(self.values, dtype=float))
        return self._memo[key]

    def rsi(self, period: int) -> list[float]:
        return self._talib(f"rsi{period}",  # type: ignore[no-any-return]
                           lambda ta, a: _finite(ta.RSI(a, timeperiod=period)))

    def ema(self, period: int) -> list[float]:
        return self._talib(f"ema{period}",  # type: ignore[no-any-return]
                           lambda ta, a: _finite(ta.EMA(a, timeperiod=period)))

    def macd(self) -> tuple[list[float], list[float]]:
        def compute(ta: Any, a: Any) -> tuple[list[float], list[float]]:
            line, signal, _ = ta.MACD(a, fastperiod=12, slowperiod=26, signalperiod=9)
            return _finite(line), _finite(signal)

        return self._talib("macd", compute)  # type: ignore[no-any-return]


def _finite(series: Any) -> list[float]:
    return [float(x) for x in series if not math.isnan(x)]


class Market:
    """The closes a rule may read: the item's own timeframe, and others by name."""

    def __init__(self, timeframe: str, series: dict[str, Closes]) -> None:
        self.timeframe = timeframe
        self.series = series

    def of(self, timeframe: str | None) -> Closes | None:
        return self.series.get(timeframe or self.timeframe)


def evaluate(rule: AnyRule, where: Market | Closes) -> Firing | None:
    """Whether ``rule`` holds on the last closed candle(s)."""
    market = where if isinstance(where, Market) else Market("", {"": where})
    if isinstance(rule, AllOf):
        return _all(rule, market)
    closes = market.of(None)
    return _basic(rule, closes) if closes is not None and closes.values else None


def _all(rule: AllOf, market: Market) -> Firing | None:
    reasons: list[Reason] = []
    first: float | None = None
    for condition in rule.conditions:
        closes = market.of(condition.timeframe)
        fired = _basic(condition.rule, closes) if closes is not None and closes.values else None
        if fired is None:
            return None
        first = fired.value if first is None else first
        reasons.extend(Reason(r.key, r.values, condition.timeframe or market.timeframe or None)
                       for r in fired.reasons)
    return Firing(first or 0.0, tuple(reasons))


def _basic(rule: Basic, closes: Closes) -> Firing | None:
    if isinstance(rule, PriceAbove | PriceBelow):
        return _price(rule, closes.values)
    if isinstance(rule, ChangePercent):
        return _change(rule, closes.values)
    if isinstance(rule, RsiAbove | RsiBelow):
        return _rsi(rule, closes)
    if isinstance(rule, EmaCross):
        return _ema(rule, closes)
    if isinstance(rule, TrendIs):
        return _trend(rule, closes)
    return _macd(rule, closes)


def _beyond(value: float, threshold: float, above: bool) -> bool:
    return value > threshold if above else value < threshold


def _price(rule: PriceAbove | PriceBelow, close: list[float]) -> Firing | None:
    above = isinstance(rule, PriceAbove)
    if not _beyond(close[-1], rule.price, above):
        return None
    crossed = len(close) > 1 and not _beyond(close[-2], rule.price, above)
    key = rule.kind + ("/crossed" if crossed else "")
    return Firing(close[-1], (Reason(key, {"threshold": rule.price, "close": close[-1]}),))


def _change(rule: ChangePercent, close: list[float]) -> Firing | None:
    if len(close) <= rule.window or close[-1 - rule.window] <= 0:
        return None
    start, last = close[-1 - rule.window], close[-1]
    change = (last / start - 1) * 100
    if (change < rule.percent) if rule.percent >= 0 else (change > rule.percent):
        return None
    values = {"change": change, "window": rule.window, "start": start, "close": last,
              "percent": rule.percent}
    key = "change_pct/one" if rule.window == 1 else "change_pct"
    return Firing(round(change, 4), (Reason(key, values),))


def _rsi(rule: RsiAbove | RsiBelow, closes: Closes) -> Firing | None:
    series = closes.rsi(rule.period)
    above = isinstance(rule, RsiAbove)
    if not series or not _beyond(series[-1], rule.value, above):
        return None
    crossed = len(series) > 1 and not _beyond(series[-2], rule.value, above)
    values = {"period": rule.period, "level": rule.value, "rsi": series[-1]}
    return Firing(round(series[-1], 2),
                  (Reason(rule.kind + ("/crossed" if crossed else ""), values),))


def _cross(fast: list[float], slow: list[float]) -> str | None:
    """"up" when ``fast`` crossed above ``slow`` on the last candle, "down" below, else None."""
    if len(fast) < 2 or len(slow) < 2:
        return None
    before, now = fast[-2] - slow[-2], fast[-1] - slow[-1]
    return "up" if before <= 0 < now else "down" if before >= 0 > now else None


def _wanted(direction: str, crossed: str | None) -> bool:
    return crossed is not None and direction in ("any", "bullish" if crossed == "up"
                                                 else "bearish")


def _macd(rule: MacdCross, closes: Closes) -> Firing | None:
    line, signal = closes.macd()
    crossed = _cross(line, signal)
    if not _wanted(rule.direction, crossed):
        return None
    return Firing(round(line[-1], 6), (Reason(f"macd_{crossed}", {"macd": line[-1],
                                                                   "signal": signal[-1]}),))


def _ema(rule: EmaCross, closes: Closes) -> Firing | None:
    fast, slow = closes.ema(rule.fast), closes.ema(rule.slow)
    crossed = _cross(fast[-len(slow):], slow) if slow else None
    if not _wanted(rule.direction, crossed):
        return None
    values = {"fast_period": rule.fast, "slow_period": rule.slow, "fast": fast[-1],
              "slow": slow[-1]}
    return Firing(round(fast[-1], 8), (Reason(f"ema_{crossed}", values),))


def _trend(rule: TrendIs, closes: Closes) -> Firing | None:
    """Up: the close above EMA 50 and EMA 20 above EMA 50; down: both below."""
    fast, slow = closes.ema(20), closes.ema(50)
    if not slow:
        return None
    last, ema20, ema50 = closes.values[-1], fast[-1], slow[-1]
    up = last > ema50 and ema20 > ema50
    down = last < ema50 and ema20 < ema50
    if not (up if rule.direction == "up" else down):
        return None
    return Firing(last, (Reason(f"trend_{rule.direction}", {"close": last, "ema": ema50}),))
