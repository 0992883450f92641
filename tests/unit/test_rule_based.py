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
