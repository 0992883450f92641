"""The rule-based analyst's key points, risks and scenarios, from the computed levels only."""

from __future__ import annotations

from typing import Any

_PRICE_LIKE = ("ema_20", "ema_50", "ema_200", "sma_20", "sma_50", "sma_200", "bb_upper",
               "bb_lower", "vwap", "supertrend", "ichimoku_kijun", "ichimoku_span_a",
               "ichimoku_span_b")

TEXT = {
    "en": {
        "trend": "Trend {direction}, {regime} market, {volatility} volatility.",
        "htf": "Higher timeframe {timeframe}: {signal}, trend {trend} — {verdict}.",
        "agrees": "it agrees", "disagrees": "it disagrees",
        "levels": "Nearest support {support}, nearest resistance {resistance}.",
        "patterns": "Recent candlestick patterns: {names}.",
        "risk_vol": "Volatility is high: ATR is {atr_pct:.1f}% of price, stops get hit easily.",
        "risk_htf": "The higher timeframe points the other way; signals may fail.",
        "risk_conf": "The indicators disagree: confidence is only {confidence:.0%}.",
        "risk_base": "A close beyond the invalidation level voids the scenario.",
        "bull": "A move up towards {target} while price holds above {invalidation}.",
        "bear": "A move down towards {target} while price stays below {invalidation}.",
        "none": "none",
    },
    "ru": {
        "trend": "Тренд {direction}, рынок {regime}, волатильность {volatility}.",
        "htf": "Старший таймфрейм {timeframe}: {signal}, тренд {trend} — {verdict}.",
        "agrees": "согласуется", "disagrees": "противоречит",
        "levels": "Ближайшая поддержка {support}, ближайшее сопротивление {resistance}.",
        "patterns": "Недавние свечные паттерны: {names}.",
        "risk_vol": "Высокая волатильность: ATR составляет {atr_pct:.1f}% цены, стопы легко "
                    "выбивает.",
        "risk_htf": "Старший таймфрейм смотрит в другую сторону; сигналы могут не сработать.",
        "risk_conf": "Индикаторы расходятся: уверенность всего {confidence:.0%}.",
        "risk_base": "Закрытие за уровнем отмены отменяет сценарий.",
        "bull": "Рост к {target}, пока цена держится выше {invalidation}.",
        "bear": "Снижение к {target}, пока цена остаётся ниже {invalidation}.",
        "none": "нет",
    },
}
WORDS_RU = {"up": "восходящий", "down": "нисходящий", "sideways": "боковой",
            "trending": "трендовый", "ranging": "без тренда", "low": "низкая",
            "normal": "обычная", "high": "высокая", "strong_sell": "сильная продажа",
            "sell": "продажа", "neutral": "нейтрально", "buy": "покупка",
            "strong_buy": "сильная покупка"}


def words(values: dict[str, Any], t: dict[str, str]) -> dict[str, Any]:
    """Enum words in the report's language."""
    if t is not TEXT["ru"]:
        return {k: str(v).replace("_", " ") if isinstance(v, str) else v
                for k, v in values.items()}
    return {k: WORDS_RU.get(v, v) if isinstance(v, str) else v for k, v in values.items()}


def candidates(ctx: dict[str, Any]) -> list[float]:
    """Every computed price level: S/R levels first, then pivots, Fibonacci, averages, bands."""
    ind = ctx.get("indicators", {})
    values = [lv["price"] for lv in ctx.get("levels", [])]
    values += list(ctx.get("pivots", {}).values()) + list(ctx.get("fibonacci", {}).values())
    values += [ind[k] for k in _PRICE_LIKE if ind.get(k) is not None]
    return [float(v) for v in values]


def nearest(ctx: dict[str, Any], above: bool) -> float | None:
    """The nearest support (below) or resistance (above): from the clustered swing levels the
    result lists, so the report and ``levels[]`` agree; other computed levels only when no
    swing level lies on that side."""
    price = float(ctx["price"])

    def closest(values: list[float]) -> float | None:
        side = [v for v in values if (v > price * 1.001 if above else v < price * 0.999)]
        return min(side, key=lambda v: abs(v - price)) if side else None

    swings = [float(lv["price"]) for lv in ctx.get("levels", [])]
    return closest(swings) or closest(candidates(ctx))


def scenarios(ctx: dict[str, Any], t: dict[str, str], fmt: Any) -> dict[str, Any]:
    up, down = nearest(ctx, above=True), nearest(ctx, above=False)
    price = float(ctx["price"])
    support = down if down is not None else price * 0.97
    resistance = up if up is not None else price * 1.03
    return {
        "bull_scenario": {"description": t["bull"].format(target=fmt(resistance),
                                                          invalidation=fmt(support)),
                          "target": resistance, "invalidation": support},
        "bear_scenario": {"description": t["bear"].format(target=fmt(support),
                                                          invalidation=fmt(resistance)),
                          "target": support, "invalidation": resistance},
    }


def key_points(ctx: dict[str, Any], t: dict[str, str], fmt: Any) -> list[str]:
    trend, points = ctx.get("trend"), []
    if trend:
        points.append(t["trend"].format(**words(trend, t)))
    if conf := ctx.get("confluence"):
        points.append(t["htf"].format(**words(conf, t), verdict=t["agrees" if conf["agrees"] else
                                                        "disagrees"]))
    up, down = nearest(ctx, above=True), nearest(ctx, above=False)
    points.append(t["levels"].format(support=fmt(down) if down is not None else t["none"],
                                     resistance=fmt(up) if up is not None else t["none"]))
    if patterns := ctx.get("patterns"):
        points.append(t["patterns"].format(names=", ".join(p["name"] for p in patterns[:4])))
    return points


def risks(ctx: dict[str, Any], t: dict[str, str]) -> list[str]:
    found = []
    trend = ctx.get("trend") or {}
    if trend.get("volatility") == "high" and trend.get("atr_pct"):
        found.append(t["risk_vol"].format(atr_pct=trend["atr_pct"]))
    if (conf := ctx.get("confluence")) and not conf["agrees"]:
        found.append(t["risk_htf"])
    if ctx.get("confidence", 1) < 0.4:
        found.append(t["risk_conf"].format(confidence=ctx["confidence"]))
    found.append(t["risk_base"])
    return found
