"""Numbers as a report writes them, in its language: 109,624.05 in English, 109 624,05 in
Russian; never "-0"; Russian plural forms."""

from __future__ import annotations

NBSP = "\u00a0"


def _decimals(value: float) -> int:
    size = abs(value)
    return 2 if size >= 1000 else 4 if size >= 1 else 6


def fmt(value: float, language: str = "en") -> str:
    """A price with as many decimals as its size needs (trailing zeros dropped below 1,000);
    a value that rounds to zero is "0", without a sign."""
    places = _decimals(value)
    if round(value, places) == 0:
        return "0"
    text = f"{value:,.{places}f}"
    if abs(value) < 1000:
        text = text.rstrip("0").rstrip(".")
    if language == "ru":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def fixed(value: float, places: int, language: str = "en") -> str:
    """A figure with fixed decimals (RSI 37.7, ATR 2.3 %), without "-0"."""
    if round(value, places) == 0:
        value = 0.0
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if language == "ru" else text


def percent(share: float, language: str = "en") -> str:
    """0.537 → "54%" (English) or "54 %" (Russian)."""
    whole = round(share * 100)
    return f"{whole}{NBSP}%" if language == "ru" else f"{whole}%"


def plural_ru(count: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for ``count``: 1 свеча, 2 свечи, 5 свечей, 21 свеча, 11 свечей."""
    tail, tens = count % 10, count % 100
    if tail == 1 and tens != 11:
        return one
    if 2 <= tail <= 4 and not 12 <= tens <= 14:
        return few
    return many


def candles(count: int, language: str = "en") -> str:
    if language == "ru":
        return f"{count} {plural_ru(count, 'свеча', 'свечи', 'свечей')}"
    return f"{count} candle" + ("" if count == 1 else "s")
