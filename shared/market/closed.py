"""Closed candles and the forming one, kept apart.

An analysis reads closed candles only: a candle whose period is still running has a close that
will move, so its values are no basis for a signal. The forming candle is shown separately, as
the live price and the moment the source was read. Times printed for a candle are its close
time (open time + the timeframe), the moment its close became final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from shared.market.timeframes import duration_ms
from shared.models import Candles

_COLUMNS = ("timestamps", "open", "high", "low", "close", "volume")


@dataclass(frozen=True)
class Split:
    closed: Candles
    live_price: float | None = None
    live_at: datetime | None = None


def moment(epoch_ms: int) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC)


def close_time(open_ms: int, timeframe: str) -> datetime:
    """When the candle that opened at ``open_ms`` closes."""
    return moment(open_ms + duration_ms(timeframe))


def split(candles: Candles) -> Split:
    """The closed candles, and the forming candle's close as the live price (with the time
    the source was read, when it says)."""
    if not candles.unfinished_last or not len(candles):
        return Split(candles)
    closed = Candles(**{name: getattr(candles, name)[:-1] for name in _COLUMNS},
                     gaps=candles.gaps, read_at_ms=candles.read_at_ms)
    read_at = moment(candles.read_at_ms) if candles.read_at_ms is not None else None
    return Split(closed, live_price=candles.close[-1], live_at=read_at)
