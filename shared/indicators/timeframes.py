"""The next higher timeframe, resampled from the candles already fetched (no second fetch)."""

from __future__ import annotations

import numpy as np

from shared.indicators.core import Series
from shared.models import TIMEFRAMES

HIGHER = {"1m": "5m", "5m": "15m", "15m": "1h", "30m": "2h", "1h": "4h", "2h": "6h",
          "4h": "1d", "6h": "1d", "12h": "1d", "1d": "1w"}
_WEEK_OFFSET_MS = 4 * 86_400_000  # epoch is a Thursday; exchange weeks start on Monday


def higher(timeframe: str) -> str | None:
    return HIGHER.get(timeframe)


def resample(s: Series, target: str) -> Series:
    """OHLCV of ``target`` buckets (aligned to UTC, weeks to Monday). A first bucket that
    misses candles is dropped; the last one is the forming candle, as an exchange shows it."""
    period = int(TIMEFRAMES[target].total_seconds() * 1000)
    offset = _WEEK_OFFSET_MS if target == "1w" else 0
    buckets = (s.timestamps - offset) // period
    starts = np.concatenate([[0], np.flatnonzero(np.diff(buckets)) + 1]) if len(buckets) \
        else np.empty(0, dtype=np.int64)
    if len(starts) > 1 and s.timestamps[0] - offset != buckets[0] * period:
        starts = starts[1:]
    if not len(starts):
        return s
    first = int(starts[0])
    ends = np.concatenate([starts[1:] - 1, [len(buckets) - 1]])
    rel = starts - first
    return Series(
        timestamps=buckets[starts] * period + offset,
        open=s.open[starts], close=s.close[ends],
        high=np.maximum.reduceat(s.high[first:], rel),
        low=np.minimum.reduceat(s.low[first:], rel),
        volume=np.add.reduceat(s.volume[first:], rel),
    )
