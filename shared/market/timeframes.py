"""Timeframe arithmetic: durations, bucket starts and resampling of candles."""

from __future__ import annotations

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


def resample(candles: Candles, timeframe: str) -> Candles:
    """Merge candles into ``timeframe`` buckets: first open, max high, min low, last close,
    summed volume. Gaps in the input simply leave fewer candles in a bucket."""
    columns: dict[str, list] = {
        k: [] for k in ("timestamps", "open", "high", "low", "close", "volume")
    }
    current = None
    for i, ts in enumerate(candles.timestamps):
        start = bucket_start(ts, timeframe)
        if start != current:
            current = start
            columns["timestamps"].append(start)
            columns["open"].append(candles.open[i])
            columns["high"].append(candles.high[i])
            columns["low"].append(candles.low[i])
            columns["close"].append(candles.close[i])
            columns["volume"].append(candles.volume[i])
            continue
        columns["high"][-1] = max(columns["high"][-1], candles.high[i])
        columns["low"][-1] = min(columns["low"][-1], candles.low[i])
        columns["close"][-1] = candles.close[i]
        columns["volume"][-1] += candles.volume[i]
    return Candles(**columns)
