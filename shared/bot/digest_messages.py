"""The daily digest as one Telegram message, in the user's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.bot import numbers
from shared.bot.html_parts import MESSAGE_LIMIT, escape, split_html
from shared.bot.texts import SIGNALS, language_of, say
from shared.events import DigestReady


def _row(row: dict[str, Any], lang: str) -> str:
    signal = SIGNALS[lang].get(str(row["signal"]), str(row["signal"]))
    return (f"{numbers.price(float(row['price']), lang)} · "
            f"{numbers.percent(float(row['change_pct']) / 100, lang, signed=True)} · "
            f"{escape(signal)}, {numbers.percent(float(row['confidence']), lang)}")


def local_day(iso_date: str, lang: str) -> str:
    day = date.fromisoformat(iso_date)
    return f"{day:%d.%m.%Y}" if lang == "ru" else day.isoformat()


def digest_text(event: DigestReady, language: str | None) -> str:
    lang = language_of(language)
    lines = [say(lang, "d_title", date=local_day(event.local_date, lang)), "",
             say(lang, "d_movers", timeframe=event.timeframe)]
    lines += [f"• <b>{escape(m['symbol'])}</b> {_row(m, lang)}" for m in event.movers] \
        or [say(lang, "d_no_movers")]
    lines += ["", say(lang, "d_watch")]
    lines += [f"• <b>{escape(w['symbol'])}</b> {escape(w['timeframe'])}: "
              + (_row(w["row"], lang) if w.get("row") else say(lang, "d_no_data"))
              for w in event.watch] or [say(lang, "d_no_watch")]
    return split_html("\n".join(lines), MESSAGE_LIMIT)[0]
