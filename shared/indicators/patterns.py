"""Candlestick patterns: every TA-Lib ``CDL*`` function over the recent candles."""

from __future__ import annotations

from functools import cache

import numpy as np
import talib

from shared.models import Pattern

# TA-Lib's pattern functions look back at most ~15 candles (10-candle body averages plus the
# pattern), so the last 40 candles give the same values at the end as the full history.
WINDOW = 40


@cache
def pattern_functions() -> tuple[tuple[str, object], ...]:
    names = talib.get_function_groups()["Pattern Recognition"]
    return tuple((name, getattr(talib, name)) for name in names)


def detect(open_: np.ndarray, high: np.ndarray, low: np.ndarray, close: np.ndarray,
           recent: int = 3) -> list[Pattern]:
    """Patterns that fired on one of the last ``recent`` candles, newest first."""
    o, h, lo, c = open_[-WINDOW:], high[-WINDOW:], low[-WINDOW:], close[-WINDOW:]
    found = []
    for name, function in pattern_functions():
        values = function(o, h, lo, c)[-recent:]  # type: ignore[operator]
        for ago, value in enumerate(values[::-1]):
            if value:
                found.append(Pattern(name=name[3:].lower(), candles_ago=ago,
                                     direction="bullish" if value > 0 else "bearish"))
                break
    return sorted(found, key=lambda p: p.candles_ago)
