"""Why an alert fired, as data (``Reason``) and as words in English or Russian.

A rule's evaluation yields reasons — the rule kind, the measured values, the timeframe for a
multi-timeframe rule — so the same alert reads naturally in each user's language, with the
numbers written as that language writes them. The English text also goes into the web
notification and the alert record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from shared.bot import numbers

_PRICES = ("threshold", "close", "start", "fast", "slow", "macd", "signal", "ema")
_PLAIN = ("rsi", "level")
_PERCENTS = ("change", "percent")

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "price_above/crossed": "price crossed above {threshold}: closed at {close}",
        "price_above": "price is above {threshold}: closed at {close}",
        "price_below/crossed": "price crossed below {threshold}: closed at {close}",
        "price_below": "price is below {threshold}: closed at {close}",
        "change_pct": "moved {change} over {window} candles ({start} → {close}), "
                      "threshold {percent}",
        "change_pct/one": "moved {change} over 1 candle ({start} → {close}), "
                          "threshold {percent}",
        "rsi_above/crossed": "RSI({period}) crossed above {level}: now {rsi}",
        "rsi_above": "RSI({period}) is {rsi}, above {level}",
        "rsi_below/crossed": "RSI({period}) crossed below {level}: now {rsi}",
        "rsi_below": "RSI({period}) is {rsi}, below {level}",
        "macd_up": "MACD crossed above its signal line (bullish): MACD {macd}, signal {signal}",
        "macd_down": "MACD crossed below its signal line (bearish): MACD {macd}, "
                     "signal {signal}",
        "ema_up": "EMA {fast_period} crossed above EMA {slow_period}: {fast} vs {slow}",
        "ema_down": "EMA {fast_period} crossed below EMA {slow_period}: {fast} vs {slow}",
        "trend_up": "trend up: close {close} above EMA 50 {ema}, EMA 20 above EMA 50",
        "trend_down": "trend down: close {close} below EMA 50 {ema}, EMA 20 below EMA 50",
        "and": " and ",
    },
    "ru": {
        "price_above/crossed": "цена поднялась выше {threshold}: закрытие {close}",
        "price_above": "цена выше {threshold}: закрытие {close}",
        "price_below/crossed": "цена опустилась ниже {threshold}: закрытие {close}",
        "price_below": "цена ниже {threshold}: закрытие {close}",
        "change_pct": "изменение {change} за {window} свеч. ({start} → {close}), "
                      "порог {percent}",
        "change_pct/one": "изменение {change} за 1 свечу ({start} → {close}), "
                          "порог {percent}",
        "rsi_above/crossed": "RSI({period}) поднялся выше {level}: сейчас {rsi}",
        "rsi_above": "RSI({period}) = {rsi}, выше {level}",
        "rsi_below/crossed": "RSI({period}) опустился ниже {level}: сейчас {rsi}",
        "rsi_below": "RSI({period}) = {rsi}, ниже {level}",
        "macd_up": "MACD пересёк сигнальную линию снизу вверх: MACD {macd}, сигнальная {signal}",
        "macd_down": "MACD пересёк сигнальную линию сверху вниз: MACD {macd}, "
                     "сигнальная {signal}",
        "ema_up": "EMA {fast_period} пересекла EMA {slow_period} снизу вверх: {fast} и {slow}",
        "ema_down": "EMA {fast_period} пересекла EMA {slow_period} сверху вниз: {fast} и {slow}",
        "trend_up": "тренд вверх: закрытие {close} выше EMA 50 {ema}, EMA 20 выше EMA 50",
        "trend_down": "тренд вниз: закрытие {close} ниже EMA 50 {ema}, EMA 20 ниже EMA 50",
        "and": " и ",
    },
}


@dataclass(frozen=True)
class Reason:
    """One condition that holds: its template key, the measured values, its timeframe."""

    key: str
    values: dict[str, float] = field(default_factory=dict)
    timeframe: str | None = None

    def dump(self) -> dict[str, object]:
        return {"key": self.key, "values": self.values, "timeframe": self.timeframe}

    @classmethod
    def load(cls, data: dict[str, object]) -> Reason:
        values = data.get("values")
        timeframe = data.get("timeframe")
        return cls(str(data.get("key", "")),
                   {str(k): float(v) for k, v in values.items()}  # type: ignore[arg-type]
                   if isinstance(values, dict) else {},
                   str(timeframe) if timeframe else None)


def _value(name: str, value: float, lang: str) -> str:
    if name in _PRICES:
        return numbers.compact(value, lang)
    if name in _PLAIN:
        return numbers.plain(value, lang)
    if name in _PERCENTS:
        return numbers.percent(value / 100, lang, signed=True)
    return str(int(value))


def describe(reasons: Sequence[Reason], lang: str = "en") -> str:
    """The reasons in words, joined by "and"; each prefixed by its timeframe when it has one."""
    words = TEMPLATES.get(lang, TEMPLATES["en"])
    parts = []
    for reason in reasons:
        template = words.get(reason.key) or TEMPLATES["en"].get(reason.key, reason.key)
        text = template.format(**{k: _value(k, v, lang) for k, v in reason.values.items()})
        parts.append(f"[{reason.timeframe}] {text}" if reason.timeframe else text)
    return words["and"].join(parts)
