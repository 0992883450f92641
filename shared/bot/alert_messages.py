"""An alert as the user reads it: what crossed what, on which closed candle, and what the
engine says now (signal, nearest levels), in the user's language."""

from __future__ import annotations

from shared.bot import numbers
from shared.bot.html_parts import CAPTION_LIMIT, escape, split_html
from shared.bot.texts import SIGNALS, language_of, say
from shared.events import AlertTriggered
from shared.models import TIMEFRAMES
from shared.services.alert_reasons import Reason, describe


def _reason(event: AlertTriggered, lang: str) -> str:
    if event.reasons:
        return describe([Reason.load(r) for r in event.reasons], lang)
    return event.message  # an alert raised before reasons were recorded


def _engine(event: AlertTriggered, lang: str) -> str | None:
    if event.signal is None:
        return None
    none = say(lang, "r_no_level")
    return say(lang, "a_engine", signal=SIGNALS[lang][event.signal.value],
               support=numbers.price(event.support, lang) if event.support else none,
               resistance=numbers.price(event.resistance, lang) if event.resistance else none)


def alert_text(event: AlertTriggered, language: str | None, note: str | None = None) -> str:
    """The alert in Telegram HTML, short enough to be a photo's caption."""
    lang = language_of(language)
    lines = [say(lang, "a_head", symbol=event.symbol, timeframe=event.timeframe),
             escape(_reason(event, lang))]
    if event.candle_time is not None:
        closed_at = event.candle_time + TIMEFRAMES[event.timeframe]  # the open time + its span
        lines.append(say(lang, "a_candle", candle=numbers.moment(closed_at, lang),
                         timeframe=event.timeframe))
    if engine := _engine(event, lang):
        lines.append(engine)
    if note:
        lines.append(f"<i>{escape(note)}</i>")
    return split_html("\n".join(lines), CAPTION_LIMIT)[0]
