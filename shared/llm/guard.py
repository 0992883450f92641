"""The numbers guard: every number an LLM writes must be one the engine computed.

A number in the report passes when it is within ``tolerance`` (relative) of a computed value
(price, indicator, level, pivot, Fibonacci level, …), when it is a percentage within half a
point of a computed percentage (confidence, ATR %, distance of a value from the price, band
position, Fibonacci ratio), or when it is an indicator period or a vote count. Scenario
levels must be computed price levels on the right side of the price. A Russian report must
be written in Russian. Dates and times are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from shared.llm.report import ReportDraft

PERIODS = {2, 3, 5, 9, 10, 12, 14, 20, 26, 50, 52, 100, 200}
_DATES = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?|\b\d{1,2}:\d{2}\b")
_NUMBER = re.compile(
    r"(?<![\w.,])[-−]?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 109,624.05
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?"  # 109 624,05
    r"|\d+(?:[.,]\d+)?)"
    r"(?P<suffix>[kK]|[mM](?![a-zA-Z]))?(?![\w])(?P<pct>\s?%)?"
)


def _parse(raw: str) -> float:
    text = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if "," in text and "." in text or re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        text = text.replace(",", "")
    return float(text.replace(" ", "").replace(",", "."))


def numbers_in(text: str) -> Iterator[tuple[str, float, bool]]:
    """(as written, value, is a percentage) for every number outside dates and names."""
    for match in _NUMBER.finditer(_DATES.sub(" ", text)):
        value = _parse(match["num"])
        if match["suffix"]:
            value *= 1000 if match["suffix"] in "kK" else 1_000_000
        yield match.group(0).strip(), value, bool(match["pct"])


def _flatten(value: Any) -> Iterator[float]:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        yield abs(float(value))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)


def known(ctx: dict[str, Any]) -> tuple[list[float], list[float]]:
    """The computed values, and the computed percentages, a report may quote."""
    price = float(ctx["price"])
    values = [v for v in _flatten({k: v for k, v in ctx.items() if k != "votes"}) if v]
    percents = [float(ctx.get("confidence", 0)) * 100, 0.0, 100.0]
    percents += [abs(v - price) / price * 100 for v in values]
    percents += [float(k) * 100 for k in ctx.get("fibonacci", {})]
    ind = ctx.get("indicators", {})
    if ind.get("bb_upper") and ind.get("bb_lower") and ind["bb_upper"] > ind["bb_lower"]:
        percents.append((price - ind["bb_lower"]) / (ind["bb_upper"] - ind["bb_lower"]) * 100)
    percents += [v for v in values if v <= 100]  # RSI, ADX, confidence written as a share
    return values, percents


def _counts(ctx: dict[str, Any]) -> set[int]:
    cast = list(ctx.get("votes", {}).values())
    return {0, 1, len(cast), cast.count(1), cast.count(-1), cast.count(0)} | PERIODS


def _close(value: float, candidates: list[float], rel: float) -> bool:
    return any(abs(value - c) <= rel * max(abs(c), 1e-12) for c in candidates)


def _scenario_problems(report: ReportDraft, ctx: dict[str, Any], values: list[float],
                       rel: float) -> list[str]:
    price, problems = float(ctx["price"]), []
    for name, scenario, side in (("bull", report.bull_scenario, -1),
                                 ("bear", report.bear_scenario, 1)):
        for field, level in (("target", scenario.target), ("invalidation", scenario.invalidation)):
            if level is not None and not _close(abs(level), values, rel):
                problems.append(f"{name} scenario {field} {level:g} is not a computed level")
        if (scenario.invalidation - price) * side <= 0:
            where = "below" if side < 0 else "above"
            problems.append(f"{name} scenario invalidation {scenario.invalidation:g} must be "
                            f"{where} the price {price:g}")
    return problems


def check(report: ReportDraft, ctx: dict[str, Any], *, tolerance: float = 0.005,
          language: str = "en") -> list[str]:
    """What in the report disagrees with the computed values (empty when it all agrees)."""
    values, percents = known(ctx)
    counts, problems = _counts(ctx), []
    texts = [report.summary, *report.key_points, *report.risks,
             report.bull_scenario.description, report.bear_scenario.description]
    for raw, value, is_percent in (n for text in texts for n in numbers_in(text)):
        if is_percent and any(abs(value - p) <= 0.5 for p in percents):
            continue
        if not is_percent and (_close(value, values, tolerance)
                               or (value.is_integer() and int(value) in counts)):
            continue
        problems.append(f"{raw} does not match any computed value")
    problems += _scenario_problems(report, ctx, values, tolerance)
    if language == "ru" and not _mostly_cyrillic(" ".join(texts)):
        problems.append("the report must be written in Russian")
    return problems


def _mostly_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    cyrillic = sum(1 for c in letters if "а" <= c.lower() <= "я" or c in "ёЁ")
    return bool(letters) and cyrillic / len(letters) > 0.5
