"""The claims a report makes, checked against the data, sentence by sentence, in English and
Russian: the RSI zone, which side of each moving average (and of −DI, of the signal line) a
quantity is on, the sign of the MACD histogram, the side of the Bollinger bands, the
volatility, the trend, the signal word, and the higher timeframe's signal, trend and verdict.

A sentence about the higher timeframe is checked against the higher timeframe; every other
sentence against this one. A claim that cannot be read is not a claim; a claim that can be
read and is false is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")
_HTF = re.compile(r"higher timeframe|старш\w* таймфрейм", re.I)
_ZONES = (("overbought", "перекупл", "high"), ("oversold", "перепрод", "low"),
          ("neutral", "нейтрал", "mid"))
_NEGATION = re.compile(r"\b(?:not|neither|nor|no longer)\b|(?:^|\s)(?:не|ни)\s", re.I)
_SIDE_WORDS = {"above": 1, "выше": 1, "below": -1, "ниже": -1}
_THING = (r"(price|цена|EMA\s?\d+|SMA\s?\d+|\+DI|MACD(?! histogram)|[−-]DI|signal line"
          r"|сигнальн\w* лини\w*)")
_SIDE = re.compile(_THING + r"(?:\s+is|\s+stays|\s+holds|\s+trades|\s+sits|\s+находится)?\s+"
                   r"(above|below|выше|ниже)\s+(?:the\s+|its\s+|своей\s+)?(?=" + _THING + ")",
                   re.I)
_TREND = re.compile(r"\b(?:trend|тренд)\w*\s*(?:is\s+)?[:—-]?\s*(up|down|sideways|"
                    r"восходящ\w*|нисходящ\w*|боков\w*)|\b(uptrend|downtrend)\b", re.I)
_TREND_WORDS = {"up": "up", "uptrend": "up", "восходящ": "up", "down": "down",
                "downtrend": "down", "нисходящ": "down", "sideways": "sideways",
                "боков": "sideways"}
_SIGNALS = (("strong sell", "strong_sell"), ("strong buy", "strong_buy"),
            ("сильная продажа", "strong_sell"), ("сильная покупка", "strong_buy"),
            ("sell", "sell"), ("buy", "buy"), ("neutral", "neutral"), ("продажа", "sell"),
            ("покупка", "buy"), ("нейтрально", "neutral"))
_SIGNAL = re.compile(r"(?:signal|сигнал)\s*(?:is|:|—|-)?\s*(strong sell|strong buy|sell|buy|"
                     r"neutral|сильная продажа|сильная покупка|продажа|покупка|нейтрально)",
                     re.I)
_HTF_SIGNAL = re.compile(r"(?:timeframe|таймфрейм)\s+\w+\s*:\s*(strong sell|strong buy|sell|buy|"
                         r"neutral|сильная продажа|сильная покупка|продажа|покупка|нейтрально)",
                         re.I)
_VERDICTS = (("does not contradict", "neutral"), ("не противоречит", "neutral"),
             ("disagrees", "disagrees"), ("противоречит", "disagrees"),
             ("agrees", "agrees"), ("согласуется", "agrees"))


_HIST_SIGN = re.compile(r"(?:MACD histogram|гистограмм\w* MACD)\D{0,12}?\b(?:is\s+)?"
                        r"(positive|negative|положительн\w*|отрицательн\w*)", re.I)
_BAND = re.compile(r"(?:price|цена)\s+(?:is\s+)?(above|below|выше|ниже)\s+(?:the\s+)?"
                   r"(?:(upper|lower|верхн\w*|нижн\w*)\s+)?(?:Bollinger\s+)?(?:band|полос)",
                   re.I)
_VOLATILITY = re.compile(r"\b(low|normal|high)\s+volatility|волатильность\s+"
                         r"(низкая|обычная|высокая)|volatility is (low|normal|high)", re.I)
_VOL_WORDS = {"low": "low", "normal": "normal", "high": "high", "низкая": "low",
              "обычная": "normal", "высокая": "high"}


def sentences(texts: list[str]) -> Iterator[str]:
    for text in texts:
        yield from (s for s in _SENTENCE.split(text) if s.strip())


def _value_of(thing: str, ctx: dict[str, Any]) -> float | None:
    ind, name = ctx.get("indicators") or {}, re.sub(r"\s+", " ", thing.strip().lower())
    if name in ("price", "цена"):
        return float(ctx["price"])
    if match := re.fullmatch(r"(ema|sma) ?(\d+)", name):
        return ind.get(f"{match[1]}_{match[2]}")
    if name == "+di":
        return ind.get("plus_di_14")
    if name in ("−di", "-di"):
        return ind.get("minus_di_14")
    if name == "macd":
        return ind.get("macd")
    if name.startswith(("signal line", "сигнальн")):
        return ind.get("macd_signal")
    return None


def _sides(sentence: str, ctx: dict[str, Any]) -> list[str]:
    problems = []
    for match in _SIDE.finditer(sentence):
        a, b = _value_of(match[1], ctx), _value_of(match[3], ctx)
        if a is None or b is None:
            continue
        said = _SIDE_WORDS[match[2].lower()]
        if (a - b) * said <= 0:
            problems.append(f"“{match[1]} {match[2]} {match[3]}” is false: {match[1]} is "
                            f"{a:g}, {match[3]} is {b:g}")
    return problems


def _rsi(sentence: str, ctx: dict[str, Any]) -> list[str]:
    rsi = (ctx.get("indicators") or {}).get("rsi_14")
    if rsi is None or "rsi" not in sentence.lower():
        return []
    zone = "high" if rsi > 70 else "low" if rsi < 30 else "mid"
    lower = sentence.lower()
    said = {z for en, ru, z in _ZONES for m in re.finditer(f"{en}|{ru}", lower)
            if not _NEGATION.search(lower[max(0, m.start() - 14):m.start()])}
    if len(said) == 1 and zone not in said:
        return [f"RSI {rsi:.1f} is not in the zone the report names"]
    return []


def _trend_word(raw: str) -> str:
    raw = raw.lower()
    return next(v for k, v in _TREND_WORDS.items() if raw.startswith(k))


def _trend(sentence: str, want: str | None, whose: str) -> list[str]:
    if want is None:
        return []
    for match in _TREND.finditer(sentence):
        said = _trend_word(match[1] or match[2])
        if said != want:
            return [f"{whose} trend is {want}, not {said}"]
    return []


def _signal_word(raw: str) -> str:
    raw = raw.lower()
    return next(v for k, v in _SIGNALS if raw == k)


def _signal(sentence: str, want: str, pattern: re.Pattern[str], whose: str) -> list[str]:
    for match in pattern.finditer(sentence):
        said = _signal_word(match[1])
        if said != want:
            return [f"{whose} signal is {want}, not {said}"]
    return []


def _verdict(sentence: str, conf: dict[str, Any]) -> list[str]:
    lower = sentence.lower()
    want = conf.get("verdict") or ("agrees" if conf.get("agrees") else "disagrees")
    said = next((v for k, v in _VERDICTS if k in lower), None)
    if said is not None and said != want:
        return [f"the higher timeframe's verdict is {want}, not {said}"]
    return []


def _macd_sign(sentence: str, ctx: dict[str, Any]) -> list[str]:
    hist = (ctx.get("indicators") or {}).get("macd_hist")
    match = _HIST_SIGN.search(sentence)
    if hist is None or match is None:
        return []
    said = 1 if match[1].lower().startswith(("pos", "полож")) else -1
    return [] if hist * said > 0 else [f"the MACD histogram is {hist:g}, not {match[1]}"]


def _band(sentence: str, ctx: dict[str, Any]) -> list[str]:
    ind, price = ctx.get("indicators") or {}, float(ctx["price"])
    match = _BAND.search(sentence)
    if match is None or ind.get("bb_upper") is None or ind.get("bb_lower") is None:
        return []
    above = match[1].lower() in ("above", "выше")
    which = (match[2] or "").lower()
    edge = ind["bb_lower"] if which.startswith(("lower", "нижн")) else ind["bb_upper"] \
        if which.startswith(("upper", "верхн")) else (ind["bb_upper"] if above else ind["bb_lower"])
    if (price > edge) == above and price != edge:
        return []
    return [f"price {price:g} is not {match[1]} the band edge {edge:g}"]


def _volatility(sentence: str, ctx: dict[str, Any]) -> list[str]:
    want = (ctx.get("trend") or {}).get("volatility")
    match = _VOLATILITY.search(sentence)
    if want is None or match is None:
        return []
    said = _VOL_WORDS[(match[1] or match[2] or match[3]).lower()]
    return [] if said == want else [f"volatility is {want}, not {said}"]


def _higher(sentence: str, ctx: dict[str, Any]) -> list[str]:
    conf = ctx.get("confluence")
    if not conf:
        return ["the report describes a higher timeframe the analysis does not have"]
    return (_signal(sentence, conf["signal"], _HTF_SIGNAL, "the higher timeframe's")
            + _trend(sentence, conf.get("trend"), "the higher timeframe's")
            + _verdict(sentence, conf))


def check(texts: list[str], ctx: dict[str, Any]) -> list[str]:
    """Every false claim in the texts."""
    problems: list[str] = []
    own_trend = (ctx.get("trend") or {}).get("direction")
    for sentence in sentences(texts):
        if _HTF.search(sentence):
            problems += _higher(sentence, ctx)
            continue
        problems += _rsi(sentence, ctx) + _sides(sentence, ctx) + _macd_sign(sentence, ctx)
        problems += _band(sentence, ctx) + _volatility(sentence, ctx)
        problems += _trend(sentence, own_trend, "the")
        problems += _signal(sentence, ctx["signal"], _SIGNAL, "the")
    return problems
