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
    assert "закрытие" in summary and "правилах" in summary


def test_price_formatting_keeps_small_prices_readable() -> None:
    assert fmt(0.16518) == "0.16518" and fmt(3713.52) == "3,713.52" and fmt(12.5) == "12.5"


def test_nearest_levels_come_from_the_listed_swing_levels() -> None:
    """The report's 'nearest support/resistance' are the levels the result lists, not a
    pivot or an average that happens to be closer."""
    from shared.llm.rule_scenarios import nearest

    ctx = {"price": 100.0, "levels": [{"price": 90.0, "kind": "support", "strength": 3},
                                      {"price": 112.0, "kind": "resistance", "strength": 2}],
           "pivots": {"s1": 99.0, "r1": 101.0}, "indicators": {"ema_20": 98.0}}
    assert nearest(ctx, above=False) == 90.0 and nearest(ctx, above=True) == 112.0
    only_pivots = {**ctx, "levels": []}
    assert nearest(only_pivots, above=False) == 99.0  # no swing level: the closest computed one


def test_russian_summary_names_the_signal_in_russian() -> None:
    reply = RuleBasedAnalyst().complete(LLMRequest("s", "p", CONTEXT, "ru"))
    summary = json.loads(reply.text)["summary"]
    assert "Сигнал: продажа" in summary and "sell" not in summary
