from __future__ import annotations

import json

from shared.llm.rule_based import RuleBasedAnalyst, fmt
from shared.ports import LLMRequest

CONTEXT = {
    "symbol": "BTC/USDT", "timeframe": "1d", "price": 109624.05,
    "as_of": "2025-08-26T00:00:00+00:00", "signal": "sell", "confidence": 0.62,
    "indicators": {"rsi_14": 37.7, "macd_hist": -842.9, "ema_20": 113000.0,
                   "ema_50": 112000.0, "ema_200": 100000.0, "bb_upper": 122668.1,
                   "bb_lower": 109724.6, "atr_14": 2500.0},
}


def test_report_is_written_from_the_numbers_and_labelled() -> None:
    reply = RuleBasedAnalyst().complete(LLMRequest("s", "p", CONTEXT, "en"))
    summary = json.loads(reply.text)["summary"]
    assert "109,624.05" in summary and "37.7" in summary and "sell" in summary
    assert "rule-based" in summary and reply.provider == "rule_based"


def test_report_in_russian() -> None:
    reply = RuleBasedAnalyst().complete(LLMRequest("s", "p", CONTEXT, "ru"))
    summary = json.loads(reply.text)["summary"]
    assert "последняя закрытая свеча закрылась на 109\u00a0624,05" in summary
    assert "правилах" in summary and "37,7" in summary


def test_price_formatting_keeps_small_prices_readable() -> None:
    assert fmt(0.16518) == "0.16518" and fmt(3713.52) == "3,713.52" and fmt(12.5) == "12.5"


def test_russian_number_forms_and_no_negative_zero() -> None:
    from shared.llm.numbers import candles, fixed, percent

    assert fmt(3713.52, "ru") == "3\u00a0713,52" and fmt(0.16518, "ru") == "0,16518"
    assert fmt(-0.0000001) == "0" and fixed(-0.04, 1) == "0.0" and fixed(-0.04, 1, "ru") == "0,0"
    assert percent(0.537, "ru") == "54\u00a0%" and percent(0.537) == "54%"
    assert [candles(n, "ru") for n in (1, 2, 5, 11, 21, 22, 112)] == [
        "1 свеча", "2 свечи", "5 свечей", "11 свечей", "21 свеча", "22 свечи", "112 свечей"]
    assert candles(1) == "1 candle" and candles(10) == "10 candles"


def test_nearest_levels_come_from_the_listed_swing_levels() -> None:
    """The report's 'nearest support/resistance' are the nearest swing levels the result
    lists; with none on a side it says so and invents nothing."""
    from shared.llm.rule_scenarios import TEXT, key_points, nearest, scenarios

    ctx = {"price": 100.0, "levels": [{"price": 90.0, "kind": "support", "strength": 3},
                                      {"price": 97.0, "kind": "support", "strength": 1},
                                      {"price": 112.0, "kind": "resistance", "strength": 2}],
           "pivots": {"s1": 99.0, "r1": 101.0}, "indicators": {"ema_20": 98.0, "atr_14": 2.0},
           "signal": "neutral", "fibonacci": {"0": 120.0, "1": 95.0}}
    assert nearest(ctx, above=False) == 97.0 and nearest(ctx, above=True) == 112.0
    no_resistance = {**ctx, "levels": ctx["levels"][:2]}
    assert nearest(no_resistance, above=True) is None
    assert "nearest resistance none above" in key_points(no_resistance, TEXT["en"])[-1]
    cases = scenarios(no_resistance, TEXT["en"])
    assert cases["bull_scenario"]["target"] is None  # not price × 1.03
    assert cases["bear_scenario"]["invalidation"] == 120.0  # the 120-candle high, a real level


def test_levels_list_the_nearest_swing_cluster_on_each_side() -> None:
    import numpy as np

    from shared.indicators.levels import support_resistance

    # a strong cluster far below (three swing lows at 80) and one weak swing low at 96
    lows = [100, 90, 80, 90, 100, 100, 100, 90, 80, 90, 100, 100, 100, 90, 80, 90, 100, 100,
            100, 99, 96, 99, 100, 100, 100]
    low = np.array(lows, dtype=float)
    high = low + 1
    found = support_resistance(high, low, 100.5, atr=1.0, per_side=1)
    supports = [lv for lv in found if lv.kind == "support"]
    assert [lv.price for lv in supports] == [96.0, 80.0]  # nearest first, then the strongest


def test_russian_summary_names_the_signal_in_russian() -> None:
    reply = RuleBasedAnalyst().complete(LLMRequest("s", "p", CONTEXT, "ru"))
    summary = json.loads(reply.text)["summary"]
    assert "Сигнал: продажа" in summary and "sell" not in summary
