"""Each provider against a local fake of its real API; faults end in a retry, a fallback or
a clear failure — never a wrong report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.oauth2.credentials import Credentials

from shared.indicators.technical import analyse
from shared.llm.chain import ProviderChain
from shared.llm.faults import ProviderRateLimited, ReplyRefused
from shared.llm.gemini import Gemini
from shared.llm.huggingface import HuggingFace
from shared.llm.openai_compat import OpenAICompatible
from shared.llm.rule_based import write_report as rule_report
from shared.llm.writer import write_report
from shared.market.replay import ReplaySource
from shared.ports import LLMRequest
from shared.prompts.variables import context_of
from tests.conftest import ROOT
from tests.integration.fake_llm_servers import (
    Answer,
    fake_server,
    gemini_reply,
    hf_reply,
    openai_reply,
)

PRICES = {"gpt-4o-mini": (0.15, 0.60), "gemini-2.5-flash": (0.30, 2.50)}


@pytest.fixture(scope="module")
def ctx() -> dict[str, Any]:
    candles = ReplaySource(ROOT / "data" / "ohlcv").candles("BTC/USDT", "1d", 500)
    return context_of(analyse(candles, "1d"), "BTC/USDT", "1d", "en")


def good(ctx: dict[str, Any]) -> str:
    return json.dumps(rule_report(ctx, ctx["language"]))


def invented(ctx: dict[str, Any]) -> str:
    report = rule_report(ctx, "en")
    report["summary"] = "BTC will reach 150,000 soon; RSI is 81.3."
    report["bull_scenario"]["target"] = 150000.0
    return json.dumps(report)


def request(ctx: dict[str, Any], language: str = "en") -> LLMRequest:
    return LLMRequest(system="sys", prompt="data", context={**ctx, "language": language},
                      language=language)


def chain(*providers: Any, retries: int = 1) -> tuple[ProviderChain, list[float]]:
    sleeps: list[float] = []
    return ProviderChain(list(providers), retries=retries, backoff=0.01, prices=PRICES,
                         sleep=sleeps.append), sleeps


def openai(url: str, timeout: float = 2.0) -> OpenAICompatible:
    return OpenAICompatible(base_url=url + "/v1", model="gpt-4o-mini", api_key="k",
                            timeout=timeout)


def test_openai_compatible_reply_tokens_and_cost(ctx) -> None:
    with fake_server() as (url, script):
        script.answers = [Answer(openai_reply(good(ctx)))]
        outcome = chain(openai(url))[0].run(request(ctx))
    path, body, headers = script.requests[0]
    assert path == "/v1/chat/completions" and headers["Authorization"] == "Bearer k"
    assert body["response_format"] == {"type": "json_object"} and body["model"] == "gpt-4o-mini"
    assert outcome.reply.provider == "openai" and outcome.reply.input_tokens == 900
    (attempt,) = outcome.attempts
    assert attempt.cost_usd == pytest.approx((900 * 0.15 + 300 * 0.60) / 1e6)


def test_429_is_retried_after_the_servers_delay(ctx) -> None:
    with fake_server() as (url, script):
        script.answers = [Answer({"error": {"message": "slow down"}}, 429,
                                 headers={"Retry-After": "2"}),
                          Answer(openai_reply(good(ctx)))]
        llm, sleeps = chain(openai(url))
        outcome = llm.run(request(ctx))
    assert [a.outcome for a in outcome.attempts] == ["llm_rate_limited", "ok"]
    assert sleeps == [2.0] and outcome.reply.provider == "openai"


def test_malformed_json_twice_falls_back_to_rule_based(ctx) -> None:
    with fake_server() as (url, script):
        script.answers = [Answer(openai_reply("{not json")), Answer(openai_reply("{nope"))]
        written = write_report(chain(openai(url), retries=3)[0], request(ctx))
    assert written.provider == "rule_based"
    assert written.notes and "rule-based" in written.notes[0]


def test_refusal_moves_on_without_retrying(ctx) -> None:
    with fake_server() as (url, script):
        script.answers = [Answer(openai_reply(None, refusal="I can't help with that"))]
        outcome = chain(openai(url), retries=3)[0].run(request(ctx))
    assert len(script.requests) == 1
    assert [a.outcome for a in outcome.attempts] == ["llm_refused", "ok"]
    assert outcome.reply.provider == "rule_based"


def test_timeout_is_retried_then_falls_back(ctx) -> None:
    with fake_server() as (url, script):
        script.answers = [Answer(openai_reply(good(ctx)), delay=0.6) for _ in range(2)]
        outcome = chain(openai(url, timeout=0.2), retries=1)[0].run(request(ctx))
    assert [a.outcome for a in outcome.attempts] == ["llm_unavailable"] * 2 + ["ok"]
    assert outcome.reply.provider == "rule_based"


def test_invented_numbers_retry_with_the_disagreement_then_accept(ctx) -> None:
    with fake_server() as (url, script):
        script.answers = [Answer(openai_reply(invented(ctx))), Answer(openai_reply(good(ctx)))]
        written = write_report(chain(openai(url))[0], request(ctx))
    retry_prompt = script.requests[1][1]["messages"][1]["content"]
    assert "rejected" in retry_prompt and "150,000" in retry_prompt
    assert written.provider == "openai" and not written.notes
    assert len(written.attempts) == 2


def test_invented_numbers_twice_give_the_rule_based_report_with_a_note(ctx) -> None:
    with fake_server() as (url, script):
        script.answers = [Answer(openai_reply(invented(ctx))) for _ in range(2)]
        written = write_report(chain(openai(url))[0], request(ctx))
    assert written.provider == "rule_based" and "150,000" in written.notes[0]
    assert "150,000" not in written.report.summary


def test_english_report_for_a_russian_analysis_is_rejected(ctx) -> None:
    with fake_server() as (url, script):
        script.answers = [Answer(openai_reply(good(ctx))) for _ in range(2)]
        written = write_report(chain(openai(url))[0], request(ctx, "ru"))
    assert written.provider == "rule_based" and "последняя закрытая свеча" in written.report.summary


def test_huggingface_text_generation(ctx) -> None:
    hf_url = "/models/Qwen/Qwen2.5-7B-Instruct"
    with fake_server() as (url, script):
        script.answers = [Answer({"error": "Model is currently loading"}, 503),
                          Answer(hf_reply(good(ctx)))]
        provider = HuggingFace(base_url=url + "/models", model="Qwen/Qwen2.5-7B-Instruct",
                               api_key="hf", timeout=2)
        outcome = chain(provider)[0].run(request(ctx))
    assert script.requests[1][0] == hf_url
    assert script.requests[1][1]["parameters"]["return_full_text"] is False
    assert outcome.reply.provider == "huggingface" and outcome.reply.output_tokens == 280
    assert outcome.reply.input_tokens > 0


def gemini(url: str) -> Gemini:
    return Gemini(project="p", location="us-central1", model="gemini-2.5-flash", timeout=5,
                  base_url=url + "/", credentials=Credentials(token="fake"))  # noqa: S106


def test_gemini_vertex_with_response_schema(ctx) -> None:
    with fake_server() as (url, script):
        script.answers = [Answer(gemini_reply(good(ctx)))]
        outcome = chain(gemini(url))[0].run(request(ctx))
    path, body, headers = script.requests[0]
    assert path.endswith("/projects/p/locations/us-central1/publishers/google/models/"
                         "gemini-2.5-flash:generateContent")
    config = body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert "bull_scenario" in json.dumps(config.get("responseJsonSchema"))
    assert headers["Authorization"] == "Bearer fake"
    assert outcome.reply.provider == "gemini" and outcome.reply.input_tokens == 1000
    assert outcome.attempts[0].cost_usd == pytest.approx((1000 * 0.30 + 350 * 2.50) / 1e6)


def test_gemini_rate_limit_and_safety_refusal(ctx) -> None:
    with fake_server() as (url, script):
        script.answers = [Answer({"error": {"code": 429, "message": "quota",
                                            "status": "RESOURCE_EXHAUSTED"}}, 429),
                          Answer(gemini_reply("", finish="SAFETY"))]
        provider = gemini(url)
        with pytest.raises(ProviderRateLimited):
            provider.complete(request(ctx))
        with pytest.raises(ReplyRefused):
            provider.complete(request(ctx))
