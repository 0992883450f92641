"""The 5-level signal: each indicator votes -1, 0 or +1; the mean picks the level.

Confidence grows with how one-sided the votes are and shrinks when indicators are missing
(too little history). See docs/decisions/0004-signal-votes.md.
"""

from __future__ import annotations

from shared.models import IndicatorSnapshot, Signal

VOTERS = ("rsi", "macd", "price_vs_ema20", "ema20_vs_ema50", "ema50_vs_ema200", "bollinger")
_LEVELS = ((-0.6, Signal.strong_sell), (-0.2, Signal.sell), (0.2, Signal.neutral),
           (0.6, Signal.buy))


def _compare(a: float | None, b: float | None) -> int | None:
    if a is None or b is None:
        return None
    return (a > b) - (a < b)


def votes(price: float, ind: IndicatorSnapshot) -> dict[str, int]:
    """Each available indicator's vote; missing indicators do not vote."""
    cast: dict[str, int | None] = {
        "rsi": None if ind.rsi_14 is None
        else (1 if ind.rsi_14 < 30 else -1 if ind.rsi_14 > 70 else 0),
        "macd": None if ind.macd_hist is None else _compare(ind.macd_hist, 0.0),
        "price_vs_ema20": _compare(price, ind.ema_20),
        "ema20_vs_ema50": _compare(ind.ema_20, ind.ema_50),
        "ema50_vs_ema200": _compare(ind.ema_50, ind.ema_200),
        "bollinger": None
        if ind.bb_upper is None or ind.bb_lower is None
        else (1 if price < ind.bb_lower else -1 if price > ind.bb_upper else 0),
    }
    return {name: vote for name, vote in cast.items() if vote is not None}


def decide(cast: dict[str, int]) -> tuple[Signal, float]:
    """The signal level and a confidence in [0, 1] from the votes."""
    if not cast:
        return Signal.neutral, 0.0
    score = sum(cast.values()) / len(cast)
    signal = next((level for bound, level in _LEVELS if score <= bound), Signal.strong_buy)
    if signal is Signal.neutral:
        agreement = sum(1 for v in cast.values() if v == 0) / len(cast)
        strength = max(agreement, 1 - abs(score) / 0.2) * 0.6
    else:
        strength = 0.35 + 0.65 * abs(score)
    coverage = len(cast) / len(VOTERS)
    return signal, round(min(1.0, strength * coverage), 3)
