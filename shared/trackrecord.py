"""The published track record's one-line summary, for the result card and the Telegram report.

``line()`` says how often this signal's kind of call (buys, or sells; all calls for neutral)
was right over the horizon, with its 95 % interval and count, beside holding; and it claims no
more than the intervals allow: "better/worse than holding" only when the interval excludes
holding's rate, otherwise "no measurable difference". No numpy here: the bot imports it.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from shared.basemodel import Model

COLLECTION = "track_records"
Side = Literal["buy", "sell", "calls"]

_LINE = {
    "en": "{who} on {symbol} {timeframe} were right {rate} of the time over {horizon} "
          "(95% CI {low}–{high}, n = {n}); holding: {hold} — {verdict}.",
    "ru": "{who} по {symbol} {timeframe} оказывались верными в {rate} случаев за {horizon} "
          "(95 % ДИ {low}–{high}, n = {n}); удержание: {hold} — {verdict}.",
}
_WHO = {"en": {"buy": "Buy calls", "sell": "Sell calls", "calls": "Buy and sell calls"},
        "ru": {"buy": "Сигналы на покупку", "sell": "Сигналы на продажу",
               "calls": "Сигналы на покупку и продажу"}}
_VERDICT = {"en": {"better": "better than holding", "worse": "worse than holding",
                   "same": "no measurable difference from holding"},
            "ru": {"better": "лучше удержания", "worse": "хуже удержания",
                   "same": "измеримой разницы с удержанием нет"}}


class TrackRecordSummary(Model):
    """How this kind of call fared on the pair's history (``shared.backtest``)."""

    horizon: int  # candles
    side: Side
    hit_rate: float
    ci_low: float
    ci_high: float
    n: int
    baseline_always_long: float
    first_candle: str | None = None  # ISO dates of the span scored
    last_candle: str | None = None

    @property
    def verdict(self) -> str:
        if self.ci_low > self.baseline_always_long:
            return "better"
        if self.ci_high < self.baseline_always_long:
            return "worse"
        return "same"


def doc_id(symbol: str, timeframe: str) -> str:
    return f"{symbol.replace('/', '-')}_{timeframe}"


def summary_of(doc: dict[str, Any] | None, signal: str,
               horizon: int = 10) -> TrackRecordSummary | None:
    """The summary for ``signal`` from a stored track record (None when there is none)."""
    rows = ((doc or {}).get("record") or {}).get("horizons", {}).get(str(horizon))
    if not rows:
        return None
    side: Side = "buy" if "buy" in signal else "sell" if "sell" in signal else "calls"
    calls, hold = rows[side], rows["always_long"]
    if not calls["n"] or calls["hit_rate"] is None:
        return None
    record = doc.get("record", {}) if doc else {}
    return TrackRecordSummary(
        horizon=horizon, side=side, hit_rate=calls["hit_rate"], ci_low=calls["ci_low"],
        ci_high=calls["ci_high"], n=calls["n"], baseline_always_long=hold["hit_rate"],
        first_candle=record.get("first_candle_at"), last_candle=record.get("last_candle_at"))


def _pct(share: float, language: str, rounding: str = "nearest") -> str:
    """A share as a whole percentage; an interval's ends round outward (never narrower)."""
    scaled = share * 100
    whole = math.floor(scaled + 1e-9) if rounding == "down" else \
        math.ceil(scaled - 1e-9) if rounding == "up" else round(scaled)
    return f"{whole}\u00a0%" if language == "ru" else f"{whole}%"


def _candles(count: int, language: str) -> str:
    if language != "ru":
        return f"{count} candle" + ("" if count == 1 else "s")
    tail, tens = count % 10, count % 100
    word = "свеча" if tail == 1 and tens != 11 else \
        "свечи" if 2 <= tail <= 4 and not 12 <= tens <= 14 else "свечей"
    return f"{count} {word}"


def line(summary: TrackRecordSummary, symbol: str, timeframe: str,
         language: str = "en") -> str:
    """"Buy calls on BTC/USDT 1d were right 54% of the time over 10 candles (95% CI 50%–58%,
    n = 800); holding: 55% — no measurable difference from holding." (or in Russian)."""
    lang = language if language in _LINE else "en"
    return _LINE[lang].format(
        who=_WHO[lang][summary.side], symbol=symbol, timeframe=timeframe,
        rate=_pct(summary.hit_rate, lang), horizon=_candles(summary.horizon, lang),
        low=_pct(summary.ci_low, lang, "down"), high=_pct(summary.ci_high, lang, "up"),
        n=summary.n,
        hold=_pct(summary.baseline_always_long, lang), verdict=_VERDICT[lang][summary.verdict])
