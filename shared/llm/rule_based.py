"""The rule-based analyst: writes the report from the indicators, with no model at all.

It is the embedded default LLM and the last link of every provider chain, and it says so in
the report. It reads the structured ``context`` of the request, not the prompt text.
"""

from __future__ import annotations

import json
from typing import Any

from shared.llm import rule_scenarios
from shared.ports import LLMReply, LLMRequest

_TEXT = {
    "en": {
        "head": "{symbol} on {timeframe} closed at {price} ({as_of}).",
        "trend_up": "Trend: price is above EMA 20 and EMA 20 is above EMA 50 — an uptrend.",
        "trend_down": "Trend: price is below EMA 20 and EMA 20 is below EMA 50 — a downtrend.",
        "trend_mixed": "Trend: the moving averages disagree — no clear trend.",
        "long_up": "Price is above EMA 200, the long-term trend is up.",
        "long_down": "Price is below EMA 200, the long-term trend is down.",
        "rsi_high": "RSI 14 is {rsi:.1f}: overbought.",
        "rsi_low": "RSI 14 is {rsi:.1f}: oversold.",
        "rsi_mid": "RSI 14 is {rsi:.1f}: neutral.",
        "macd_up": "MACD histogram is positive ({hist}): momentum is rising.",
        "macd_down": "MACD histogram is negative ({hist}): momentum is falling.",
        "bb": "Bollinger bands span {lower} – {upper}; price sits at {pos:.0f}% of the band.",
        "atr": "ATR 14 is {atr} ({atr_pct:.1f}% of price).",
        "signal": "Signal: {signal} with confidence {confidence:.0%}.",
        "label": "Written by the rule-based analyst from the indicators; not financial advice.",
    },
    "ru": {
        "head": "{symbol} на {timeframe}: закрытие {price} ({as_of}).",
        "trend_up": "Тренд: цена выше EMA 20, EMA 20 выше EMA 50 — восходящий тренд.",
        "trend_down": "Тренд: цена ниже EMA 20, EMA 20 ниже EMA 50 — нисходящий тренд.",
        "trend_mixed": "Тренд: скользящие средние расходятся — явного тренда нет.",
        "long_up": "Цена выше EMA 200, долгосрочный тренд восходящий.",
        "long_down": "Цена ниже EMA 200, долгосрочный тренд нисходящий.",
        "rsi_high": "RSI 14 равен {rsi:.1f}: перекупленность.",
        "rsi_low": "RSI 14 равен {rsi:.1f}: перепроданность.",
        "rsi_mid": "RSI 14 равен {rsi:.1f}: нейтрально.",
        "macd_up": "Гистограмма MACD положительна ({hist}): импульс растёт.",
        "macd_down": "Гистограмма MACD отрицательна ({hist}): импульс слабеет.",
        "bb": "Полосы Боллинджера: {lower} – {upper}; цена на {pos:.0f}% ширины полосы.",
        "atr": "ATR 14 равен {atr} ({atr_pct:.1f}% от цены).",
        "signal": "Сигнал: {signal}, уверенность {confidence:.0%}.",
        "label": "Написано аналитиком на правилах по индикаторам; не является инвестсоветом.",
    },
}


def fmt(value: float) -> str:
    """A price with as many decimals as its size needs."""
    if abs(value) >= 1000:
        return f"{value:,.2f}"
    if abs(value) >= 1:
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return f"{value:.6f}".rstrip("0").rstrip(".")


class RuleBasedAnalyst:
    name = "rule_based"
    model = "rules-v1"

    def complete(self, request: LLMRequest) -> LLMReply:
        return LLMReply(
            text=json.dumps(write_report(request.context, request.language), ensure_ascii=False),
            provider=self.name,
            model=self.model,
        )


def write_report(ctx: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """The whole report: summary, key points, risks and both scenarios (when levels exist)."""
    t = rule_scenarios.TEXT.get(language, rule_scenarios.TEXT["en"])
    report: dict[str, Any] = {"summary": write_summary(ctx, language),
                              "key_points": rule_scenarios.key_points(ctx, t, fmt),
                              "risks": rule_scenarios.risks(ctx, t)}
    report.update(rule_scenarios.scenarios(ctx, t, fmt))
    return report


def write_summary(ctx: dict[str, Any], language: str = "en") -> str:
    t = _TEXT.get(language, _TEXT["en"])
    ind, price = ctx["indicators"], ctx["price"]
    lines = [t["head"].format(symbol=ctx["symbol"], timeframe=ctx["timeframe"],
                              price=fmt(price), as_of=ctx["as_of"][:16].replace("T", " "))]
    ema20, ema50, ema200 = ind.get("ema_20"), ind.get("ema_50"), ind.get("ema_200")
    if ema20 is not None and ema50 is not None:
        key = ("trend_up" if price > ema20 > ema50
               else "trend_down" if price < ema20 < ema50 else "trend_mixed")
        lines.append(t[key])
    if ema200 is not None:
        lines.append(t["long_up" if price > ema200 else "long_down"])
    if (rsi := ind.get("rsi_14")) is not None:
        key = "rsi_high" if rsi > 70 else "rsi_low" if rsi < 30 else "rsi_mid"
        lines.append(t[key].format(rsi=rsi))
    if (hist := ind.get("macd_hist")) is not None:
        lines.append(t["macd_up" if hist > 0 else "macd_down"].format(hist=fmt(hist)))
    upper, lower = ind.get("bb_upper"), ind.get("bb_lower")
    if upper is not None and lower is not None and upper > lower:
        pos = (price - lower) / (upper - lower) * 100
        lines.append(t["bb"].format(lower=fmt(lower), upper=fmt(upper), pos=pos))
    if (atr := ind.get("atr_14")) is not None:
        lines.append(t["atr"].format(atr=fmt(atr), atr_pct=atr / price * 100))
    signal = ctx["signal"]
    signal = rule_scenarios.WORDS_RU.get(signal, signal) if language == "ru" else signal
    lines.append(t["signal"].format(signal=signal.replace("_", " "),
                                    confidence=ctx["confidence"]))
    lines.append(t["label"])
    return " ".join(lines)
