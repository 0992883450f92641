"""Any prompt template renders within bounded steps, size, time and memory — or is refused
with the reason: at preview, at creation (over several market states) and in the analyzer
(which falls back to the default prompt with a note)."""

from __future__ import annotations

import time

import pytest

from shared.adapters.folder_blobs import FolderBlobStore
from shared.errors import InvalidInput
from shared.events import MarketFetched
from shared.llm.rule_based import RuleBasedAnalyst
from shared.market.replay import ReplaySource
from shared.prompts import renderer
from shared.prompts.renderer import Budget, render
from shared.prompts.store import PromptStore
from shared.prompts.variables import market_states, sample_context
from shared.services import prompts as prompt_service
from shared.services.analyze import build_result
from tests.conftest import ROOT

LOOP = "{% for i in range(20000) %}{% for j in range(20000) %}{% endfor %}{% endfor %}"
HOSTILE = [
    "{{ 9**(9**9) > 1 }}",
    "{{ 'a'*1000000000 }}",
    "{{ [1]*100000000 }}",
    "{{ 7**1000 * 7**1000 }}",
    LOOP,
    "{% for i in range(100000) %}x{% endfor %}",
    "{% for i in range(20000) %}{{ 'x' * 1000 }}{% endfor %}",
    "{% set ns = namespace(x='a') %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}"
    "{% endfor %}",
    "{% set ns = namespace(x='a') %}{% for i in range(60) %}{% set ns.x = ns.x + ns.x %}"
    "{% endfor %}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ 'a'.ljust(10**9) }}",
    "{{ 'x'|center(1000000000) }}",
    "{{ ('a'*10000)|replace('a', 'bbbbbbbbbb') }}",
    "{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}",
    "{{ 1/0 }}",
    "{% include 'x' %}",
    "{% import 'x' as y %}",
    "{% from 'x' import y %}",
    "{% extends 'x' %}",
]


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_templates_are_refused_quickly(template: str) -> None:
    started = time.perf_counter()
    with pytest.raises(InvalidInput):
        render(template, sample_context())
    assert time.perf_counter() - started < 10  # a guard against a hang, not a speed target


def test_the_budget_stops_steps_and_time() -> None:
    with pytest.raises(InvalidInput, match="template steps"):
        render(LOOP, sample_context(), Budget(seconds=60, steps=1000))
    with pytest.raises(InvalidInput, match="longer than"):
        render(LOOP, sample_context(), Budget(seconds=0.0, steps=10**9))


def test_ordinary_templates_still_render() -> None:
    text = render("{{ symbol }} {{ price|num }} {% for l in levels %}{{ l.kind }} {% endfor %}"
                  "{{ (confidence * 100)|round }}% {{ '%.2f' % price }} {{ 2**10 }}",
                  sample_context())
    assert text == "BTC/USDT 100 support resistance 56.0% 100.00 1024"


def test_unsupported_tags_name_the_tag() -> None:
    with pytest.raises(InvalidInput, match="include"):
        render("{% include 'other' %}", sample_context())


def test_creation_renders_over_several_market_states(tmp_path) -> None:
    store = PromptStore(FolderBlobStore(tmp_path / "blobs"))
    hidden = "{% if price > 1000 %}" + LOOP + "{% endif %}ok"
    assert render(hidden, sample_context()) == "ok"  # the one sample alone would pass it
    assert any(state["price"] > 1000 for state in market_states())
    with pytest.raises(InvalidInput, match="refused"):
        store.create("analysis-en", system="s", template=hidden, language="en", author="a")
    with pytest.raises(InvalidInput):
        prompt_service.preview("{{ 9**(9**9) > 1 }}")


def test_the_analyzer_falls_back_to_the_default_with_a_note(tmp_path) -> None:
    store = PromptStore(FolderBlobStore(tmp_path / "blobs"))
    store.ensure_defaults()
    hostile = "{% if symbol == 'ETH/USDT' %}" + LOOP + "{% endif %}{{ symbol }} {{ price }}"
    created = store.create("analysis-en", system="s", template=hostile, language="en",
                           author="a")  # every creation state is BTC/USDT: it passes
    store.activate("analysis-en", created.version, author="a", if_generation_match=None)
    candles = ReplaySource(ROOT / "data" / "ohlcv").candles("ETH/USDT", "2h", 300)
    event = MarketFetched(correlation_id="a1", analysis_id="a1", symbol="ETH/USDT",
                          timeframe="2h", source="replay", candles=candles)
    started = time.perf_counter()
    result, _ = build_result(event, RuleBasedAnalyst(), "en", prompts=store)
    assert time.perf_counter() - started < 10
    assert result.prompt_version != created.version
    assert any("could not be used" in note and f"v{created.version}" in note
               for note in result.notes)


def test_limits_are_stated_in_one_place() -> None:
    assert renderer.RENDER_SECONDS <= 1 and renderer.MAX_STEPS <= 100_000
