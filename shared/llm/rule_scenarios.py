"""The rule-based analyst's key points, risks and scenarios, from the computed levels only.

"Nearest" is the nearest swing level the result lists on that side (the level list always
includes it); with none on a side the report says so instead of inventing one. A scenario aims
at the nearest level on its side and is void beyond the nearest level on the other side (or,
with no swing level there, beyond the low or high of the last 120 candles, else one ATR away);
its reward:risk is stated, and a call whose own scenario offers less than 1:1 is flagged.
"""

from __future__ import annotations

from typing import Any

from shared.llm.numbers import fixed, fmt, percent

TEXT = {
    "en": {
        "trend": "Trend {direction}, {strength} (ADX {adx}), {volatility} volatility.",
        "strong": "a strong trend", "weak": "a weak trend",
        "htf": "Higher timeframe {timeframe}: {signal}, trend {trend} — {verdict}.",
        "agrees": "it agrees", "disagrees": "it disagrees", "neutral": "it does not contradict",
        "levels": "Nearest support {support}, nearest resistance {resistance}.",
        "none_below": "none below", "none_above": "none above",
        "patterns": "Recent candlestick patterns: {names}.",
        "risk_vol": "Volatility is high: ATR is {atr_pct} % of price, stops get hit easily.",
        "risk_htf": "The higher timeframe points the other way.",
        "risk_edge": "No measurable edge: calls like this were right {confidence} of the time.",
        "risk_rr": "The {side} case offers reward:risk {rr} only: the level it aims at is "
                   "closer than the level that voids it.",
        "risk_base": "A close beyond the invalidation level voids the scenario.",
        "bull": "A move up towards {target} while price holds above {invalidation} "
                "(reward:risk {rr}).",
        "bull_open": "No swing level above to aim at; the case is void below {invalidation}.",
        "bear": "A move down towards {target} while price stays below {invalidation} "
                "(reward:risk {rr}).",
        "bear_open": "No swing level below to aim at; the case is void above {invalidation}.",
        "bull_side": "buy", "bear_side": "sell",
    },
    "ru": {
        "trend": "Тренд {direction}, {strength} (ADX {adx}), волатильность {volatility}.",
        "strong": "сильный", "weak": "слабый",
        "htf": "Старший таймфрейм {timeframe}: {signal}, тренд {trend} — {verdict}.",
        "agrees": "согласуется", "disagrees": "противоречит", "neutral": "не противоречит",
        "levels": "Ближайшая поддержка {support}, ближайшее сопротивление {resistance}.",
        "none_below": "ниже нет", "none_above": "выше нет",
        "patterns": "Недавние свечные паттерны: {names}.",
        "risk_vol": "Высокая волатильность: ATR составляет {atr_pct} % цены, стопы легко "
                    "выбивает.",
        "risk_htf": "Старший таймфрейм смотрит в другую сторону.",
        "risk_edge": "Измеримого преимущества нет: такие сигналы оказывались верными в "
                     "{confidence} случаев.",
        "risk_rr": "Сценарий {side} даёт соотношение прибыль:риск лишь {rr}: его цель ближе, "
                   "чем уровень отмены.",
        "risk_base": "Закрытие за уровнем отмены отменяет сценарий.",
        "bull": "Рост к {target}, пока цена держится выше {invalidation} "
                "(прибыль:риск {rr}).",
        "bull_open": "Выше нет уровня для цели; сценарий отменяется ниже {invalidation}.",
        "bear": "Снижение к {target}, пока цена остаётся ниже {invalidation} "
                "(прибыль:риск {rr}).",
        "bear_open": "Ниже нет уровня для цели; сценарий отменяется выше {invalidation}.",
        "bull_side": "покупки", "bear_side": "продажи",
    },
}
WORDS_RU = {"up": "восходящий", "down": "нисходящий", "sideways": "боковой",
            "trending": "трендовый", "ranging": "без тренда", "low": "низкая",
            "normal": "обычная", "high": "высокая", "strong_sell": "сильная продажа",
            "sell": "продажа", "neutral": "нейтрально", "buy": "покупка",
            "strong_buy": "сильная покупка"}
EDGE_MARGIN = 0.03


def words(values: dict[str, Any], language: str) -> dict[str, Any]:
    """Enum words in the report's language."""
    if language != "ru":
        return {k: str(v).replace("_", " ") if isinstance(v, str) else v
                for k, v in values.items()}
    return {k: WORDS_RU.get(v, v) if isinstance(v, str) else v for k, v in values.items()}


def _trend_words(trend: dict[str, Any], language: str) -> dict[str, Any]:
    return words({k: v for k, v in trend.items() if k in ("direction", "volatility")}, language)


