"""What TA-Lib lacks, with numpy: VWAP, Ichimoku, Supertrend, pivots, Fibonacci.

Each function returns the value at the last candle (None when the history is too short) and
follows the published formula named in its docstring; tests work the cases by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import talib

FIB_RATIOS = (0.0, 0.236, 0.382, 0.5, 0.618, 0.786, 1.0)


def _value(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def vwap(high: np.ndarray, low: np.ndarray, close: np.ndarray, volume: np.ndarray,
         window: int = 20) -> float | None:
    """Rolling VWAP of the last ``window`` candles: Σ(typical price × volume) / Σ volume,
    typical price = (high + low + close) / 3. Crypto trades round the clock, so a rolling
    window replaces the session anchor."""
    if len(close) < window:
        return None
    typical = (high[-window:] + low[-window:] + close[-window:]) / 3
    vol = volume[-window:]
    total = float(vol.sum())
    return float((typical * vol).sum() / total) if total > 0 else None


@dataclass(frozen=True)
class Cloud:
    tenkan: float | None
    kijun: float | None
    span_a: float | None
    span_b: float | None


def ichimoku(high: np.ndarray, low: np.ndarray, shift: int = 26) -> Cloud:
    """Ichimoku 9/26/52: tenkan = (max₉ high + min₉ low)/2, kijun likewise over 26; the cloud
    at the last candle is span A = (tenkan + kijun)/2 and span B = (max₅₂ + min₅₂)/2 as they
    were computed ``shift`` candles earlier (they are plotted 26 ahead)."""
    def mid(period: int) -> np.ndarray:
        if len(high) < period:
            return np.full(len(high), np.nan)
        return (talib.MAX(high, timeperiod=period) + talib.MIN(low, timeperiod=period)) / 2

    tenkan, kijun, span_b = mid(9), mid(26), mid(52)
    span_a = (tenkan + kijun) / 2
    back = len(high) - 1 - shift
    return Cloud(
        tenkan=_value(tenkan[-1]) if len(high) else None,
        kijun=_value(kijun[-1]) if len(high) else None,
        span_a=_value(span_a[back]) if back >= 0 else None,
        span_b=_value(span_b[back]) if back >= 0 else None,
    )


def supertrend(high: np.ndarray, low: np.ndarray, close: np.ndarray, period: int = 10,
               multiplier: float = 3.0, tail: int = 300) -> tuple[float | None, int | None]:
    """Supertrend (ATR 10 × 3): the final-band recursion of the published formula, run over
    the last ``tail`` candles (the bands forget older history). Returns (line, +1 up/-1 down)."""
    atr = talib.ATR(high, low, close, timeperiod=period)
    start = max(period, len(close) - tail)
    if len(close) <= start:
        return None, None
    mid = ((high + low) / 2)[start:].tolist()
    atrs, closes = atr[start:].tolist(), close[start:].tolist()
    upper, lower = mid[0] + multiplier * atrs[0], mid[0] - multiplier * atrs[0]
    direction = 1 if closes[0] > mid[0] else -1
    for i in range(1, len(closes)):
        basic_up, basic_low = mid[i] + multiplier * atrs[i], mid[i] - multiplier * atrs[i]
        upper = basic_up if basic_up < upper or closes[i - 1] > upper else upper
        lower = basic_low if basic_low > lower or closes[i - 1] < lower else lower
        if direction == -1 and closes[i] > upper:
            direction = 1
        elif direction == 1 and closes[i] < lower:
            direction = -1
    return (lower if direction == 1 else upper), direction


def pivots(high: float, low: float, close: float) -> dict[str, float]:
    """Classic floor pivots from one completed candle: P = (H + L + C)/3, R1 = 2P − L,
    S1 = 2P − H, R2 = P + (H − L), S2 = P − (H − L), R3 = H + 2(P − L), S3 = L − 2(H − P)."""
    p = (high + low + close) / 3
    return {
        "p": p, "r1": 2 * p - low, "s1": 2 * p - high, "r2": p + (high - low),
        "s2": p - (high - low), "r3": high + 2 * (p - low), "s3": low - 2 * (high - p),
    }


def fibonacci(high: np.ndarray, low: np.ndarray, lookback: int = 120) -> dict[str, float]:
    """Retracement of the last swing (highest high and lowest low of the last ``lookback``
    candles): after an upswing (low first) level r = high − r·(high − low); after a downswing
    level r = low + r·(high − low). Keys are the ratios as text ("0.618")."""
    h, lo = high[-lookback:], low[-lookback:]
    if not len(h):
        return {}
    top, bottom = float(h.max()), float(lo.min())
    up = int(lo.argmin()) < int(h.argmax())
    span = top - bottom
    return {f"{r:g}": (top - r * span) if up else (bottom + r * span) for r in FIB_RATIOS}
