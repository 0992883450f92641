"""The guard: every number a report writes is the quantity it names, and every claim is true.

Numbers keep their signs. A number right after the name of a quantity (RSI, ADX, ATR, EMA 50,
MACD histogram, support, resistance, Bollinger band, the close, the live price, reward:risk,
pivots, Fibonacci) must be that quantity within ``tolerance`` (a percentage: within half a
point); "nearest support/resistance" must be the nearest listed swing level, a support below
the price and a resistance above it. Any other number must be some computed value, an
indicator period or a count. Scenario targets and invalidations are computed levels on the
right side of the price. The claims (``shared.llm.claims``) must be true, and a Russian report
must be in Russian. Dates and times are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from shared.llm import claims
from shared.llm.report import ReportDraft

PERIODS = {2, 3, 5, 9, 10, 12, 14, 20, 26, 50, 52, 100, 200}
_DATES = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?|\b\d{1,2}:\d{2}\b")
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<sign>[-−])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 109,624.05
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?"  # 109 624,05
    r"|\d+(?:[.,]\d+)?)"
    r"(?P<suffix>[kK]|[mM](?![a-zA-Z]))?(?![\w])(?P<pct>\s?%)?"
)
_PERIOD_BEFORE = re.compile(r"(?:RSI|EMA|SMA|ATR|ADX|CCI|MFI|DI)\s?$", re.I)
_COUNT_AFTER = re.compile(r"^\s?(?:candles?|свеч\w*)", re.I)
_WINDOW = 48


def _parse(raw: str, language: str = "en") -> float:
    """English writes 109,624.05; Russian 109 624,05 (a comma is always its decimal mark)."""
    text = raw.replace("\u00a0", " ").replace("\u202f", " ")
    english_thousands = "," in text and "." in text or re.fullmatch(r"\d{1,3}(,\d{3})+", text)
    if english_thousands and (language != "ru" or "." in text):
        text = text.replace(",", "")
    return float(text.replace(" ", "").replace(",", "."))


def decimals(raw: str, language: str = "en") -> int:
    """How many decimals a number is written with."""
    mark = "," if language == "ru" and "." not in raw else "."
    return len(raw) - raw.rfind(mark) - 1 if mark in raw else 0


def _spans(text: str, language: str = "en") -> Iterator[tuple[re.Match[str], float]]:
    blanked = _DATES.sub(lambda m: " " * len(m[0]), text)
    for match in _NUMBER.finditer(blanked):
        value = _parse(match["num"], language)
        if match["suffix"]:
            value *= 1000 if match["suffix"] in "kK" else 1_000_000
        yield match, -value if match["sign"] else value


def numbers_in(text: str, language: str = "en") -> Iterator[tuple[str, float, bool]]:
    """(as written, value with its sign, is a percentage) for every number outside dates."""
    for match, value in _spans(text, language):
        yield match.group(0).strip(), value, bool(match["pct"])


_KNOWN = "_known"  # check's copy of the context: what known() returns for it


def _flatten(value: Any) -> Iterator[float]:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)


def _band_position(ctx: dict[str, Any]) -> list[float]:
    ind, price = ctx.get("indicators") or {}, float(ctx["price"])
    if ind.get("bb_upper") and ind.get("bb_lower") and ind["bb_upper"] > ind["bb_lower"]:
        return [(price - ind["bb_lower"]) / (ind["bb_upper"] - ind["bb_lower"]) * 100]
    return []


def known(ctx: dict[str, Any]) -> tuple[list[float], list[float]]:
    """The computed values, and the computed percentages, a report may quote (worked out once
    per ``check``: it keeps them in its copy of the context)."""
    if _KNOWN in ctx:
        return ctx[_KNOWN]  # type: ignore[no-any-return]
    price = float(ctx["price"])
    values = [v for v in _flatten({k: v for k, v in ctx.items() if k != "votes"}) if v]
    percents = [float(ctx.get("confidence", 0)) * 100, 0.0, 100.0]
    percents += [float(ctx["p_up"]) * 100] if ctx.get("p_up") is not None else []
    percents += [abs(v - price) / price * 100 for v in values]
    percents += [float(k) * 100 for k in ctx.get("fibonacci", {})] + _band_position(ctx)
    percents += [v for v in values if 0 <= v <= 100]  # RSI, ADX, a share written as a number
    return values, percents


def _levels(ctx: dict[str, Any], above: bool, nearest: bool) -> list[float]:
    price = float(ctx["price"])
    listed = [float(lv["price"]) for lv in ctx.get("levels", [])
              if (float(lv["price"]) > price) == above and float(lv["price"]) != price]
    if nearest:
        return [min(listed, key=lambda v: abs(v - price))] if listed else []
    values, _ = known(ctx)
    return [v for v in values if (v > price if above else 0 < v < price)]


Quantity = tuple[str, str, Callable[[dict[str, Any], str], list[float]],
                 Callable[..., list[float]]]


def _ind(*keys: str) -> Callable[[dict[str, Any], str], list[float]]:
    return lambda ctx, _: [float(v) for k in keys
                           if (v := (ctx.get("indicators") or {}).get(k)) is not None]


def _ma(kind: str) -> Callable[[dict[str, Any], str], list[float]]:
    def pick(ctx: dict[str, Any], name: str) -> list[float]:
        period = re.sub(r"\D", "", name)
        value = (ctx.get("indicators") or {}).get(f"{kind}_{period}")
        return [float(value)] if value is not None else []
    return pick


def _atr_pct(ctx: dict[str, Any]) -> list[float]:
    atr = (ctx.get("indicators") or {}).get("atr_14")
    trend_pct = (ctx.get("trend") or {}).get("atr_pct")
    return [v for v in (atr / float(ctx["price"]) * 100 if atr else None, trend_pct) if v]


def _none(ctx: dict[str, Any]) -> list[float]:
    return []


# name pattern → (values it may take, percentages it may take); the last name before a number
QUANTITIES: list[Quantity] = [
    ("RSI 14", r"RSI", _ind("rsi_14"), _none),
    ("ADX 14", r"ADX", _ind("adx_14"), _none),
    ("ATR 14", r"ATR", _ind("atr_14"), _atr_pct),
    ("EMA", r"EMA\s?\d+", _ma("ema"), _none),
    ("SMA", r"SMA\s?\d+", _ma("sma"), _none),
    ("MACD histogram", r"MACD histogram|гистограмм\w* MACD", _ind("macd_hist"), _none),
    ("MACD", r"MACD", _ind("macd", "macd_signal", "macd_hist"), _none),
    ("nearest support", r"(?:nearest|ближайш\w*) (?:support|поддержк\w*)",
     lambda ctx, _: _levels(ctx, above=False, nearest=True), _none),
    ("nearest resistance", r"(?:nearest|ближайш\w*) (?:resistance|сопротивлен\w*)",
     lambda ctx, _: _levels(ctx, above=True, nearest=True), _none),
    ("support", r"support|поддержк\w*",
     lambda ctx, _: _levels(ctx, above=False, nearest=False), _none),
    ("resistance", r"resistance|сопротивлен\w*",
     lambda ctx, _: _levels(ctx, above=True, nearest=False), _none),
    ("Bollinger band", r"Bollinger|band|полос\w*", _ind("bb_upper", "bb_middle", "bb_lower"),
     _band_position),
    ("close", r"closed at|closes? at|закрылась на|закрыти\w*",
     lambda ctx, _: [float(ctx["price"])], _none),
    ("live price", r"live price|текущая цена",
     lambda ctx, _: [float(ctx["live_price"])] if ctx.get("live_price") else [], _none),
    ("confidence", r"right|верными", lambda ctx, _: [],
     lambda ctx: [float(ctx.get("confidence", 0)) * 100]),
    ("reward:risk", r"reward:risk|прибыль:риск",
     lambda ctx, _: list(ctx.get("_reward_risk", [])), _none),
]


_NAMES = [(re.compile(quantity[1], re.I), quantity) for quantity in QUANTITIES]


def _named(before: str) -> Quantity | None:
    best: tuple[int, int, Quantity] | None = None
    for name, quantity in _NAMES:
        for match in name.finditer(before):
            rank = (match.end(), len(match[0]))
            if best is None or rank > best[:2]:
                best = (*rank, quantity)
    return best[2] if best else None


def _close(value: float, candidates: list[float], rel: float, slack: float = 0.0) -> bool:
    """Within ``rel`` of a candidate, or equal to it at the precision written (``slack``)."""
    return any(abs(value - c) <= max(rel * abs(c), slack, 1e-12) for c in candidates)


def _counts(ctx: dict[str, Any]) -> set[int]:
    cast = list(ctx.get("votes", {}).values())
    return {0, 1, len(cast), cast.count(1), cast.count(-1), cast.count(0),
            int(ctx.get("horizon") or 0)} | PERIODS


def _number_problem(text: str, match: re.Match[str], value: float, ctx: dict[str, Any],
                    rel: float, language: str) -> str | None:
    start = match.start()
    before = re.split(r"[.;!?]\s", text[max(0, start - _WINDOW):start])[-1]
    is_percent = bool(match["pct"])
    if not is_percent and value.is_integer() and (
            _PERIOD_BEFORE.search(before) and int(value) in PERIODS
            or _COUNT_AFTER.match(text[match.end():]) and int(value) in _counts(ctx)):
        return None  # an indicator's period, or a count of candles
    raw = match.group(0).strip()
    slack = 0.5 * 10.0 ** -decimals(match["num"], language) * (
        1000 if match["suffix"] in ("k", "K") else 1_000_000 if match["suffix"] else 1)
    named = _named(before)
    if named is not None:
        allowed = named[3](ctx) if is_percent else named[2](ctx, before)
        if allowed or is_percent:
            ok = (any(abs(value - p) <= 0.5 for p in allowed) if is_percent
                  else _close(value, allowed, rel, slack))
            return None if ok else f"{raw} is not the {named[0]} the data give"
    values, percents = known(ctx)
    if is_percent:
        return None if any(abs(value - p) <= 0.5 for p in percents) else \
            f"{raw} does not match any computed percentage"
    if _close(value, values, rel, slack) or (value.is_integer()
                                               and int(value) in _counts(ctx)):
        return None
    return f"{raw} does not match any computed value"


def _reward_risk(report: ReportDraft, price: float) -> list[float]:
    out = []
    for scenario in (report.bull_scenario, report.bear_scenario):
        if scenario.target is not None and scenario.invalidation != price:
            out.append(abs(scenario.target - price) / abs(price - scenario.invalidation))
    return out


def _scenario_problems(report: ReportDraft, ctx: dict[str, Any], rel: float) -> list[str]:
    """Targets and invalidations are JSON numbers, not rounded text: they must be a computed
    level within 0.1 % (or ``rel`` if tighter), on the right side of the price."""
    price, problems = float(ctx["price"]), []
    rel = min(rel, 0.001)
    values, _ = known(ctx)
    for name, scenario, up in (("bull", report.bull_scenario, 1),
                               ("bear", report.bear_scenario, -1)):
        for field, level, side in (("target", scenario.target, up),
                                   ("invalidation", scenario.invalidation, -up)):
            if level is None:
                continue
            if not _close(level, values, rel):
                problems.append(f"{name} scenario {field} {level:g} is not a computed level")
            if (level - price) * side <= 0:
                where = "above" if side > 0 else "below"
                problems.append(f"{name} scenario {field} {level:g} must be {where} the "
                                f"price {price:g}")
    return problems


def check(report: ReportDraft, ctx: dict[str, Any], *, tolerance: float = 0.005,
          language: str = "en") -> list[str]:
    """What in the report disagrees with the data (empty when it all agrees)."""
    ctx = {**ctx, "_reward_risk": _reward_risk(report, float(ctx["price"]))}
    ctx[_KNOWN] = known(ctx)  # every number of the report is checked against these
    texts = [report.summary, *report.key_points, *report.risks,
             report.bull_scenario.description, report.bear_scenario.description]
    problems = [p for text in texts for match, value in _spans(text, language)
                if (p := _number_problem(text, match, value, ctx, tolerance, language))]
    problems += _scenario_problems(report, ctx, tolerance)
    problems += claims.check(texts, ctx)
    if language == "ru" and not _mostly_cyrillic(" ".join(texts)):
        problems.append("the report must be written in Russian")
    return problems


def _mostly_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    cyrillic = sum(1 for c in letters if "а" <= c.lower() <= "я" or c in "ёЁ")
    return bool(letters) and cyrillic / len(letters) > 0.5
