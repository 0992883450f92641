"""The map from the engine's score to the chance that the price is higher ``horizon`` candles
later, fitted on past candles only.

Per distinct score: how often the price rose. Isotonic regression (pool-adjacent-violators,
weighted by count) makes the map non-decreasing in the score — a higher score may not mean a
lower chance of a rise — and where the data say the opposite it pools the bins into one flat
stretch. Each pooled stretch is then shrunk toward the base rate with ``prior`` pseudo-candles,
so a thin bin cannot claim much. Where the engine has no edge the map is flat at the base rate.
"""

from __future__ import annotations

from typing import Any

import numpy as np

PRIOR = 200.0  # pseudo-candles at the base rate added to every pooled stretch


def pool_adjacent_violators(values: list[float], weights: list[float]) -> list[float]:
    """The weighted non-decreasing fit closest (least squares) to ``values``."""
    blocks: list[list[float]] = []  # [mean, weight, count of values]
    for value, weight in zip(values, weights, strict=True):
        blocks.append([value, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean_b, weight_b, count_b = blocks.pop()
            mean_a, weight_a, count_a = blocks.pop()
            total = weight_a + weight_b
            blocks.append([(mean_a * weight_a + mean_b * weight_b) / total, total,
                           count_a + count_b])
    fitted: list[float] = []
    for mean, _, count in blocks:
        fitted.extend([mean] * int(count))
    return fitted


def fit(score: np.ndarray, up: np.ndarray, prior: float = PRIOR) -> dict[str, Any]:
    """``{"base_up", "n", "bins": [{"score", "n", "up_share", "p_up"}]}`` from past candles:
    ``score`` the engine's score at each, ``up`` 1 where the price rose over the horizon."""
    keep = ~np.isnan(score) & ~np.isnan(up)
    score, up = np.round(score[keep], 4), up[keep]
    base = float(up.mean())
    keys = np.unique(score)
    counts = [float((score == k).sum()) for k in keys]
    shares = [float(up[score == k].mean()) for k in keys]
    pooled = pool_adjacent_violators(shares, counts)
    bins = []
    i = 0
    while i < len(keys):  # shrink each pooled stretch as a whole
        j = i
        while j + 1 < len(keys) and pooled[j + 1] == pooled[i]:
            j += 1
        n = sum(counts[i:j + 1])
        p = (pooled[i] * n + base * prior) / (n + prior)
        bins += [{"score": float(keys[k]), "n": int(counts[k]), "up_share": round(shares[k], 4),
                  "p_up": round(p, 4)} for k in range(i, j + 1)]
        i = j + 1
    return {"base_up": round(base, 4), "n": int(len(up)), "prior": prior, "bins": bins}
