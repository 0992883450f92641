"""What the notifier sends for an analysis: the chart caption, the report, the indicator table.

The report is ONE message a trader can act on (decision 0120): signal and confidence (with the
pair's track record when the result carries one), the price and the time of its candle, the
nearest support and resistance, the favoured scenario with target and invalidation, and two or
three key points. The indicator table is behind a button that edits the message; the whole
analysis is in the web app. The caption describes the picture and never repeats the message.
Every paragraph is balanced HTML with escaped values, so the limits are kept by construction
and checked by ``split_html``.
"""

from __future__ import annotations

from typing import Any

from shared import trackrecord
from shared.bot import numbers
from shared.bot.html_parts import CAPTION_LIMIT, MESSAGE_LIMIT, escape, split_html
from shared.bot.texts import SIGNALS, language_of, say
from shared.charts import BARS
from shared.models import Analysis, AnalysisResult

_INDICATORS = (
    ("rsi_14", "RSI 14"),
    ("macd", "MACD"),
    ("macd_signal", "MACD signal"),
    ("macd_hist", "MACD histogram"),
    ("ema_20", "EMA 20"),
    ("ema_50", "EMA 50"),
    ("ema_200", "EMA 200"),
    ("sma_200", "SMA 200"),
    ("bb_upper", "Bollinger upper"),
    ("bb_middle", "Bollinger middle"),
    ("bb_lower", "Bollinger lower"),
    ("atr_14", "ATR 14"),
    ("adx_14", "ADX 14"),
    ("stoch_k", "Stoch %K"),
    ("stoch_d", "Stoch %D"),
    ("mfi_14", "MFI 14"),
    ("cci_20", "CCI 20"),
    ("vwap", "VWAP"),
    ("supertrend", "Supertrend"),
)
KEY_POINTS = 3
_POINT_CHARS = 300


def number(value: float, lang: str = "en") -> str:
    return numbers.price(value, lang)


def _lang(analysis: Analysis) -> str:
    return language_of(analysis.language.value)


def nearest(result: AnalysisResult, kind: str) -> float | None:
    """The nearest listed support below (or resistance above) the price."""
    side = [
        lv.price
        for lv in result.levels
        if lv.kind == kind
        and (lv.price < result.price if kind == "support" else lv.price > result.price)
    ]
    return min(side, key=lambda p: abs(p - result.price)) if side else None


def track_record_line(result: AnalysisResult, lang: str) -> str | None:
    """The pair's track record in one line, when the result carries one (the backtester's
    summary); None until then, and the report simply leaves the line out."""
    summary: Any = getattr(result, "track_record", None)
    if not summary:
        return None
    return escape(trackrecord.line(summary, result.symbol, result.timeframe, lang))


def _price_line(result: AnalysisResult, lang: str) -> str:
    """The close of the last closed candle and when it closed; the forming candle's price,
    when there is one, apart and with its own time (it is never called closed)."""
    closed = numbers.moment(result.closed_at or result.as_of, lang)
    if result.live_price is None:
        return say(lang, "r_price", price=number(result.price, lang), candle=closed)
    live = number(result.live_price, lang)
    if result.live_at is not None:
        live += f" ({numbers.moment(result.live_at, lang)})"
    return say(lang, "r_price_live", price=number(result.price, lang), candle=closed, live=live)


def _levels_line(result: AnalysisResult, lang: str) -> str:
    none = say(lang, "r_no_level")
    support, resistance = nearest(result, "support"), nearest(result, "resistance")
    return say(
        lang,
        "r_levels",
        support=number(support, lang) if support is not None else none,
        resistance=number(resistance, lang) if resistance is not None else none,
    )


def scenario_line(result: AnalysisResult, lang: str) -> str | None:
    """The favoured scenario: the side the signal leans to, with target and invalidation."""
    leaning = result.signal.value
    scenario = (
        result.bull_scenario
        if "buy" in leaning
        else result.bear_scenario
        if "sell" in leaning
        else None
    )
    if scenario is not None:
        key = "r_up" if "buy" in leaning else "r_down"
        target = scenario.target if scenario.target is not None else scenario.invalidation
        return say(
            lang, key, target=number(target, lang), invalidation=number(scenario.invalidation, lang)
        )
    support, resistance = nearest(result, "support"), nearest(result, "resistance")
    if support is None or resistance is None:
        return None
    return say(lang, "r_flat", support=number(support, lang), resistance=number(resistance, lang))


def _bare(text: str) -> str:
    return text.replace("\u00a0", "").replace(" ", "").replace(",", "").replace(".", "")


def _repeats_levels(point: str, result: AnalysisResult, lang: str) -> bool:
    """A key point that only restates the nearest levels the message already shows."""
    levels = [nearest(result, "support"), nearest(result, "resistance")]
    if None in levels:
        return False
    bare = _bare(point)
    return all(_bare(number(v, lang)) in bare for v in levels if v is not None)


def _points(result: AnalysisResult, lang: str = "en") -> list[str]:
    points = [p.strip() for p in result.key_points
              if p.strip() and not _repeats_levels(p, result, lang)][:KEY_POINTS]
    if not points and result.summary.strip():
        points = [result.summary.strip().split("\n\n")[0]]
    return [
        escape(p if len(p) <= _POINT_CHARS else p[: _POINT_CHARS - 1].rstrip() + "…")
        for p in points
    ]


def report(analysis: Analysis, result: AnalysisResult) -> str:
    """The one message under the chart (always within Telegram's 4,096 characters)."""
    lang = _lang(analysis)
    head = say(
        lang,
        "r_head",
        symbol=analysis.symbol,
        timeframe=analysis.timeframe,
        signal=SIGNALS[lang][result.signal.value],
        confidence=numbers.percent(result.confidence, lang),
    )
    lines = [
        head,
        track_record_line(result, lang),
        _price_line(result, lang),
        _levels_line(result, lang),
        scenario_line(result, lang),
    ]
    paragraphs = ["\n".join(line for line in lines if line)]
    if points := _points(result, lang):
        paragraphs.append("\n".join(f"• {p}" for p in points))
    paragraphs.append(
        "<i>" + say(lang, "r_source", source=result.source, provider=result.provider) + "</i>"
    )
    return split_html("\n\n".join(paragraphs), MESSAGE_LIMIT)[0]


def indicator_table(analysis: Analysis, result: AnalysisResult) -> str:
    """The report with the full indicator table appended (what the button shows)."""
    lang = _lang(analysis)
    rows = [
        f"{label:<17}{number(v, lang)}"
        for key, label in _INDICATORS
        if (v := getattr(result.indicators, key)) is not None
    ]
    table = (
        say(lang, "b_table", candle=numbers.moment(result.closed_at or result.as_of, lang))
        + "\n<pre>"
        + escape("\n".join(rows))
        + "</pre>"
    )
    return split_html(report(analysis, result) + "\n\n" + table, MESSAGE_LIMIT)[0]


def caption(analysis: Analysis, result: AnalysisResult) -> str:
    """The photo caption: what the picture shows, not what the message says."""
    lang = _lang(analysis)
    text = say(
        lang,
        "r_caption",
        symbol=analysis.symbol,
        timeframe=analysis.timeframe,
        bars=BARS,
        candle=numbers.moment(result.as_of, lang),
    )
    return split_html(text, CAPTION_LIMIT)[0]


def failure(analysis: Analysis) -> str:
    return say(
        analysis.language.value,
        "failed",
        symbol=analysis.symbol,
        timeframe=analysis.timeframe,
        reason=analysis.error or "failed",
    )
