"""What the notifier sends: the chart caption and the full report, as Telegram HTML.

Every paragraph is built balanced (tags open and close inside it) and every value is
escaped, so ``split_html`` can cut the report at paragraph boundaries.
"""

from __future__ import annotations

from shared.bot.html_parts import CAPTION_LIMIT, escape, split_html
from shared.bot.texts import SIGNALS, language_of, say
from shared.models import Analysis, AnalysisResult

_INDICATORS = (("rsi_14", "RSI 14"), ("macd", "MACD"), ("macd_signal", "MACD signal"),
               ("macd_hist", "MACD histogram"), ("ema_20", "EMA 20"), ("ema_50", "EMA 50"),
               ("ema_200", "EMA 200"), ("bb_upper", "Bollinger upper"),
               ("bb_middle", "Bollinger middle"), ("bb_lower", "Bollinger lower"),
               ("atr_14", "ATR 14"))


def number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.2f}"
    if abs(value) >= 1:
        return f"{value:.4g}" if abs(value) < 10 else f"{value:.2f}"
    return f"{value:.6g}"


def headline(analysis: Analysis, result: AnalysisResult) -> str:
    lang = language_of(analysis.language.value)
    signal = SIGNALS[lang][result.signal.value]
    return (
        f"<b>{escape(analysis.symbol)} · {escape(analysis.timeframe)}</b>\n"
        f"{say(lang, 'signal')}: <b>{escape(signal)}</b> "
        f"({say(lang, 'confidence')} {result.confidence:.0%})\n"
        f"{say(lang, 'price_label')}: {number(result.price)} "
        f"({say(lang, 'as_of')} {result.as_of:%Y-%m-%d %H:%M} UTC)"
    )


def caption(analysis: Analysis, result: AnalysisResult) -> str:
    """The photo caption: the headline, within Telegram's 1,024 characters."""
    return split_html(headline(analysis, result), CAPTION_LIMIT)[0]


def report(analysis: Analysis, result: AnalysisResult) -> str:
    """The whole report; may be longer than one message (see ``split_html``)."""
    lang = language_of(analysis.language.value)
    paragraphs = [headline(analysis, result)]
    paragraphs.extend(escape(p.strip()) for p in result.summary.split("\n\n") if p.strip())
    rows = [f"{label}: {number(v)}" for key, label in _INDICATORS
            if (v := getattr(result.indicators, key)) is not None]
    if rows:
        paragraphs.append(f"<b>{say(lang, 'indicators')}</b>\n<code>"
                          + escape("\n".join(rows)) + "</code>")
    paragraphs.append(f"<i>{say(lang, 'source')}: {escape(result.source)} · "
                      f"{say(lang, 'analyst')}: {escape(result.provider)}</i>")
    return "\n\n".join(paragraphs)


def failure(analysis: Analysis) -> str:
    return say(analysis.language.value, "failed", symbol=analysis.symbol,
               timeframe=analysis.timeframe, reason=analysis.error or "failed")


def alert(language: str, symbol: str, timeframe: str, message: str) -> str:
    return say(language, "alert", symbol=symbol, timeframe=timeframe, message=message)