def nearest(ctx: dict[str, Any], above: bool) -> float | None:
    """The nearest listed swing level strictly above (resistance) or below (support) the
    price; None when there is none on that side."""
    price = float(ctx["price"])
    side = [float(lv["price"]) for lv in ctx.get("levels", [])
            if (float(lv["price"]) > price if above else float(lv["price"]) < price)]
    return min(side, key=lambda v: abs(v - price)) if side else None


def bound(ctx: dict[str, Any], above: bool) -> float:
    """Where a case against this side is void: the nearest swing level, else the 120-candle
    high or low (Fibonacci 0 % / 100 %), else one ATR away from the price."""
    level = nearest(ctx, above)
    if level is not None:
        return level
    price = float(ctx["price"])
    fib = [float(v) for v in (ctx.get("fibonacci") or {}).values()]
    beyond = [v for v in fib if (v > price if above else v < price)]
    if beyond:
        return max(beyond) if above else min(beyond)
    atr = float((ctx.get("indicators") or {}).get("atr_14") or price * 0.01)
    return price + atr if above else price - atr


def reward_risk(price: float, target: float | None, invalidation: float) -> float | None:
    if target is None or invalidation == price:
        return None
    return abs(target - price) / abs(price - invalidation)


def _case(ctx: dict[str, Any], t: dict[str, str], lang: str, bull: bool) -> dict[str, Any]:
    price = float(ctx["price"])
    target = nearest(ctx, above=bull)
    invalidation = bound(ctx, above=not bull)
    name = "bull" if bull else "bear"
    rr = reward_risk(price, target, invalidation)
    if target is None or rr is None:
        text = t[f"{name}_open"].format(invalidation=fmt(invalidation, lang))
    else:
        text = t[name].format(target=fmt(target, lang), invalidation=fmt(invalidation, lang),
                              rr=fixed(rr, 2, lang))
    return {"description": text, "target": target, "invalidation": invalidation}


def scenarios(ctx: dict[str, Any], t: dict[str, str], language: str = "en") -> dict[str, Any]:
    return {"bull_scenario": _case(ctx, t, language, bull=True),
            "bear_scenario": _case(ctx, t, language, bull=False)}


def key_points(ctx: dict[str, Any], t: dict[str, str], language: str = "en") -> list[str]:
    trend, points = ctx.get("trend"), []
    if trend and trend.get("adx") is not None:
        strength = t["strong" if trend["regime"] == "trending" else "weak"]
        points.append(t["trend"].format(**_trend_words(trend, language), strength=strength,
                                        adx=fixed(trend["adx"], 1, language)))
    if conf := ctx.get("confluence"):
        verdict = conf.get("verdict") or ("agrees" if conf["agrees"] else "disagrees")
        shown = words({k: v for k, v in conf.items() if k != "verdict"}, language)
        points.append(t["htf"].format(**shown, verdict=t[verdict]))
    up, down = nearest(ctx, above=True), nearest(ctx, above=False)
    points.append(t["levels"].format(
        support=fmt(down, language) if down is not None else t["none_below"],
        resistance=fmt(up, language) if up is not None else t["none_above"]))
    if patterns := ctx.get("patterns"):
        points.append(t["patterns"].format(names=", ".join(p["name"] for p in patterns[:4])))
    return points


def _signal_risks(ctx: dict[str, Any], t: dict[str, str], language: str) -> list[str]:
    lean = 1 if "buy" in ctx["signal"] else -1 if "sell" in ctx["signal"] else 0
    if not lean:
        return []
    found = []
    if ctx.get("p_up") is not None and ctx.get("confidence", 0.5) < 0.5 + EDGE_MARGIN:
        found.append(t["risk_edge"].format(confidence=percent(ctx["confidence"], language)))
    price = float(ctx["price"])
    rr = reward_risk(price, nearest(ctx, above=lean > 0), bound(ctx, above=lean < 0))
    if rr is not None and rr < 1:
        found.append(t["risk_rr"].format(side=t["bull_side" if lean > 0 else "bear_side"],
                                         rr=fixed(rr, 2, language)))
    return found


def risks(ctx: dict[str, Any], t: dict[str, str], language: str = "en") -> list[str]:
    found = []
    trend = ctx.get("trend") or {}
    if trend.get("volatility") == "high" and trend.get("atr_pct"):
        found.append(t["risk_vol"].format(atr_pct=fixed(trend["atr_pct"], 1, language)))
    conf = ctx.get("confluence")
    if conf and (conf.get("verdict") == "disagrees" or not conf["agrees"]):
        found.append(t["risk_htf"])
    found += _signal_risks(ctx, t, language)
    found.append(t["risk_base"])
    return found
