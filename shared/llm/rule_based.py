"""The rule-based analyst: writes the report from the indicators, with no model at all.

It is the embedded default LLM and the last link of every provider chain, and it says so in
the report. It reads the structured ``context`` of the request, not the prompt text. Every
sentence states what the numbers show: the candle is the last closed one (at its close time),
the trend is the engine's one definition (``shared.indicators.levels.trend``), the confidence is
the calibrated chance that the call is right, and "no measurable edge" is said where it is so.
"""

from __future__ import annotations

import json
from typing import Any

from shared.llm import rule_scenarios
from shared.llm.numbers import candles, fixed, fmt, percent
from shared.ports import LLMReply, LLMRequest

__all__ = ["RuleBasedAnalyst", "fmt", "write_report", "write_summary"]
EDGE_MARGIN = 0.03  # as shared.indicators.calibration (not imported: no indicator stack here)

_TEXT = {
    "en": {
        "head": "{symbol} {timeframe}: the last closed candle closed at {price} "
                "({as_of} UTC).",
        "live": "Live price {live} at {live_at} UTC (the forming candle, not analysed).",
        "above": "above", "below": "below", "at": "at",
        "trend": "Trend {direction}: price is {p20} EMA 20, EMA 20 is {e2050} EMA 50, "
                 "+DI is {di} −DI.",
        "long": "Price is {side} EMA 200.",
        "rsi_high": "RSI 14 is {rsi}: overbought.",
        "rsi_low": "RSI 14 is {rsi}: oversold.",
        "rsi_mid": "RSI 14 is {rsi}: neutral.",
        "macd_up": "MACD histogram is positive ({hist}): MACD is above its signal line.",
        "macd_down": "MACD histogram is negative ({hist}): MACD is below its signal line.",
        "macd_flat": "MACD histogram is 0: MACD is on its signal line.",
        "bb": "Bollinger bands span {lower} – {upper}; price sits at {pos} of the band.",
        "bb_out": "Bollinger bands span {lower} – {upper}; price is {side} the band.",
        "atr": "ATR 14 is {atr} ({atr_pct} % of price).",
        "call": "Signal: {signal}. Calls like this were right {confidence} of the time "
                "{horizon} later.",
        "no_edge": "That is no measurable edge.",
        "neutral": "Signal: neutral, no call. After similar readings the price was higher "
                   "{horizon} later in {p_up} of cases.",
        "uncalibrated": "Signal: {signal}. This timeframe has no track record to calibrate "
                        "against, so no confidence is claimed.",
        "label": "Written by the rule-based analyst from the indicators; not financial advice.",
    },
    "ru": {
        "head": "{symbol} {timeframe}: последняя закрытая свеча закрылась на {price} "
                "({as_of} UTC).",
        "live": "Текущая цена {live} на {live_at} UTC (формирующаяся свеча, в анализ не "
                "входит).",
        "above": "выше", "below": "ниже", "at": "на уровне",
        "trend": "Тренд {direction}: цена {p20} EMA 20, EMA 20 {e2050} EMA 50, "
                 "+DI {di} −DI.",
        "long": "Цена {side} EMA 200.",
        "rsi_high": "RSI 14 равен {rsi}: перекупленность.",
        "rsi_low": "RSI 14 равен {rsi}: перепроданность.",
        "rsi_mid": "RSI 14 равен {rsi}: нейтральная зона.",
        "macd_up": "Гистограмма MACD положительна ({hist}): MACD выше сигнальной линии.",
        "macd_down": "Гистограмма MACD отрицательна ({hist}): MACD ниже сигнальной линии.",
        "macd_flat": "Гистограмма MACD равна 0: MACD на сигнальной линии.",
        "bb": "Полосы Боллинджера: {lower} – {upper}; цена на {pos} ширины полосы.",
        "bb_out": "Полосы Боллинджера: {lower} – {upper}; цена {side} полосы.",
        "atr": "ATR 14 равен {atr} ({atr_pct} % от цены).",
        "call": "Сигнал: {signal}. Такие сигналы оказывались верными в {confidence} случаев "
                "через {horizon}.",
        "no_edge": "Измеримого преимущества нет.",
        "neutral": "Сигнал: нейтрально, без рекомендации. После похожих показаний цена "
                   "через {horizon} была выше в {p_up} случаев.",
        "uncalibrated": "Сигнал: {signal}. Для этого таймфрейма нет истории сигналов для "
                        "калибровки, поэтому уверенность не заявляется.",
        "label": "Написано аналитиком на правилах по индикаторам; не является инвестсоветом.",
    },
}


