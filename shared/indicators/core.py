"""The indicator snapshot at the last candle: the TA-Lib set plus the numpy indicators.

TA-Lib computes what it can (SMA/EMA, RSI, MACD, Bollinger, ATR, Stochastic, ADX/DMI, OBV,
MFI, CCI); ``shared.indicators.extra`` adds VWAP, Ichimoku and Supertrend with numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import talib

from shared.indicators import extra
from shared.models import Candles, IndicatorSnapshot


@dataclass(frozen=True)
class Series:
    """The candles as float arrays, converted once."""

    timestamps: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray

    @classmethod
    def of(cls, candles: Candles) -> Series:
        return cls(np.asarray(candles.timestamps, dtype=np.int64),
                   *(np.asarray(col, dtype=float) for col in (
                       candles.open, candles.high, candles.low, candles.close, candles.volume)))


def last(series: np.ndarray) -> float | None:
    value = float(series[-1]) if len(series) else math.nan
    return None if math.isnan(value) else value


def _averages(close: np.ndarray) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for period in (20, 50, 200):
        out[f"sma_{period}"] = last(talib.SMA(close, timeperiod=period))
        out[f"ema_{period}"] = last(talib.EMA(close, timeperiod=period))
    return out


def _oscillators(s: Series) -> dict[str, float | None]:
    high, low, close, volume = s.high, s.low, s.close, s.volume
    macd, macd_signal, macd_hist = talib.MACD(close, fastperiod=12, slowperiod=26, signalperiod=9)
    upper, middle, lower = talib.BBANDS(close, timeperiod=20, nbdevup=2, nbdevdn=2,
                                        matype=talib.MA_Type.SMA)
    sma = talib.MA_Type.SMA
    slowk, slowd = talib.STOCH(high, low, close, fastk_period=14, slowk_period=3,
                               slowk_matype=sma, slowd_period=3, slowd_matype=sma)
    return {
        "rsi_14": last(talib.RSI(close, timeperiod=14)),
        "macd": last(macd), "macd_signal": last(macd_signal), "macd_hist": last(macd_hist),
        "bb_upper": last(upper), "bb_middle": last(middle), "bb_lower": last(lower),
        "atr_14": last(talib.ATR(high, low, close, timeperiod=14)),
        "stoch_k": last(slowk), "stoch_d": last(slowd),
        "adx_14": last(talib.ADX(high, low, close, timeperiod=14)),
        "plus_di_14": last(talib.PLUS_DI(high, low, close, timeperiod=14)),
        "minus_di_14": last(talib.MINUS_DI(high, low, close, timeperiod=14)),
        "obv": last(talib.OBV(close, volume)),
        "mfi_14": last(talib.MFI(high, low, close, volume, timeperiod=14)),
        "cci_20": last(talib.CCI(high, low, close, timeperiod=20)),
    }


def _numpy_set(s: Series) -> dict[str, float | int | None]:
    cloud = extra.ichimoku(s.high, s.low)
    line, direction = extra.supertrend(s.high, s.low, s.close)
    return {
        "vwap": extra.vwap(s.high, s.low, s.close, s.volume),
        "supertrend": line, "supertrend_direction": direction,
        "ichimoku_tenkan": cloud.tenkan, "ichimoku_kijun": cloud.kijun,
        "ichimoku_span_a": cloud.span_a, "ichimoku_span_b": cloud.span_b,
    }


def snapshot(s: Series) -> IndicatorSnapshot:
    values: dict[str, float | int | None] = {**_averages(s.close), **_oscillators(s)}
    values.update(_numpy_set(s))
    return IndicatorSnapshot(**values)  # type: ignore[arg-type]


def compute(candles: Candles) -> IndicatorSnapshot:
    """Every indicator at the last candle; one that needs more history than given is None."""
    return snapshot(Series.of(candles))
