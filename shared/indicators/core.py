"""The core indicator set, computed with TA-Lib on the candles' close/high/low."""

from __future__ import annotations

import math

import numpy as np
import talib

from shared.models import Candles, IndicatorSnapshot


def _last(series: np.ndarray) -> float | None:
    value = float(series[-1]) if len(series) else math.nan
    return None if math.isnan(value) else value


def compute(candles: Candles) -> IndicatorSnapshot:
    """RSI 14, MACD 12/26/9, EMA 20/50/200, Bollinger 20/2 and ATR 14 at the last candle.

    A value that needs more history than the candles hold is ``None``.
    """
    close = np.asarray(candles.close, dtype=float)
    high = np.asarray(candles.high, dtype=float)
    low = np.asarray(candles.low, dtype=float)
    macd, macd_signal, macd_hist = talib.MACD(close, fastperiod=12, slowperiod=26, signalperiod=9)
    upper, middle, lower = talib.BBANDS(close, timeperiod=20, nbdevup=2, nbdevdn=2, matype=0)
    return IndicatorSnapshot(
        rsi_14=_last(talib.RSI(close, timeperiod=14)),
        macd=_last(macd),
        macd_signal=_last(macd_signal),
        macd_hist=_last(macd_hist),
        ema_20=_last(talib.EMA(close, timeperiod=20)),
        ema_50=_last(talib.EMA(close, timeperiod=50)),
        ema_200=_last(talib.EMA(close, timeperiod=200)),
        bb_upper=_last(upper),
        bb_middle=_last(middle),
        bb_lower=_last(lower),
        atr_14=_last(talib.ATR(high, low, close, timeperiod=14)),
    )