class RuleBasedAnalyst:
    name = "rule_based"
    model = "rules-v2"

    def complete(self, request: LLMRequest) -> LLMReply:
        return LLMReply(
            text=json.dumps(write_report(request.context, request.language), ensure_ascii=False),
            provider=self.name,
            model=self.model,
        )


def write_report(ctx: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """The whole report: summary, key points, risks and both scenarios."""
    t = rule_scenarios.TEXT.get(language, rule_scenarios.TEXT["en"])
    report: dict[str, Any] = {"summary": write_summary(ctx, language),
                              "key_points": rule_scenarios.key_points(ctx, t, language),
                              "risks": rule_scenarios.risks(ctx, t, language)}
    report.update(rule_scenarios.scenarios(ctx, t, language))
    return report


def side(a: float | None, b: float | None) -> str | None:
    """"above", "below" or "at" for a against b (None when either is missing)."""
    if a is None or b is None:
        return None
    return "above" if a > b else "below" if a < b else "at"


def _head(ctx: dict[str, Any], t: dict[str, str], lang: str) -> list[str]:
    lines = [t["head"].format(symbol=ctx["symbol"], timeframe=ctx["timeframe"],
                              price=fmt(ctx["price"], lang), as_of=_time(ctx["as_of"]))]
    if ctx.get("live_price") is not None and ctx.get("live_at"):
        lines.append(t["live"].format(live=fmt(ctx["live_price"], lang),
                                      live_at=_time(ctx["live_at"])))
    return lines


def _time(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


def _trend(ctx: dict[str, Any], t: dict[str, str], lang: str) -> list[str]:
    ind, price, trend = ctx["indicators"], ctx["price"], ctx.get("trend") or {}
    parts = {"p20": side(price, ind.get("ema_20")), "e2050": side(ind.get("ema_20"),
             ind.get("ema_50")), "di": side(ind.get("plus_di_14"), ind.get("minus_di_14"))}
    lines = []
    if trend.get("direction") and all(parts.values()):
        words = {k: t[v] for k, v in parts.items() if v}
        direction = rule_scenarios.words({"d": trend["direction"]}, lang)["d"]
        lines.append(t["trend"].format(direction=direction, **words))
    if (where := side(price, ind.get("ema_200"))) is not None:
        lines.append(t["long"].format(side=t[where]))
    return lines


def _oscillators(ctx: dict[str, Any], t: dict[str, str], lang: str) -> list[str]:
    ind, price, lines = ctx["indicators"], ctx["price"], []
    if (rsi := ind.get("rsi_14")) is not None:
        key = "rsi_high" if rsi > 70 else "rsi_low" if rsi < 30 else "rsi_mid"
        lines.append(t[key].format(rsi=fixed(rsi, 1, lang)))
    if (hist := ind.get("macd_hist")) is not None:
        shown = fmt(hist, lang)
        key = "macd_flat" if shown == "0" else "macd_up" if hist > 0 else "macd_down"
        lines.append(t[key].format(hist=shown))
    upper, lower = ind.get("bb_upper"), ind.get("bb_lower")
    if upper is not None and lower is not None and upper > lower:
        band = {"lower": fmt(lower, lang), "upper": fmt(upper, lang)}
        if lower <= price <= upper:
            pos = percent((price - lower) / (upper - lower), lang)
            lines.append(t["bb"].format(pos=pos, **band))
        else:
            lines.append(t["bb_out"].format(side=t["above" if price > upper else "below"],
                                            **band))
    if (atr := ind.get("atr_14")) is not None:
        lines.append(t["atr"].format(atr=fmt(atr, lang),
                                     atr_pct=fixed(atr / price * 100, 1, lang)))
    return lines


def signal_lines(ctx: dict[str, Any], t: dict[str, str], lang: str) -> list[str]:
    signal = rule_scenarios.words({"s": ctx["signal"]}, lang)["s"]
    horizon = candles(int(ctx.get("horizon") or 10), lang)
    if ctx.get("p_up") is None:
        return [t["uncalibrated"].format(signal=signal)]
    if ctx["signal"] == "neutral":
        return [t["neutral"].format(horizon=horizon, p_up=percent(ctx["p_up"], lang))]
    lines = [t["call"].format(signal=signal, confidence=percent(ctx["confidence"], lang),
                              horizon=horizon)]
    if ctx["confidence"] < 0.5 + EDGE_MARGIN:
        lines.append(t["no_edge"])
    return lines


def write_summary(ctx: dict[str, Any], language: str = "en") -> str:
    t = _TEXT.get(language, _TEXT["en"])
    lines = [*_head(ctx, t, language), *_trend(ctx, t, language),
             *_oscillators(ctx, t, language), *signal_lines(ctx, t, language), t["label"]]
    return " ".join(lines)
