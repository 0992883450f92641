"""The numbers guard and the provider chain, with fake providers written against the port."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.errors import PermanentError
from shared.indicators.technical import analyse
from shared.llm import guard, pricing
from shared.llm.chain import ProviderChain
from shared.llm.faults import ProviderUnavailable, ReplyRefused
from shared.llm.report import parse
from shared.llm.rule_based import write_report
from shared.market.replay import ReplaySource
from shared.ports import LLMReply, LLMRequest
from shared.prompts.variables import context_of
from tests.conftest import ROOT


@pytest.fixture(scope="module", params=[("BTC/USDT", "1d"), ("DOGE/USDT", "2h")])
def ctx(request) -> dict[str, Any]:
    symbol, timeframe = request.param
    candles = ReplaySource(ROOT / "data" / "ohlcv").candles(symbol, timeframe, 500)
    return context_of(analyse(candles, timeframe), symbol, timeframe, "en")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_rule_based_report_passes_the_guard(ctx, language) -> None:
    report = parse(json.dumps(write_report(ctx, language)))
    assert guard.check(report, ctx, language=language) == []


def test_invented_level_and_percentage_are_caught(ctx) -> None:
    raw = write_report(ctx, "en")
    raw["summary"] = f"Price {ctx['price']} may rally 37% to 987,654.3 (RSI 14, EMA 200)."
    raw["bull_scenario"]["invalidation"] = ctx["price"] * 1.2
    problems = guard.check(parse(json.dumps(raw)), ctx)
    assert any("37%" in p for p in problems) and any("987,654.3" in p for p in problems)
    assert any("invalidation" in p for p in problems)
    assert not any("14" in p.split()[0] or "200" == p.split()[0] for p in problems)


def test_numbers_are_read_in_english_and_russian_forms() -> None:
    found = [(v, pct) for _, v, pct in guard.numbers_in(
        "Close 109,624.05 on 2025-08-26 00:00; цена 109 624,05; 1,5%; 110k; EMA20 R1 4h")]
    assert found == [(109624.05, False), (109624.05, False), (1.5, True), (110000.0, False)]


def test_english_text_fails_a_russian_analysis(ctx) -> None:
    report = parse(json.dumps(write_report(ctx, "en")))
    assert "the report must be written in Russian" in guard.check(report, ctx, language="ru")


class Scripted:
    """A provider answering from a list: an exception is raised, a string is the reply."""

    def __init__(self, name: str, answers: list[Any]) -> None:
        self.name, self.model, self.answers, self.calls = name, f"{name}-m", answers, 0

    def complete(self, request: LLMRequest) -> LLMReply:
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return LLMReply(answer, self.name, self.model, 100, 50)


REQUEST = LLMRequest("s", "p", {"price": 1.0, "symbol": "X/USDT", "timeframe": "1d",
                                "as_of": "2025-01-01T00:00:00Z", "indicators": {},
                                "signal": "neutral", "confidence": 0.0}, "en")


def test_chain_backs_off_exponentially_then_falls_through() -> None:
    sleeps: list[float] = []
    first = Scripted("a", [ProviderUnavailable("down")] * 3)
    second = Scripted("b", [ReplyRefused("no")])
    chain = ProviderChain([first, second], retries=2, backoff=0.5, sleep=sleeps.append)
    outcome = chain.run(REQUEST)
    assert sleeps == [0.5, 1.0] and first.calls == 3 and second.calls == 1
    assert outcome.reply.provider == "rule_based"
    assert [a.outcome for a in outcome.attempts][-1] == "ok"


def test_chain_budget_skips_slow_providers_but_not_the_rule_based_one() -> None:
    clock = iter([0.0, 100.0, 100.0, 100.0, 100.0, 100.0])
    chain = ProviderChain([Scripted("a", ["{}"])], budget=10, clock=lambda: next(clock))
    outcome = chain.run(REQUEST)
    assert [a.outcome for a in outcome.attempts] == ["skipped_budget", "ok"]
    assert outcome.reply.provider == "rule_based"


def test_prices_and_daily_usage(ports) -> None:
    prices = {"gpt-4o-mini": (0.15, 0.60)}
    assert pricing.cost("gpt-4o-mini-2024-07-18", 1_000_000, 0, prices) == 0.15
    assert pricing.cost("unknown", 10, 10, prices) == 0.0
    for analysis_id in ("a1", "a2", "a1"):  # a1 delivered twice counts once
        pricing.record_usage(ports.store, "u1", analysis_id, input_tokens=100,
                             output_tokens=50, cost_usd=0.001)
    day = pricing.usage_of(ports.store, "u1", pricing.utcnow().date().isoformat())
    assert day is not None and day["input_tokens"] == 200 and day["cost_usd"] == 0.002


def test_a_chain_whose_last_link_fails_is_a_clear_failure() -> None:
    chain = ProviderChain([Scripted("a", [ReplyRefused("no")])])
    chain.providers = chain.providers[:1]
    with pytest.raises(PermanentError):
        chain.run(REQUEST)
