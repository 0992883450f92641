"""The 5-level signal: each indicator votes -1, 0 or +1; the mean vote (the score) picks the
level, with the same bounds on both sides (±0.2 plain, ±0.6 strong).

The score is the engine's raw reading, not a probability: the confidence shown with a signal
is the calibrated chance that such a call was right (``shared.indicators.calibration``).
See docs/decisions/0004-signal-votes.md and 0081-calibrated-confidence.md.
"""

from __future__ import annotations

from shared.models import IndicatorSnapshot, Signal

VOTERS = ("rsi", "macd", "price_vs_ema20", "ema20_vs_ema50", "ema50_vs_ema200", "bollinger")
RSI_LOW, RSI_HIGH = 30.0, 70.0
PLAIN, STRONG = 0.2, 0.6
_CODES = {-2: Signal.strong_sell, -1: Signal.sell, 0: Signal.neutral, 1: Signal.buy,
          2: Signal.strong_buy}


def _compare(a: float | None, b: float | None) -> int | None:
    if a is None or b is None:
        return None
    return (a > b) - (a < b)


def votes(price: float, ind: IndicatorSnapshot) -> dict[str, int]:
    """Each available indicator's vote; missing indicators do not vote."""
    cast: dict[str, int | None] = {
        "rsi": None if ind.rsi_14 is None
        else (1 if ind.rsi_14 < RSI_LOW else -1 if ind.rsi_14 > RSI_HIGH else 0),
        "macd": None if ind.macd_hist is None else _compare(ind.macd_hist, 0.0),
        "price_vs_ema20": _compare(price, ind.ema_20),
        "ema20_vs_ema50": _compare(ind.ema_20, ind.ema_50),
        "ema50_vs_ema200": _compare(ind.ema_50, ind.ema_200),
        "bollinger": None
        if ind.bb_upper is None or ind.bb_lower is None
        else (1 if price < ind.bb_lower else -1 if price > ind.bb_upper else 0),
    }
    return {name: vote for name, vote in cast.items() if vote is not None}


def score(cast: dict[str, int]) -> float:
    """The mean vote in [-1, 1]; 0 when nothing votes."""
    return sum(cast.values()) / len(cast) if cast else 0.0


def level_code(value: float) -> int:
    """-2 … +2 for strong sell … strong buy; symmetric: -0.2 is a sell as +0.2 is a buy."""
    s = round(value, 9)
    magnitude = 2 if abs(s) >= STRONG else 1 if abs(s) >= PLAIN else 0
    return magnitude if s > 0 else -magnitude


def decide(cast: dict[str, int]) -> tuple[Signal, float]:
    """The signal level and the score it came from."""
    value = score(cast)
    return _CODES[level_code(value)], value
