"""Numbers and times as a reader of each language writes them.

English: ``109,624.05`` and ``70%``; Russian: ``109 624,05`` and ``70 %`` (no-break spaces:
a thousands group or a percent sign never wraps onto the next line).
"""

from __future__ import annotations

from datetime import datetime

NBSP = "\u00a0"


def price(value: float, lang: str = "en") -> str:
    """A price with as many decimals as its size needs (8 significant digits below 1)."""
    size = abs(value)
    if size >= 1000:
        text = f"{value:,.2f}"
    elif size >= 10:
        text = f"{value:.2f}"
    elif size >= 1:
        text = f"{value:.4f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.8g}"
    return _localise(text, lang)


def compact(value: float, lang: str = "en") -> str:
    """Up to 8 significant digits and no trailing zeros: a threshold as the user wrote it
    (``50,000``), a close as the exchange printed it (``109,888.01``)."""
    text = f"{value:,.8g}"
    return price(value, lang) if "e" in text else _localise(text, lang)


def percent(fraction: float, lang: str = "en", *, signed: bool = False) -> str:
    """``0.7`` → ``70%`` / ``70 %``; with ``signed``, ``+1.50%`` style for changes."""
    value = fraction * 100
    text = f"{value:+.2f}" if signed else f"{value:.0f}"
    text = _localise(text, lang)
    return f"{text}{NBSP}%" if lang == "ru" else f"{text}%"


def plain(value: float, lang: str = "en", digits: int = 1) -> str:
    """A measured value such as an RSI: ``28.4`` / ``28,4``."""
    return _localise(f"{value:,.{digits}f}", lang)


def moment(when: datetime, lang: str = "en") -> str:
    """``2025-08-26 00:00 UTC`` / ``26.08.2025 00:00 UTC``."""
    return f"{when:%d.%m.%Y %H:%M} UTC" if lang == "ru" else f"{when:%Y-%m-%d %H:%M} UTC"


def _localise(text: str, lang: str) -> str:
    if lang != "ru":
        return text
    return text.replace(",", NBSP).replace(".", ",")
