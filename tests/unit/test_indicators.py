"""Indicator values equal TA-Lib's on the bundled candles; the signal follows the votes."""

from __future__ import annotations

import numpy as np
import pytest
import talib

from shared.indicators.core import compute
from shared.indicators.signal import VOTERS, decide, votes
from shared.market.replay import ReplaySource
from shared.models import IndicatorSnapshot, Signal
from tests.conftest import ROOT


def test_snapshot_equals_talib_on_real_candles() -> None:
    candles = ReplaySource(ROOT / "data" / "ohlcv").candles("DOGE/USDT", "2h", 500)
    close, high, low = (np.asarray(x) for x in (candles.close, candles.high, candles.low))
    snap = compute(candles)
    macd, signal, hist = talib.MACD(close, 12, 26, 9)
    upper, middle, lower = talib.BBANDS(close, 20, 2, 2, 0)
    expected = {
        "rsi_14": talib.RSI(close, 14)[-1], "macd": macd[-1], "macd_signal": signal[-1],
        "macd_hist": hist[-1], "ema_20": talib.EMA(close, 20)[-1],
        "ema_50": talib.EMA(close, 50)[-1], "ema_200": talib.EMA(close, 200)[-1],
        "bb_upper": upper[-1], "bb_middle": middle[-1], "bb_lower": lower[-1],
        "atr_14": talib.ATR(high, low, close, 14)[-1],
    }
    for name, value in expected.items():
        assert getattr(snap, name) == pytest.approx(value, rel=1e-9), name


def test_short_history_leaves_long_indicators_empty() -> None:
    candles = ReplaySource(ROOT / "data" / "ohlcv").candles("ETH/USDT", "1d", 100)
    snap = compute(candles.tail(60))
    assert snap.ema_200 is None and snap.ema_50 is not None and snap.rsi_14 is not None


def snapshot(**values: float | None) -> IndicatorSnapshot:
    fields = dict.fromkeys(IndicatorSnapshot.model_fields)
    fields.update(values)
    return IndicatorSnapshot(**fields)  # type: ignore[arg-type]


def test_all_bullish_votes_give_strong_buy() -> None:
    snap = snapshot(rsi_14=25, macd_hist=5, ema_20=90, ema_50=80, ema_200=70, bb_upper=130,
                    bb_lower=101)
    cast = votes(100, snap)
    assert set(cast) == set(VOTERS)
    signal, score = decide(cast)
    assert signal is Signal.strong_buy and score == 1.0


def test_all_bearish_votes_give_strong_sell() -> None:
    snap = snapshot(rsi_14=80, macd_hist=-5, ema_20=110, ema_50=120, ema_200=130,
                    bb_upper=99, bb_lower=50)
    assert decide(votes(100, snap))[0] is Signal.strong_sell


def test_mixed_votes_score_their_mean() -> None:
    full = votes(100, snapshot(rsi_14=50, macd_hist=1, ema_20=101, ema_50=100, ema_200=90,
                               bb_upper=110, bb_lower=90))
    # rsi 0, macd +1, price below EMA 20 −1, EMA 20 > 50 +1, EMA 50 > 200 +1, inside band 0
    assert decide(full) == (Signal.buy, 2 / 6)
    assert decide({}) == (Signal.neutral, 0.0)


@pytest.mark.parametrize("cast, expected", [
    ({"rsi": 1, "macd": 0, "price_vs_ema20": 0, "ema20_vs_ema50": 0, "bollinger": 0},
     Signal.buy),
    ({"rsi": -1, "macd": 0, "price_vs_ema20": 0, "ema20_vs_ema50": 0, "bollinger": 0},
     Signal.sell),
    ({"rsi": 1, "macd": 1, "price_vs_ema20": 1, "ema20_vs_ema50": 0, "bollinger": 0},
     Signal.strong_buy),
    ({"rsi": -1, "macd": -1, "price_vs_ema20": -1, "ema20_vs_ema50": 0, "bollinger": 0},
     Signal.strong_sell),
    ({v: 0 for v in VOTERS} | {"rsi": 1}, Signal.neutral),
    ({v: 0 for v in VOTERS} | {"rsi": -1}, Signal.neutral),
])
def test_thresholds_are_symmetric(cast: dict[str, int], expected: Signal) -> None:
    """With five voters a score of +0.2 is a buy exactly as −0.2 is a sell (and ±0.6 strong);
    with six, one vote (±1/6) is neutral on both sides."""
    assert decide(cast)[0] is expected
