"""Support and resistance from clustered swing points, and the trend/volatility regime."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from shared.models import IndicatorSnapshot, Level, Trend


def swing_points(high: np.ndarray, low: np.ndarray, span: int = 3) -> np.ndarray:
    """Fractal swings: a high that is the highest of the ``span`` candles either side, and a
    low that is the lowest likewise. Returns their prices (highs then lows)."""
    width = 2 * span + 1
    if len(high) < width:
        return np.empty(0)
    highs = sliding_window_view(high, width)
    lows = sliding_window_view(low, width)
    centre_h, centre_l = high[span:len(high) - span], low[span:len(low) - span]
    is_high = centre_h >= highs.max(axis=1)
    is_low = centre_l <= lows.min(axis=1)
    return np.concatenate([centre_h[is_high], centre_l[is_low]])


def cluster(prices: np.ndarray, tolerance: float) -> list[tuple[float, int]]:
    """Greedy clusters of sorted prices no wider than ``tolerance``; (mean, count) each.

    A width limit (rather than a gap limit) keeps a dense run of swings from chaining into
    one level that spans a wide range."""
    groups: list[list[float]] = []
    for price in np.sort(prices).tolist():
        if groups and price - groups[-1][0] <= tolerance:
            groups[-1].append(price)
        else:
            groups.append([price])
    return [(sum(g) / len(g), len(g)) for g in groups]


def support_resistance(high: np.ndarray, low: np.ndarray, price: float, atr: float | None,
                       per_side: int = 3, lookback: int = 300) -> list[Level]:
    """The strongest clusters of swing points on each side of the price, and the nearest one
    on each side whatever its strength, nearest first (so the first level listed on a side is
    the nearest support or resistance).

    Swing prices within half an ATR (or 0.5 % of price without ATR) form one level; its
    strength is the number of swings in it."""
    tolerance = 0.5 * atr if atr else 0.005 * price
    groups = cluster(swing_points(high[-lookback:], low[-lookback:]), tolerance)
    levels = []
    for kind, side in (("support", [g for g in groups if g[0] < price]),
                       ("resistance", [g for g in groups if g[0] > price])):
        strongest = sorted(side, key=lambda g: (-g[1], abs(g[0] - price)))[:per_side]
        nearest = min(side, key=lambda g: abs(g[0] - price)) if side else None
        if nearest is not None and nearest not in strongest:
            strongest.append(nearest)
        for mean, count in sorted(strongest, key=lambda g: abs(g[0] - price)):
            levels.append(Level(price=mean, kind=kind, strength=count))  # type: ignore[arg-type]
    return levels


def trend(price: float, ind: IndicatorSnapshot, atr_history: np.ndarray) -> Trend:
    """Direction from the EMAs and DMI, regime from ADX (> 25 trending), volatility from the
    ATR now against its median of the last 100 candles (< 0.8× low, > 1.3× high)."""
    up = sum(x for x in (
        ind.ema_20 is not None and price > ind.ema_20,
        ind.ema_20 is not None and ind.ema_50 is not None and ind.ema_20 > ind.ema_50,
        ind.plus_di_14 is not None and ind.minus_di_14 is not None
        and ind.plus_di_14 > ind.minus_di_14))
    down = sum(x for x in (
        ind.ema_20 is not None and price < ind.ema_20,
        ind.ema_20 is not None and ind.ema_50 is not None and ind.ema_20 < ind.ema_50,
        ind.plus_di_14 is not None and ind.minus_di_14 is not None
        and ind.plus_di_14 < ind.minus_di_14))
    direction = "up" if up >= 2 and up > down else "down" if down >= 2 and down > up \
        else "sideways"
    recent = atr_history[-100:]
    recent = recent[~np.isnan(recent)]
    ratio = float(ind.atr_14 / np.median(recent)) if ind.atr_14 and len(recent) else 1.0
    volatility = "low" if ratio < 0.8 else "high" if ratio > 1.3 else "normal"
    regime = "trending" if ind.adx_14 is not None and ind.adx_14 > 25 else "ranging"
    return Trend(direction=direction, regime=regime, volatility=volatility,  # type: ignore[arg-type]
                 adx=ind.adx_14, atr_pct=(ind.atr_14 / price * 100) if ind.atr_14 else None)
