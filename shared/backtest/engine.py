"""The engine's signal at every candle of a history, with numpy and TA-Lib, at once.

The indicators that vote (RSI 14, MACD 12/26/9, EMA 20/50/200, Bollinger 20×2) are causal in
TA-Lib: the value at candle t depends only on candles ≤ t, so one pass over the series gives,
at each t, what ``shared.indicators`` computes from the history up to t (a test compares the
two candle by candle). The votes and the score follow ``shared.indicators.signal`` exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import talib

from shared.indicators import signal as rules

LEVELS = ("strong_sell", "sell", "neutral", "buy", "strong_buy")  # codes -2 … +2


@dataclass(frozen=True)
class Calls:
    """Per candle: the score (mean vote, NaN where nothing votes), the number of voters and
    the signal level as a code -2 … +2."""

    score: np.ndarray
    voters: np.ndarray
    level: np.ndarray

    def lean(self) -> np.ndarray:
        return np.sign(self.level)


def _sign(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.sign(a - b)
    out[np.isnan(a) | np.isnan(b)] = np.nan
    return out


def _band(value: np.ndarray, low: np.ndarray, high: np.ndarray,
          low_vote: float, high_vote: float) -> np.ndarray:
    out = np.where(value < low, low_vote, np.where(value > high, high_vote, 0.0))
    out[np.isnan(low) | np.isnan(high)] = np.nan
    return out


def vote_matrix(close: np.ndarray) -> np.ndarray:
    """One row per voter in ``signal.VOTERS`` order, one column per candle; NaN = no vote."""
    close = np.asarray(close, dtype=float)
    rsi = talib.RSI(close, timeperiod=14)
    _, _, hist = talib.MACD(close, fastperiod=12, slowperiod=26, signalperiod=9)
    ema20, ema50, ema200 = (talib.EMA(close, timeperiod=p) for p in (20, 50, 200))
    upper, _, lower = talib.BBANDS(close, timeperiod=20, nbdevup=2, nbdevdn=2,
                                   matype=talib.MA_Type.SMA)
    rows = {
        "rsi": _band(rsi, np.full_like(close, rules.RSI_LOW), np.full_like(close, rules.RSI_HIGH),
                     1.0, -1.0),
        "macd": _sign(hist, np.zeros_like(close)),
        "price_vs_ema20": _sign(close, ema20),
        "ema20_vs_ema50": _sign(ema20, ema50),
        "ema50_vs_ema200": _sign(ema50, ema200),
        "bollinger": _band(close, lower, upper, 1.0, -1.0),
    }
    rows["rsi"][np.isnan(rsi)] = np.nan
    return np.vstack([rows[name] for name in rules.VOTERS])


def calls(close: np.ndarray) -> Calls:
    """The engine's score and level at every candle."""
    matrix = vote_matrix(close)
    voters = np.sum(~np.isnan(matrix), axis=0)
    total = np.nansum(matrix, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(voters > 0, total / np.maximum(voters, 1), np.nan)
    rounded = np.round(np.nan_to_num(score), 9)
    magnitude = np.where(np.abs(rounded) >= rules.STRONG, 2,
                         np.where(np.abs(rounded) >= rules.PLAIN, 1, 0))
    level = (np.sign(rounded) * magnitude).astype(int)
    return Calls(score=score, voters=voters, level=level)
