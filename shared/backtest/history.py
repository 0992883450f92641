"""The bundled history of a pair and timeframe as closed candles (the replay data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from shared.backtest.walk import History
from shared.market.closed import split
from shared.market.replay import ReplaySource

ALL = 10**7  # more candles than any bundled file holds


def load(folder: Path, symbol: str, timeframe: str) -> History:
    """Every closed candle replay serves for the pair (the forming one left out)."""
    candles = split(ReplaySource(folder).candles(symbol, timeframe, ALL)).closed
    return History(timestamps=np.asarray(candles.timestamps, dtype=np.int64),
                   close=np.asarray(candles.close, dtype=float))
