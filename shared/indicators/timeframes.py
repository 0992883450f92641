"""The next higher timeframe, resampled from the candles already fetched (no second fetch)."""

from __future__ import annotations

from shared.indicators.core import Series
from shared.market.timeframes import resample_columns

HIGHER = {"1m": "5m", "5m": "15m", "15m": "1h", "30m": "2h", "1h": "4h", "2h": "6h",
          "4h": "1d", "6h": "1d", "12h": "1d", "1d": "1w"}


def higher(timeframe: str) -> str | None:
    return HIGHER.get(timeframe)


def resample(s: Series, target: str) -> Series:
    """The series in ``target`` buckets (see ``shared.market.timeframes.resample_columns``)."""
    columns = (s.timestamps, s.open, s.high, s.low, s.close, s.volume)
    return Series(*resample_columns(columns, target))
