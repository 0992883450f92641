"""Timeframe arithmetic: durations, bucket starts and resampling of candles."""

from __future__ import annotations

from typing import Any

from shared.models import TIMEFRAMES, Candles

DAY_MS = 86_400_000
WEEK_MS = 7 * DAY_MS
# Weekly candles open on Monday 00:00 UTC; the epoch was a Thursday.
_MONDAY_OFFSET_MS = 4 * DAY_MS


def duration_ms(timeframe: str) -> int:
    return int(TIMEFRAMES[timeframe].total_seconds() * 1000)


def bucket_start(timestamp_ms: int, timeframe: str) -> int:
    size = duration_ms(timeframe)
    offset = _MONDAY_OFFSET_MS if size == WEEK_MS else 0
    return (timestamp_ms - offset) // size * size + offset


def divides(smaller: str, larger: str) -> bool:
    """Whether candles of ``smaller`` can be merged into candles of ``larger``."""
    small, large = duration_ms(smaller), duration_ms(larger)
    return large >= small and large % small == 0


Columns = tuple[Any, Any, Any, Any, Any, Any]  # timestamps, open, high, low, close, volume


def resample_columns(columns: Columns, timeframe: str) -> Columns:
    """OHLCV numpy columns merged into ``timeframe`` buckets (UTC-aligned, weeks from Monday):
    first open, max high, min low, last close, summed volume. A first bucket that misses
    candles is dropped; the last is the forming candle, as an exchange shows it; gaps leave
    fewer candles in a bucket. The one resampler, for replay and for the higher timeframe."""
    import numpy as np  # not on market_fetcher's cold path; only a resample needs it

    timestamps, open_, high, low, close, volume = columns
    period = duration_ms(timeframe)
    offset = _MONDAY_OFFSET_MS if period == WEEK_MS else 0
    buckets = (timestamps - offset) // period
    if not len(buckets):
        return columns
    starts = np.concatenate([[0], np.flatnonzero(np.diff(buckets)) + 1])
    if len(starts) > 1 and timestamps[0] - offset != buckets[0] * period:
        starts = starts[1:]
    first = int(starts[0])
    ends = np.concatenate([starts[1:] - 1, [len(buckets) - 1]])
    rel = starts - first
    return (buckets[starts] * period + offset, open_[starts],
            np.maximum.reduceat(high[first:], rel), np.minimum.reduceat(low[first:], rel),
            close[ends], np.add.reduceat(volume[first:], rel))


def resample(candles: Candles, timeframe: str) -> Candles:
    """``resample_columns`` over a ``Candles`` model."""
    import numpy as np

    columns = (np.asarray(candles.timestamps, dtype=np.int64),
               *(np.asarray(c, dtype=float) for c in (candles.open, candles.high, candles.low,
                                                      candles.close, candles.volume)))
    ts, o, h, lo, c, v = resample_columns(columns, timeframe)  # type: ignore[arg-type]
    return Candles(timestamps=ts.tolist(), open=o.tolist(), high=h.tolist(), low=lo.tolist(),
                   close=c.tolist(), volume=v.tolist())
