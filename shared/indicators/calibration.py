"""The calibrated confidence: the chance that a call is right ``HORIZON`` candles later.

The map from the engine's score to the chance of a rise is data
(``shared/backtest/calibration.json``, written by ``python -m shared.backtest.calibrate`` from
the bundled history, past candles only); reading it costs a JSON load, no numpy. A buy is
right when the price is higher after the horizon, a sell when it is lower; a neutral signal
makes no call, so its confidence is the even 50 %. A timeframe without a fitted map (too little
bundled history to fit one) gets 50 % too, and the result says it is not calibrated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FILE = Path(__file__).resolve().parent.parent / "backtest" / "calibration.json"
HORIZON = 10
EDGE_MARGIN = 0.03  # a call within 3 points of 50 % reads as "no measurable edge"


@dataclass(frozen=True)
class Outlook:
    p_up: float  # chance that the close is higher HORIZON candles later
    calibrated: bool  # False: no map for the timeframe, p_up is the even 50 %
    horizon: int = HORIZON


@cache
def maps() -> dict[str, Any]:
    if not FILE.exists():
        return {"timeframes": {}}
    return dict(json.loads(FILE.read_text(encoding="utf-8")))


def p_up_from(fitted: dict[str, Any] | None, score: float) -> float:
    """The fitted chance of a rise at ``score``: linear between the fitted scores, flat
    beyond them; the base rate of 50 % when nothing is fitted."""
    bins = (fitted or {}).get("bins") or []
    if not bins:
        return 0.5
    points = sorted((float(b["score"]), float(b["p_up"])) for b in bins)
    if score <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if score <= x1:
            return y0 + (y1 - y0) * (score - x0) / (x1 - x0)
    return points[-1][1]


def lookup(timeframe: str, score: float) -> Outlook:
    fitted = maps().get("timeframes", {}).get(timeframe)
    if fitted is None:
        return Outlook(p_up=0.5, calibrated=False)
    return Outlook(p_up=round(p_up_from(fitted, score), 4), calibrated=True)


def confidence(lean: int, outlook: Outlook) -> float:
    """The chance that the call is right: p(up) for a buy, 1 − p(up) for a sell, 0.5 for no
    call."""
    if lean > 0:
        return outlook.p_up
    if lean < 0:
        return round(1 - outlook.p_up, 4)
    return 0.5


def has_edge(confidence_value: float) -> bool:
    return confidence_value >= 0.5 + EDGE_MARGIN
