"""Fit the confidence map and prove it out of sample: ``python -m shared.backtest.calibrate``.

For each timeframe replay can build from the bundled BTC/USDT history, the score → chance of a
rise map (``fit``) is fitted on every closed candle and written to ``calibration.json``, which
the analyzer reads. The check: a map fitted only on candles whose outcome was known before the
cut-off, scored on the candles after it — the Brier score of the stated confidence on the calls
against the Brier score of the base rate (the share of calls right before the cut-off).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from shared.backtest import engine
from shared.backtest.fit import fit
from shared.backtest.history import load
from shared.backtest.stats import brier, forward_returns, reliability
from shared.backtest.walk import first_full
from shared.config import Settings
from shared.indicators import calibration

log = logging.getLogger(__name__)
SYMBOL = "BTC/USDT"
TIMEFRAMES = ("2h", "4h", "6h", "12h", "1d", "1w")
CUTOFF = "2023-01-01"
MIN_FIT = 1000  # a timeframe with fewer candles of history gets no map (confidence 50 %)


def _score_calls(fitted: dict[str, Any], score: np.ndarray, lean: np.ndarray,
                 fwd: np.ndarray, base: float) -> dict[str, Any]:
    taken = (lean != 0) & ~np.isnan(fwd)
    p_up = np.array([calibration.p_up_from(fitted, s) for s in score[taken]])
    confidence = np.where(lean[taken] > 0, p_up, 1 - p_up)
    right = (lean[taken] * fwd[taken] > 0).astype(float)
    return {"n": int(taken.sum()), "hit_rate": round(float(right.mean()), 4) if len(right)
            else None, "brier": round(brier(confidence, right), 5),
            "brier_base_rate": round(brier(np.full(len(right), base), right), 5),
            "base_rate": round(base, 4), "reliability": reliability(confidence, right)}


def _right_share(score: np.ndarray, lean: np.ndarray, fwd: np.ndarray) -> float:
    taken = (lean != 0) & ~np.isnan(fwd)
    return float((lean[taken] * fwd[taken] > 0).mean()) if taken.any() else 0.5


def check(timestamps: np.ndarray, close: np.ndarray, cutoff_ms: int,
          horizon: int = calibration.HORIZON) -> dict[str, Any]:
    """Fit before ``cutoff_ms`` (outcomes known by then), score from it on."""
    calls = engine.calls(close)
    start, fwd = first_full(calls), forward_returns(close, horizon)
    up = np.where(np.isnan(fwd), np.nan, (fwd > 0).astype(float))
    period = int(timestamps[1] - timestamps[0]) if len(timestamps) > 1 else 0
    known = (np.arange(len(close)) >= start) & (timestamps + (horizon + 1) * period <= cutoff_ms)
    after = timestamps >= cutoff_ms
    fitted = fit(calls.score[known], up[known])
    lean, score = calls.lean(), calls.score
    base = _right_share(score[known], lean[known], fwd[known])
    return {"cutoff": datetime.fromtimestamp(cutoff_ms / 1000, UTC).date().isoformat(),
            "in_sample": _score_calls(fitted, score[known], lean[known], fwd[known], base),
            "out_of_sample": _score_calls(fitted, score[after], lean[after], fwd[after], base)}


def calibrate(folder: Path, cutoff: str = CUTOFF) -> dict[str, Any]:
    cutoff_ms = int(datetime.fromisoformat(cutoff).replace(tzinfo=UTC).timestamp() * 1000)
    out: dict[str, Any] = {
        "symbol": SYMBOL, "horizon": calibration.HORIZON, "method": "isotonic, shrunk",
        "command": "python -m shared.backtest.calibrate", "timeframes": {}, "checks": {}}
    for timeframe in TIMEFRAMES:
        history = load(folder, SYMBOL, timeframe)
        calls = engine.calls(history.close)
        start = first_full(calls)
        fwd = forward_returns(history.close, calibration.HORIZON)
        up = np.where(np.isnan(fwd), np.nan, (fwd > 0).astype(float))
        out["checks"][timeframe] = check(history.timestamps, history.close, cutoff_ms)
        if len(history.close) - start < MIN_FIT:
            continue
        fitted = fit(calls.score[start:], up[start:])
        fitted["fitted_until"] = datetime.fromtimestamp(
            int(history.timestamps[-1]) / 1000, UTC).date().isoformat()
        out["timeframes"][timeframe] = fitted
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Settings.model_validate({}).replay_dir)
    parser.add_argument("--cutoff", default=CUTOFF)
    parser.add_argument("--out", type=Path, default=calibration.FILE)
    args = parser.parse_args(argv)
    result = calibrate(args.data, args.cutoff)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for timeframe, checked in result["checks"].items():
        sys.stdout.write(f"{timeframe}: {_line(checked)}\n")
    return 0


def _line(checked: dict[str, Any]) -> str:
    parts = []
    for name in ("in_sample", "out_of_sample"):
        v = checked[name]
        parts.append(f"{name} n={v['n']} hit={v['hit_rate']} brier={v['brier']} "
                     f"base={v['brier_base_rate']}")
    return f"cut-off {checked['cutoff']}: " + "; ".join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
