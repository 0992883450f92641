"""The documented variable set a prompt template may use, built from the technicals.

==============  ==========================================================================
``symbol``      pair, ``BTC/USDT``
``timeframe``   ``1d``, ``4h``…
``language``    ``en`` or ``ru`` (the language the report must be written in)
``price``       close of the last closed candle
``as_of``       close time of the last closed candle, ISO 8601 UTC
``live_price``  the forming candle's price, not analysed (None when the last candle closed)
``live_at``     when that live price was read, ISO 8601 UTC (or None)
``indicators``  dict: rsi_14, macd, macd_signal, macd_hist, ema/sma_20/50/200, bb_upper/
                middle/lower, atr_14, stoch_k/d, adx_14, plus/minus_di_14, obv, mfi_14,
                cci_20, vwap, supertrend, supertrend_direction, ichimoku_* (None = n/a)
``signal``      strong_sell | sell | neutral | buy | strong_buy
``confidence``  0–1: the calibrated chance the call is right ``horizon`` candles later
                (0.5 for neutral: no call)
``horizon``     candles the confidence refers to
``p_up``        the calibrated chance of a higher close ``horizon`` candles later
``votes``       dict indicator → -1/0/+1
``trend``       dict: direction (up/down/sideways), regime, volatility, adx, atr_pct
``levels``      list of dicts: price, kind (support/resistance), strength (touches)
``pivots``      dict p, r1–r3, s1–s3 (classic, previous higher-timeframe candle)
``fibonacci``   dict ratio ("0.618") → price, retracement of the last swing
``patterns``    list of dicts: name, direction, candles_ago
``confluence``  dict timeframe, signal, trend, agrees — or None
==============  ==========================================================================

Filters: ``num`` (a price with the decimals its size needs), ``pct`` (0.62 → "62%").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.models import iso

if TYPE_CHECKING:  # the indicator stack (TA-Lib, pandas) stays out of the api's cold start
    from shared.indicators.technical import Technicals

VARIABLES = ("symbol", "timeframe", "language", "price", "as_of", "live_price", "live_at",
             "indicators", "signal", "horizon", "p_up",
             "confidence", "votes", "trend", "levels", "pivots", "fibonacci", "patterns",
             "confluence")


def _outlook(t: Any) -> dict[str, Any]:
    """``horizon`` and ``p_up`` from Technicals (its outlook) or from a stored AnalysisResult
    (its fields of the same names), so a preview renders over a past analysis too."""
    outlook = getattr(t, "outlook", None)
    if outlook is not None:
        return {"horizon": outlook.horizon, "p_up": outlook.p_up if outlook.calibrated else None}
    return {"horizon": getattr(t, "horizon", None), "p_up": getattr(t, "p_up", None)}


def context_of(t: Technicals, symbol: str, timeframe: str, language: str) -> dict[str, Any]:
    return {
        "symbol": symbol, "timeframe": timeframe, "language": language, "price": t.price,
        "as_of": iso(t.as_of), "live_price": t.live_price,
        "live_at": iso(t.live_at) if t.live_at else None,
        "indicators": t.indicators.model_dump(),
        "signal": t.signal.value, "confidence": t.confidence,
        **_outlook(t), "votes": dict(t.votes),
        "trend": t.trend.model_dump(), "levels": [lv.model_dump() for lv in t.levels],
        "pivots": dict(t.pivots), "fibonacci": dict(t.fibonacci),
        "patterns": [p.model_dump() for p in t.patterns],
        "confluence": t.confluence.model_dump(mode="json") if t.confluence else None,
    }


def sample_context(language: str = "en") -> dict[str, Any]:
    """A complete context with plausible values: templates are test-rendered with it."""
    ind = dict.fromkeys(("rsi_14", "macd", "macd_signal", "macd_hist", "ema_20", "ema_50",
                         "ema_200", "sma_20", "sma_50", "sma_200", "bb_upper", "bb_middle",
                         "bb_lower", "atr_14", "stoch_k", "stoch_d", "adx_14", "plus_di_14",
                         "minus_di_14", "obv", "mfi_14", "cci_20", "vwap", "supertrend",
                         "ichimoku_tenkan", "ichimoku_kijun", "ichimoku_span_a",
                         "ichimoku_span_b"), 50.0)
    ind["supertrend_direction"] = 1
    return {
        "symbol": "BTC/USDT", "timeframe": "1d", "language": language, "price": 100.0,
        "as_of": "2025-01-01T00:00:00Z", "live_price": 101.0,
        "live_at": "2025-01-01T06:00:00Z", "indicators": ind, "signal": "buy",
        "confidence": 0.56, "horizon": 10, "p_up": 0.56, "votes": {"rsi": 0, "macd": 1},
        "trend": {"direction": "up", "regime": "trending", "volatility": "normal",
                  "adx": 30.0, "atr_pct": 2.0},
        "levels": [{"price": 90.0, "kind": "support", "strength": 3},
                   {"price": 110.0, "kind": "resistance", "strength": 2}],
        "pivots": {"p": 100.0, "r1": 105.0, "s1": 95.0}, "fibonacci": {"0.618": 96.0},
        "patterns": [{"name": "hammer", "direction": "bullish", "candles_ago": 0}],
        "confluence": {"timeframe": "1w", "signal": "buy", "trend": "up", "agrees": True},
    }


def _state(language: str, price: float, signal: str, trend: str, scale: float | None,
           confluence: bool, levels: bool) -> dict[str, Any]:
    ctx = sample_context(language)
    ctx.update(price=price, signal=signal, confidence=0.35 if signal == "neutral" else 0.8)
    ctx["indicators"] = {k: (None if scale is None else v * scale) if isinstance(v, float)
                         else v for k, v in ctx["indicators"].items()}
    ctx["trend"] = {**ctx["trend"], "direction": trend,
                    "regime": "ranging" if trend == "sideways" else "trending"}
    ctx["levels"] = [{**lv, "price": lv["price"] / 100 * price} for lv in ctx["levels"]] \
        if levels else []
    ctx["patterns"] = ctx["patterns"] if levels else []
    ctx["pivots"] = {k: v / 100 * price for k, v in ctx["pivots"].items()}
    ctx["confluence"] = {**ctx["confluence"], "signal": signal, "agrees": False} \
        if confluence else None
    return ctx


def market_states(language: str = "en") -> list[dict[str, Any]]:
    """Contexts across the markets a template will meet (a large and a tiny price, every
    trend, missing indicators, no levels): a new template must render within its limits in
    each, so that a branch taken only when ``price > 1000`` cannot hide from the check."""
    return [
        sample_context(language),
        _state(language, 68_000.0, "strong_sell", "down", 680.0, True, True),
        _state(language, 0.000123, "neutral", "sideways", None, False, False),
        _state(language, 2_500_000.0, "strong_buy", "up", 25_000.0, True, True),
        _state(language, 1.0, "sell", "down", -0.5, False, True),
    ]
