"""The guard checks claims, not only numbers: a generated corpus of false reports is all
rejected, and every rule-based report over 2,000 historical candles passes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from shared.indicators.technical import analyse
from shared.llm import guard
from shared.llm.report import parse
from shared.llm.rule_based import write_report
from shared.market.replay import ReplaySource
from shared.models import Candles
from shared.prompts.variables import context_of
from tests.conftest import ROOT

Report = dict[str, Any]
COLUMNS = ("timestamps", "open", "high", "low", "close", "volume")


def window(candles: Candles, end: int, size: int = 300) -> Candles:
    return candles.model_copy(update={k: getattr(candles, k)[max(0, end - size):end]
                                      for k in COLUMNS} | {"unfinished_last": False})


@pytest.fixture(scope="module")
def contexts() -> list[tuple[dict[str, Any], str]]:
    replay = ReplaySource(ROOT / "data" / "ohlcv")
    out = []
    for symbol, timeframe, ends in (("BTC/USDT", "1d", (900, 1700, 2500, 2931)),
                                    ("BTC/USDT", "4h", (5000, 12000)),
                                    ("ETH/USDT", "2h", (700,)), ("DOGE/USDT", "2h", (834,))):
        candles = replay.candles(symbol, timeframe, 10**6)
        for end in ends:
            t = analyse(window(candles, end), timeframe)
            out += [(context_of(t, symbol, timeframe, lang), lang) for lang in ("en", "ru")]
    live = analyse(replay.candles("BTC/USDT", "1d", 500), "1d")  # what `make run` analyses
    assert live.live_price is not None
    out += [(context_of(live, "BTC/USDT", "1d", lang), lang) for lang in ("en", "ru")]
    return out


def _swap(text: str, pairs: dict[str, str]) -> str:
    pattern = re.compile("|".join(re.escape(k) for k in pairs))
    return pattern.sub(lambda m: pairs[m[0]], text, count=1)


def _in_summary(change: Callable[[str, dict[str, Any]], str]) -> Callable[..., Report]:
    def mutate(report: Report, ctx: dict[str, Any]) -> Report:
        return {**report, "summary": change(report["summary"], ctx)}
    return mutate


def _rsi_zone(text: str, ctx: dict[str, Any]) -> str:
    zones = {": neutral.": ": overbought.", ": overbought.": ": oversold.",
             ": oversold.": ": neutral.", ": нейтральная зона.": ": перекупленность.",
             ": перекупленность.": ": перепроданность.",
             ": перепроданность.": ": нейтральная зона."}
    return _swap(text, zones)


def _ma_side(text: str, ctx: dict[str, Any]) -> str:
    return _swap(text, {"is above EMA 200": "is below EMA 200",
                        "is below EMA 200": "is above EMA 200",
                        "выше EMA 200": "ниже EMA 200", "ниже EMA 200": "выше EMA 200"})


def _trend(text: str, ctx: dict[str, Any]) -> str:
    return _swap(text, {"Trend up": "Trend down", "Trend down": "Trend up",
                        "Trend sideways": "Trend up", "Тренд восходящий": "Тренд нисходящий",
                        "Тренд нисходящий": "Тренд восходящий",
                        "Тренд боковой": "Тренд восходящий"})


def _signal_word(text: str, ctx: dict[str, Any]) -> str:
    wrong = {"neutral": "buy", "buy": "sell", "strong_buy": "sell", "sell": "buy",
             "strong_sell": "buy"}[ctx["signal"]]
    en = re.sub(r"Signal: [a-z ]+?(?=[.,])", f"Signal: {wrong}", text, count=1)
    ru_word = {"buy": "покупка", "sell": "продажа"}[wrong]
    return re.sub(r"Сигнал: [а-я ]+?(?=[.,])", f"Сигнал: {ru_word}", en, count=1)


def _rsi_number(text: str, ctx: dict[str, Any]) -> str:
    """RSI quoted with another computed value (ADX or Stochastic): near "some" number."""
    ind = ctx["indicators"]
    other = next(v for v in (ind["adx_14"], ind["stoch_k"], ind["mfi_14"])
                 if abs(v - ind["rsi_14"]) > 1)
    shown = f"{other:.1f}".replace(".", "," if "RSI 14 равен" in text else ".")
    return re.sub(r"(RSI 14 (?:is|равен) )[\d.,]+", lambda m: m[1] + shown, text, count=1)


def _macd_sign(text: str, ctx: dict[str, Any]) -> str:
    return re.sub(r"\((-?)([\d.,\u00a0]+)\)",
                  lambda m: f"({'' if m[1] else '-'}{m[2]})", text, count=1)


def _key_point(index_of: Callable[[str], bool], change: Callable[[str], str]
               ) -> Callable[..., Report]:
    def mutate(report: Report, ctx: dict[str, Any]) -> Report:
        points = [change(p) if index_of(p) else p for p in report["key_points"]]
        return {**report, "key_points": points}
    return mutate


def _htf_verdict(point: str) -> str:
    return _swap(point, {"it does not contradict": "it agrees", "it agrees": "it disagrees",
                         "it disagrees": "it agrees", "не противоречит": "согласуется",
                         "согласуется": "противоречит", "противоречит": "согласуется"})


def _htf_signal(point: str) -> str:
    return re.sub(r"(\w+: )([a-zа-я ]+?)(?=, )",
                  lambda m: m[1] + ("sell" if "buy" in m[2] or "покуп" in m[2] else "buy"),
                  point, count=1)


def _bull_target_below(report: Report, ctx: dict[str, Any]) -> Report:
    levels = [lv["price"] for lv in ctx["levels"] if lv["price"] < ctx["price"]]
    below = levels[0] if levels else ctx["price"] * 0.9
    return {**report, "bull_scenario": {**report["bull_scenario"], "target": below}}


def _invented_level(report: Report, ctx: dict[str, Any]) -> Report:
    """A bear target below the price in the middle of the widest gap between computed
    values: far from every one of them."""
    values, _ = guard.known(ctx)
    below = sorted(v for v in values if ctx["price"] * 0.8 < v < ctx["price"]) + [ctx["price"]]
    low, high = max(zip([ctx["price"] * 0.8, *below], below, strict=False),
                    key=lambda gap: gap[1] - gap[0])
    return {**report, "bear_scenario": {**report["bear_scenario"], "target": (low + high) / 2}}


def _not_nearest(report: Report, ctx: dict[str, Any]) -> Report:
    supports = sorted((lv["price"] for lv in ctx["levels"] if lv["price"] < ctx["price"]),
                      reverse=True)
    if len(supports) < 2:
        return {**report, "key_points": [*report["key_points"], "Nearest support 1.5."]}
    from shared.llm.numbers import fmt
    lang = "ru" if "Ближайшая" in " ".join(report["key_points"]) else "en"
    near, far = fmt(supports[0], lang), fmt(supports[1], lang)
    return {**report, "key_points": [p.replace(near, far, 1) for p in report["key_points"]]}


def _macd_word(text: str, ctx: dict[str, Any]) -> str:
    return _swap(text, {"is negative": "is positive", "is positive": "is negative",
                        "отрицательна": "положительна", "положительна": "отрицательна"})


def _band_side(text: str, ctx: dict[str, Any]) -> str:
    above = ctx["price"] > ctx["indicators"]["bb_middle"]
    en, ru = ("below", "ниже") if above else ("above", "выше")
    text = re.sub(r"price (?:sits at [\d.]+% of|is (?:above|below)) the band",
                  f"price is {en} the band", text, count=1)
    return re.sub(r"цена (?:на [\d,]+\u00a0% ширины|(?:выше|ниже)) полосы", f"цена {ru} полосы",
                  text, count=1)


def _volatility_word(point: str) -> str:
    return _swap(point, {"normal volatility": "high volatility", "low volatility":
                         "high volatility", "high volatility": "low volatility",
                         "волатильность обычная": "волатильность высокая",
                         "волатильность низкая": "волатильность высокая",
                         "волатильность высокая": "волатильность низкая"})


MUTATIONS: dict[str, Callable[..., Report]] = {
    "MACD histogram sign word": _in_summary(_macd_word),
    "side of the Bollinger band": _in_summary(_band_side),
    "volatility": _key_point(lambda p: "ADX" in p, _volatility_word),
    "rsi zone": _in_summary(_rsi_zone), "side of EMA 200": _in_summary(_ma_side),
    "trend": _in_summary(_trend), "signal word": _in_summary(_signal_word),
    "RSI is another quantity": _in_summary(_rsi_number),
    "sign of the MACD histogram": _in_summary(_macd_sign),
    "higher timeframe verdict": _key_point(lambda p: "—" in p, _htf_verdict),
    "higher timeframe signal": _key_point(lambda p: "—" in p, _htf_signal),
    "bull target below the price": _bull_target_below,
    "invented bear target": _invented_level, "nearest support that is not": _not_nearest,
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_every_false_report_is_rejected(contexts, name: str) -> None:
    mutate = MUTATIONS[name]
    for ctx, lang in contexts:
        original = write_report(ctx, lang)
        false = mutate(original, ctx)
        assert false != original, f"{name}: the mutation changed nothing"
        problems = guard.check(parse(json.dumps(false, ensure_ascii=False)), ctx, language=lang)
        assert problems, f"{name} ({lang}) was accepted: {json.dumps(false, ensure_ascii=False)}"


def test_claims_the_old_guard_accepted_are_rejected(contexts) -> None:
    ctx, _ = contexts[0]
    ind, report = ctx["indicators"], write_report(ctx, "en")
    rsi_side = "overbought" if ind["rsi_14"] <= 70 else "oversold"
    ema_side = "below" if ctx["price"] > ind["ema_200"] else "above"
    report["summary"] = (f"RSI 14 is {ind['rsi_14']:.1f}: {rsi_side}. "
                         f"Price is {ema_side} EMA 200.")
    problems = guard.check(parse(json.dumps(report)), ctx)
    assert any("RSI" in p for p in problems) and any("EMA 200" in p for p in problems)


def test_the_report_of_make_runs_daily_analysis_passes(contexts) -> None:
    for ctx, lang in contexts[-2:]:
        report = write_report(ctx, lang)
        assert ("Live price" in report["summary"]) or ("Текущая цена" in report["summary"])
        assert guard.check(parse(json.dumps(report)), ctx, language=lang) == []
        wrong_live = report["summary"].replace("Live price 109,888.01", "Live price 111,888.01")
        wrong_live = wrong_live.replace("Текущая цена 109\u00a0888,01",
                                        "Текущая цена 111\u00a0888,01")
        assert wrong_live != report["summary"]
        assert guard.check(parse(json.dumps({**report, "summary": wrong_live})), ctx,
                           language=lang)


def test_the_products_negative_numbers_pass(contexts) -> None:
    for ctx, lang in contexts:
        if ctx["indicators"]["macd_hist"] < 0:
            report = write_report(ctx, lang)
            assert "(-" in report["summary"]
            assert guard.check(parse(json.dumps(report)), ctx, language=lang) == []
            return
    pytest.fail("no context with a negative MACD histogram")


def test_rule_based_reports_over_2000_candles_pass_the_guard() -> None:
    """Every rule-based report on the last 2,000 closed BTC/USDT daily candles (each analysed
    from the 300 candles up to it; languages alternate) passes every check."""
    candles = ReplaySource(ROOT / "data" / "ohlcv").candles("BTC/USDT", "1d", 10**6)
    last = len(candles) - 1  # the forming day is left out
    failures = []
    for i, end in enumerate(range(last - 2000 + 1, last + 1)):
        lang = "ru" if i % 2 else "en"
        ctx = context_of(analyse(window(candles, end), "1d"), "BTC/USDT", "1d", lang)
        problems = guard.check(parse(json.dumps(write_report(ctx, lang))), ctx, language=lang)
        if problems:
            failures.append((end, lang, problems[:2]))
    assert failures == []


class Liar:
    """A provider (the LLM port) whose every report claims RSI is overbought when it is not."""

    name, model = "liar", "liar-1"

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def complete(self, request):  # type: ignore[no-untyped-def]
        from shared.ports import LLMReply

        self.prompts.append(request.prompt)
        report = write_report(request.context, request.language)
        report["summary"] = _rsi_zone(report["summary"], request.context)
        return LLMReply(text=json.dumps(report), provider=self.name, model=self.model)


def test_a_false_claim_is_retried_once_then_replaced_with_a_note(contexts) -> None:
    from shared.llm.writer import write_report as write_checked
    from shared.ports import LLMRequest

    ctx, lang = contexts[0]
    liar = Liar()
    written = write_checked(liar, LLMRequest("system", "prompt", ctx, lang))
    assert len(liar.prompts) == 2 and "rejected" in liar.prompts[1]
    assert written.provider == "rule_based" and "RSI" in written.notes[0]
    assert guard.check(written.report, ctx, language=lang) == []


@pytest.mark.parametrize("text, false", [
    ("RSI at 45 is neither overbought nor oversold.", False),
    ("RSI 45 is not overbought.", False),
    ("RSI 14 не в зоне перекупленности.", False),
    ("RSI 45: overbought.", True),
    ("RSI 45 — перекупленность.", True),
    ("The trend is not up.", False),
    ("Price is not above EMA 200 yet.", False),
])
def test_a_negated_claim_is_not_taken_for_its_opposite(text: str, false: bool) -> None:
    from shared.llm import claims

    ctx = {"price": 100.0, "signal": "neutral", "trend": {"direction": "down"},
           "indicators": {"rsi_14": 45.0, "ema_200": 110.0}}
    assert bool(claims.check([text], ctx)) is false
