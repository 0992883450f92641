"""Hit rates with Wilson intervals, forward returns, Brier scores and reliability tables."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

Z95 = 1.959963984540054


def wilson(hits: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default); (0, 1) when n = 0."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def forward_returns(close: np.ndarray, horizon: int) -> np.ndarray:
    """close[t + h] / close[t] − 1, NaN where t + h is beyond the history."""
    out = np.full(len(close), np.nan)
    if horizon < len(close):
        out[:-horizon] = close[horizon:] / close[:-horizon] - 1
    return out


def record(direction: np.ndarray, forward: np.ndarray) -> dict[str, Any]:
    """How calls (+1 long, −1 short; 0 = no call) fared: n, hits (the price moved the called
    way), hit rate with its 95 % Wilson interval, mean and median return of following them."""
    taken = (direction != 0) & ~np.isnan(forward)
    gains = direction[taken] * forward[taken]
    n, hits = int(taken.sum()), int((gains > 0).sum())
    low, high = wilson(hits, n)
    return {
        "n": n, "hits": hits, "hit_rate": round(hits / n, 4) if n else None,
        "ci_low": round(low, 4), "ci_high": round(high, 4),
        "mean_return": round(float(gains.mean()), 6) if n else None,
        "median_return": round(float(np.median(gains)), 6) if n else None,
    }


def brier(forecast: np.ndarray, outcome: np.ndarray) -> float:
    return float(np.mean((forecast - outcome) ** 2))


EDGES = (0.0, 0.45, 0.5, 0.55, 0.6, 1.0)


def reliability(forecast: np.ndarray, outcome: np.ndarray,
                edges: tuple[float, ...] = EDGES) -> list[dict[str, Any]]:
    """Forecasts grouped into bins: the mean forecast against how often it came true."""
    rows = []
    bins = np.clip(np.searchsorted(edges, forecast, side="right") - 1, 0, len(edges) - 2)
    for b in range(len(edges) - 1):
        chosen = bins == b
        n = int(chosen.sum())
        if not n:
            continue
        low, high = wilson(int(outcome[chosen].sum()), n)
        rows.append({"bin": f"{edges[b]:.2f}–{edges[b + 1]:.2f}", "n": n,
                     "mean_forecast": round(float(forecast[chosen].mean()), 4),
                     "observed": round(float(outcome[chosen].mean()), 4),
                     "ci_low": round(low, 4), "ci_high": round(high, 4)})
    return rows
