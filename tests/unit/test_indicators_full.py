"""The full indicator set equals TA-Lib on real candles; the numpy ones match hand-worked
cases of their published formulas."""

from __future__ import annotations

import numpy as np
import pytest
import talib

from shared.indicators import extra, levels, patterns, timeframes
from shared.indicators.core import Series, compute
from shared.indicators.technical import analyse
from shared.market.replay import ReplaySource
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def candles():
    return ReplaySource(ROOT / "data" / "ohlcv").candles("ETH/USDT", "2h", 1000)


def test_talib_set_equals_talib(candles) -> None:
    s = Series.of(candles)
    h, lo, c, v = s.high, s.low, s.close, s.volume
    snap = compute(candles)
    k, d = talib.STOCH(h, lo, c, 14, 3, 0, 3, 0)
    expected = {
        "sma_20": talib.SMA(c, 20)[-1], "sma_200": talib.SMA(c, 200)[-1], "stoch_k": k[-1],
        "stoch_d": d[-1], "adx_14": talib.ADX(h, lo, c, 14)[-1],
        "plus_di_14": talib.PLUS_DI(h, lo, c, 14)[-1],
        "minus_di_14": talib.MINUS_DI(h, lo, c, 14)[-1], "obv": talib.OBV(c, v)[-1],
        "mfi_14": talib.MFI(h, lo, c, v, 14)[-1], "cci_20": talib.CCI(h, lo, c, 20)[-1],
    }
    for name, value in expected.items():
        assert getattr(snap, name) == pytest.approx(value, rel=1e-9), name


def test_patterns_on_the_window_equal_patterns_on_the_full_history(candles) -> None:
    s = Series.of(candles)
    for name, function in patterns.pattern_functions():
        full = function(s.open, s.high, s.low, s.close)[-3:]  # type: ignore[operator]
        tail = function(*(x[-patterns.WINDOW:] for x in (s.open, s.high, s.low,  # type: ignore[operator]
                                                           s.close)))[-3:]
        assert list(full) == list(tail), name


def test_vwap_hand_worked() -> None:
    high, low = np.array([12.0, 14.0]), np.array([8.0, 10.0])
    close, volume = np.array([10.0, 12.0]), np.array([1.0, 3.0])
    # typical prices 10 and 12; (10*1 + 12*3) / 4 = 11.5
    assert extra.vwap(high, low, close, volume, window=2) == pytest.approx(11.5)
    assert extra.vwap(high, low, close, volume, window=3) is None


def test_pivots_classic_formula() -> None:
    p = extra.pivots(high=110.0, low=90.0, close=100.0)
    assert p == {"p": 100.0, "r1": 110.0, "s1": 90.0, "r2": 120.0, "s2": 80.0, "r3": 130.0,
                 "s3": 70.0}


def test_fibonacci_of_an_upswing_and_a_downswing() -> None:
    up = extra.fibonacci(np.array([101.0, 150.0, 200.0]), np.array([100.0, 120.0, 180.0]))
    assert up["0"] == 200 and up["0.5"] == 150 and up["0.618"] == pytest.approx(138.2)
    down = extra.fibonacci(np.array([200.0, 150.0, 120.0]), np.array([180.0, 130.0, 100.0]))
    assert down["0"] == 100 and down["0.382"] == pytest.approx(138.2)


def test_ichimoku_on_a_straight_line() -> None:
    high = np.arange(1.0, 101.0) + 1
    low = np.arange(1.0, 101.0) - 1
    cloud = extra.ichimoku(high, low)
    # tenkan at the last candle: (max high of the last 9 + min low of the last 9) / 2
    assert cloud.tenkan == pytest.approx((101 + 91) / 2)
    assert cloud.kijun == pytest.approx((101 + 74) / 2)
    # the cloud now is what was computed 26 candles ago (index 73)
    assert cloud.span_a == pytest.approx(((75 + 65) / 2 + (75 + 48) / 2) / 2)
    assert cloud.span_b == pytest.approx((75 + 22) / 2)


def test_supertrend_follows_a_trend_and_flips() -> None:
    rise = np.linspace(100, 200, 60)
    line, direction = extra.supertrend(rise + 1, rise - 1, rise)
    assert direction == 1 and line is not None and line < 200
    fall = np.concatenate([rise, np.linspace(200, 120, 30)])
    line, direction = extra.supertrend(fall + 1, fall - 1, fall)
    assert direction == -1 and line is not None and line > 120


def test_swing_clusters_and_levels() -> None:
    assert levels.cluster(np.array([100.0, 100.4, 100.8, 105.0]), 1.0) == [
        (pytest.approx(100.4), 3), (105.0, 1)]
    high = np.array([1, 2, 3, 10, 3, 2, 1, 2, 3, 10.2, 3, 2, 1], dtype=float)
    low = high - 0.5
    found = levels.support_resistance(high, low, price=5.0, atr=1.0)
    resistance = [lv for lv in found if lv.kind == "resistance"]
    assert resistance and resistance[0].strength == 2 and resistance[0].price == pytest.approx(10.1)


def test_resample_to_the_higher_timeframe(candles) -> None:
    s = Series.of(candles)
    up = timeframes.resample(s, "6h")
    assert np.all(np.diff(up.timestamps) == 6 * 3_600_000)
    first = int(np.searchsorted(s.timestamps, up.timestamps[0]))
    assert up.open[0] == s.open[first] and up.close[0] == s.close[first + 2]
    assert up.high[0] == s.high[first:first + 3].max()
    assert up.volume[0] == pytest.approx(s.volume[first:first + 3].sum())


def test_analysis_has_confluence_and_levels_on_both_sides(candles) -> None:
    t = analyse(candles, "2h")
    assert t.confluence is not None and t.confluence.timeframe == "6h"
    assert t.trend.direction in ("up", "down", "sideways")
    assert set(t.pivots) == {"p", "r1", "r2", "r3", "s1", "s2", "s3"}
    assert all(lv.price < t.price for lv in t.levels if lv.kind == "support")
