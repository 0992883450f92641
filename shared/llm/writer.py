"""From the LLM's reply to a checked report: parse, the guard (numbers and claims), one
corrective retry, then the rule-based report with a note. A wrong report is never stored."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any

from shared.errors import ChartGeniusError
from shared.llm import guard
from shared.llm.chain import Attempt, ChainReply, ProviderChain
from shared.llm.report import ReportDraft, parse
from shared.llm.rule_based import RuleBasedAnalyst
from shared.ports import LLM, LLMReply, LLMRequest

log = logging.getLogger(__name__)
NOTE = {
    "en": "The model's report disagreed with the data ({problems}); this report "
          "was written by the rule-based analyst instead.",
    "ru": "Отчёт модели расходился с данными ({problems}); этот отчёт "
          "написан аналитиком на правилах.",
}


@dataclass
class Written:
    report: ReportDraft
    provider: str
    model: str
    attempts: list[Attempt] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    latency_ms: float = 0.0


def _ask(llm: LLM, request: LLMRequest) -> ChainReply:
    if isinstance(llm, ProviderChain):
        return llm.run(request)
    reply = llm.complete(request)
    return ChainReply(reply, [Attempt(reply.provider, reply.model, "ok", reply.input_tokens,
                                      reply.output_tokens)])


def _judge(reply: LLMReply, ctx: dict[str, Any], language: str,
           tolerance: float) -> tuple[ReportDraft | None, list[str]]:
    try:
        report = parse(reply.text)
    except ChartGeniusError as exc:
        return None, [exc.message]
    if reply.provider == RuleBasedAnalyst.name:
        return report, []  # written from the numbers themselves
    return report, guard.check(report, ctx, tolerance=tolerance, language=language)


def _feedback(request: LLMRequest, problems: list[str]) -> LLMRequest:
    listed = "\n".join(f"- {p}" for p in problems[:10])
    return replace(request, prompt=(
        f"{request.prompt}\n\nYour previous answer was rejected:\n{listed}\n"
        "Answer again with one JSON object, quoting only numbers from the data above."))


def write_report(llm: LLM, request: LLMRequest, *, tolerance: float = 0.005) -> Written:
    started = time.perf_counter()
    ctx, language = request.context, request.language
    first = _ask(llm, request)
    attempts = list(first.attempts)
    report, problems = _judge(first.reply, ctx, language, tolerance)
    reply = first.reply
    if problems:
        log.warning("report rejected; asking once more", extra={
            "provider": reply.provider, "problems": problems[:5]})
        second = _ask(llm, _feedback(request, problems))
        attempts += second.attempts
        reply = second.reply
        report, problems = _judge(reply, ctx, language, tolerance)
    notes: list[str] = []
    if report is None or problems:
        log.warning("report rejected twice; rule-based report used", extra={
            "provider": reply.provider, "problems": problems[:5]})
        reply = RuleBasedAnalyst().complete(request)
        report = parse(reply.text)
        notes.append(NOTE.get(language, NOTE["en"]).format(problems="; ".join(problems[:3])))
    return Written(report, reply.provider, reply.model, attempts, notes,
                   round((time.perf_counter() - started) * 1000, 2))
