"""Each watchlist rule kind, judged on hand-made candles: fires when it holds, not otherwise."""

from __future__ import annotations

import pytest

from shared.models import Candles
from shared.services.alerts import Closes, alert_id, closed, evaluate
from shared.services.watchlist import (
    ChangePercent,
    MacdCross,
    PriceAbove,
    PriceBelow,
    RsiAbove,
    RsiBelow,
)

HOUR_MS = 3_600_000


def candles(closes: list[float], *, unfinished_last: bool = False) -> Candles:
    return Candles(timestamps=[i * HOUR_MS for i in range(len(closes))], open=closes,
                   high=[c * 1.01 for c in closes], low=[c * 0.99 for c in closes],
                   close=closes, volume=[1.0] * len(closes), unfinished_last=unfinished_last)


def judge(rule, closes: list[float]):  # type: ignore[no-untyped-def]
    return evaluate(rule, Closes(candles(closes)))


def test_price_above_fires_on_the_cross_and_while_beyond() -> None:
    rule = PriceAbove(kind="price_above", price=100)
    crossed = judge(rule, [98, 99, 101.5])
    assert crossed is not None and crossed.value == 101.5
    assert "crossed above 100" in crossed.text and "101.5" in crossed.text
    beyond = judge(rule, [102, 103])
    assert beyond is not None and "is above 100" in beyond.text
    assert judge(rule, [102, 100]) is None and judge(rule, [90, 95]) is None


def test_price_below_fires_on_the_cross_and_not_above() -> None:
    rule = PriceBelow(kind="price_below", price=100)
    fired = judge(rule, [103, 99])
    assert fired is not None and "crossed below 100" in fired.text and fired.value == 99
    assert judge(rule, [99, 100]) is None and judge(rule, [105, 104]) is None


def test_change_percent_over_the_window() -> None:
    rise = ChangePercent(kind="change_pct", percent=5, window=3)
    fired = judge(rise, [90, 100, 101, 102, 106])
    assert fired is not None and fired.value == pytest.approx(6.0)
    assert "+6.00% over 3 candles" in fired.text and "100 → 106" in fired.text
    assert judge(rise, [100, 101, 102, 104]) is None  # +4 %
    assert judge(rise, [100, 106]) is None  # not enough candles for the window
    fall = ChangePercent(kind="change_pct", percent=-3, window=1)
    dropped = judge(fall, [100, 96])
    assert dropped is not None and "-4.00% over 1 candle" in dropped.text
    assert judge(fall, [100, 98]) is None and judge(fall, [100, 110]) is None


def test_rsi_above_and_below() -> None:
    rising = [100 + i + (0.5 if i % 3 == 0 else 0) for i in range(40)]
    falling = [200 - i - (0.5 if i % 3 == 0 else 0) for i in range(40)]
    flat = [100.0 + (1 if i % 2 else -1) for i in range(40)]
    above, below = RsiAbove(kind="rsi_above", value=70), RsiBelow(kind="rsi_below", value=30)
    hot = judge(above, rising)
    assert hot is not None and hot.value > 70 and "RSI(14) is" in hot.text
    cold = judge(below, falling)
    assert cold is not None and cold.value < 30 and "below 30" in cold.text
    assert judge(above, flat) is None and judge(below, flat) is None
    assert judge(below, rising) is None and judge(above, falling) is None
    assert judge(above, rising[:10]) is None  # too little history for RSI(14)


def _first_cross(closes: list[float], rule: MacdCross) -> int:
    """The length of the shortest prefix whose last candle fires ``rule``."""
    for length in range(2, len(closes) + 1):
        if judge(rule, closes[:length]) is not None:
            return length
    raise AssertionError("the series never crosses")


@pytest.mark.parametrize("direction", ["bullish", "bearish"])
def test_macd_cross_fires_only_on_the_crossing_candle(direction: str) -> None:
    down = [100 - i * 0.5 for i in range(60)]
    up = [70 + i * 1.5 for i in range(20)]
    closes = down + up if direction == "bullish" else [200 - c for c in down + up]
    rule = MacdCross(kind="macd_cross", direction=direction)  # type: ignore[arg-type]
    length = _first_cross(closes, rule)
    assert length > 60  # the cross comes after the turn
    fired = judge(rule, closes[:length])
    assert fired is not None and direction in fired.text and "signal" in fired.text
    assert judge(rule, closes[:length + 1]) is None  # the next candle is no cross
    other = "bearish" if direction == "bullish" else "bullish"
    assert judge(MacdCross(kind="macd_cross", direction=other),  # type: ignore[arg-type]
                 closes[:length]) is None
    assert judge(MacdCross(kind="macd_cross"), closes[:length]) is not None  # any
    assert judge(rule, closes[:30]) is None  # too little history for MACD


def test_only_closed_candles_are_judged() -> None:
    running = candles([98, 99, 150], unfinished_last=True)
    assert closed(running).close == [98, 99]
    assert evaluate(PriceAbove(kind="price_above", price=100), Closes(closed(running))) is None
    assert closed(candles([1.0, 2.0])).close == [1.0, 2.0]


def test_alert_id_is_the_same_for_the_same_rule_on_the_same_candle() -> None:
    rule = PriceAbove(kind="price_above", price=100)
    first = alert_id("item1", 0, rule, 1_000)
    assert first == alert_id("item1", 0, PriceAbove(kind="price_above", price=100), 1_000)
    assert first != alert_id("item1", 0, rule, 2_000)  # the next candle
    assert first != alert_id("item1", 1, rule, 1_000)
    assert first != alert_id("item1", 0, PriceAbove(kind="price_above", price=101), 1_000)
