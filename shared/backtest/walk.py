"""The walk-forward record of one pair and timeframe: every closed candle where all the
engine's voters have history, the call made there from candles up to it, and what followed.

Per horizon (in candles): the engine's calls (all, buys, sells, each level), and on the same
candles three baselines: always long (holding), 20-candle momentum (long after a rise, short
after a fall), and a random signal with exactly the engine's mix of buys, sells and no-calls
(a seeded shuffle of its calls). A call is right when the price moved its way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from shared.backtest import engine
from shared.backtest.stats import brier, forward_returns, record, reliability
from shared.indicators import calibration
from shared.indicators.signal import VOTERS

HORIZONS = (5, 10, 20)
MOMENTUM = 20
SEED = 10


@dataclass(frozen=True)
class History:
    """Closed candles: open times (epoch ms) and closes, oldest first."""

    timestamps: np.ndarray
    close: np.ndarray


def first_full(calls: engine.Calls) -> int:
    """The first candle where every voter votes (EMA 200 needs 200 candles)."""
    full = np.flatnonzero(calls.voters == len(VOTERS))
    return int(full[0]) if len(full) else len(calls.voters)


def momentum(close: np.ndarray, span: int = MOMENTUM) -> np.ndarray:
    out = np.zeros(len(close))
    out[span:] = np.sign(close[span:] - close[:-span])
    return out


def _records(calls: engine.Calls, close: np.ndarray, start: int, fwd: np.ndarray,
             rng: np.random.Generator) -> dict[str, Any]:
    lean = calls.lean().astype(float)
    window = slice(start, len(close))
    rows: dict[str, Any] = {"calls": record(lean[window], fwd[window])}
    for side, code in (("buy", 1), ("sell", -1)):
        rows[side] = record(np.where(lean == code, lean, 0)[window], fwd[window])
    rows["levels"] = {name: record(np.where(calls.level == code, lean, 0)[window], fwd[window])
                      for code, name in enumerate(engine.LEVELS, start=-2) if code}
    rows["always_long"] = record(np.ones(len(close))[window], fwd[window])
    rows["momentum_20"] = record(momentum(close)[window], fwd[window])
    rows["random"] = record(rng.permutation(lean[window]), fwd[window])
    return rows


def confidence_check(calls: engine.Calls, fwd: np.ndarray, start: int, timeframe: str,
                     fitted: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Brier score of the stated confidence on the calls (right = 1) against the base rate
    (the share of calls that were right), and the reliability table."""
    lean = calls.lean()
    taken = (lean != 0) & ~np.isnan(fwd)
    taken[:start] = False
    if not taken.any():
        return None
    p_up = np.array([calibration.p_up_from(fitted, s) if fitted else
                     calibration.lookup(timeframe, s).p_up for s in calls.score[taken]])
    confidence = np.where(lean[taken] > 0, p_up, 1 - p_up)
    right = (lean[taken] * fwd[taken] > 0).astype(float)
    base = float(right.mean())
    return {"n": int(taken.sum()), "brier": round(brier(confidence, right), 5),
            "brier_base_rate": round(brier(np.full(len(right), base), right), 5),
            "base_rate": round(base, 4), "reliability": reliability(confidence, right)}


def track_record(history: History, timeframe: str,
                 horizons: tuple[int, ...] = HORIZONS) -> dict[str, Any]:
    """The record per horizon, with the span of candles it covers."""
    calls = engine.calls(history.close)
    start = first_full(calls)
    rng = np.random.default_rng(SEED)
    out: dict[str, Any] = {"candles": int(len(history.close) - start), "horizons": {}}
    if start >= len(history.close):
        return out
    out["first_candle"] = int(history.timestamps[start])
    out["last_candle"] = int(history.timestamps[-1])
    for horizon in horizons:
        fwd = forward_returns(history.close, horizon)
        rows = _records(calls, history.close, start, fwd, rng)
        if horizon == calibration.HORIZON:
            rows["confidence"] = confidence_check(calls, fwd, start, timeframe)
        out["horizons"][str(horizon)] = rows
    return out
