"""Entities shared by every function: symbols, timeframes, candles, analyses, users."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema

from shared.basemodel import Model
from shared.errors import InvalidInput
from shared.trackrecord import TrackRecordSummary

_SYMBOL = re.compile(r"^([A-Z0-9]{2,12})[/\-_]?([A-Z0-9]{2,12})$")
_QUOTES = ("USDT", "USDC", "FDUSD", "BUSD", "USD", "EUR", "BTC", "ETH", "BNB")

TIMEFRAMES: dict[str, timedelta] = {
    "1m": timedelta(minutes=1),
    "5m": timedelta(minutes=5),
    "15m": timedelta(minutes=15),
    "30m": timedelta(minutes=30),
    "1h": timedelta(hours=1),
    "2h": timedelta(hours=2),
    "4h": timedelta(hours=4),
    "6h": timedelta(hours=6),
    "12h": timedelta(hours=12),
    "1d": timedelta(days=1),
    "1w": timedelta(weeks=1),
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """A UTC timestamp as stored in documents (the same form pydantic writes)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def normalize_symbol(raw: str) -> str:
    """``btc/usdt``, ``BTC-USDT`` and ``BTCUSDT`` all become ``BTC/USDT``."""
    text = raw.strip().upper()
    match = _SYMBOL.match(text)
    if not match or len(text) > 25:
        raise InvalidInput(
            f"symbol {raw!r} is not a pair like BTC/USDT", details={"field": "symbol"}
        )
    if "/" in text or "-" in text or "_" in text:
        return f"{match.group(1)}/{match.group(2)}"
    for quote in _QUOTES:
        if text.endswith(quote) and len(text) > len(quote) + 1:
            return f"{text[: -len(quote)]}/{quote}"
    raise InvalidInput(
        f"symbol {raw!r} has no separator and no known quote currency; write it as BASE/QUOTE",
        details={"field": "symbol"},
    )


def check_timeframe(raw: str) -> str:
    value = raw.strip()
    if value not in TIMEFRAMES:
        raise InvalidInput(
            f"timeframe {raw!r} is not one of {', '.join(TIMEFRAMES)}",
            details={"field": "timeframe"},
        )
    return value


def _symbol(value: str) -> str:
    try:
        return normalize_symbol(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


def _timeframe(value: str) -> str:
    try:
        return check_timeframe(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


# What the spec promises is accepted (a subset of what normalize_symbol accepts: it also
# takes BTCUSDT, btc-usdt …), so every symbol a client builds from the spec is valid.
SYMBOL_SCHEMA: dict[str, Any] = {"type": "string",
                                 "pattern": "^[A-Za-z0-9]{2,12}/[A-Za-z0-9]{2,12}$",
                                 "examples": ["BTC/USDT"]}
TIMEFRAME_SCHEMA: dict[str, Any] = {"type": "string", "enum": list(TIMEFRAMES)}
Symbol = Annotated[str, AfterValidator(_symbol), WithJsonSchema(SYMBOL_SCHEMA)]
Timeframe = Annotated[str, AfterValidator(_timeframe), WithJsonSchema(TIMEFRAME_SCHEMA)]


class Role(StrEnum):
    user = "user"
    premium = "premium"
    vip = "vip"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class Language(StrEnum):
    en = "en"
    ru = "ru"


class Status(StrEnum):
    queued = "queued"
    fetching = "fetching"
    analyzing = "analyzing"
    completed = "completed"
    failed = "failed"

    @property
    def terminal(self) -> bool:
        return self in (Status.completed, Status.failed)


PROGRESS = {
    Status.queued: 0,
    Status.fetching: 20,
    Status.analyzing: 60,
    Status.completed: 100,
    Status.failed: 100,
}


class Signal(StrEnum):
    strong_sell = "strong_sell"
    sell = "sell"
    neutral = "neutral"
    buy = "buy"
    strong_buy = "strong_buy"


class Candles(Model):
    """Columns of OHLCV candles, oldest first; ``timestamps`` in epoch milliseconds."""

    model_config = ConfigDict(frozen=True)

    timestamps: list[int]
    open: list[float]
    high: list[float]
    low: list[float]
    close: list[float]
    volume: list[float]
    # market data: the last candle's period is still running (its close will move)
    unfinished_last: bool = False
    # market data: missing periods, each [first missing open time, next present open time]
    gaps: list[list[int]] = []
    # market data: when the source was read (epoch ms); a forming last candle's close is the
    # price at that moment
    read_at_ms: int | None = None

    def __len__(self) -> int:
        return len(self.timestamps)

    def problem(self) -> str | None:
        """Why these candles cannot be analysed (none, or columns of different lengths)."""
        lengths = {name: len(getattr(self, name))
                   for name in ("timestamps", "open", "high", "low", "close", "volume")}
        if len(set(lengths.values())) > 1:
            shown = ", ".join(f"{k} {v}" for k, v in lengths.items())
            return f"the candles' columns have different lengths ({shown})"
        if not self.timestamps:
            return "there are no candles"
        return None

    def tail(self, count: int) -> Candles:
        return Candles(
            timestamps=self.timestamps[-count:],
            open=self.open[-count:],
            high=self.high[-count:],
            low=self.low[-count:],
            close=self.close[-count:],
            volume=self.volume[-count:],
            unfinished_last=self.unfinished_last, read_at_ms=self.read_at_ms,
            gaps=[g for g in self.gaps if g[0] > self.timestamps[-count:][0]] if count else [],
        )

    @property
    def last_time(self) -> datetime:
        return datetime.fromtimestamp(self.timestamps[-1] / 1000, UTC)


class IndicatorSnapshot(Model):
    rsi_14: float | None
    macd: float | None
    macd_signal: float | None
    macd_hist: float | None
    ema_20: float | None
    ema_50: float | None
    ema_200: float | None
    bb_upper: float | None
    bb_middle: float | None
    bb_lower: float | None
    atr_14: float | None
    # analysis engine: the rest of the TA-Lib set and the numpy indicators (None = too little
    # history or not computed)
    sma_20: float | None = None
    sma_50: float | None = None
    sma_200: float | None = None
    stoch_k: float | None = None
    stoch_d: float | None = None
    adx_14: float | None = None
    plus_di_14: float | None = None
    minus_di_14: float | None = None
    obv: float | None = None
    mfi_14: float | None = None
    cci_20: float | None = None
    vwap: float | None = None
    supertrend: float | None = None
    supertrend_direction: int | None = None
    ichimoku_tenkan: float | None = None
    ichimoku_kijun: float | None = None
    ichimoku_span_a: float | None = None
    ichimoku_span_b: float | None = None


class Level(Model):
    """A support or resistance level from clustered swing points (strength = touches)."""

    price: float
    kind: Literal["support", "resistance"]
    strength: int = 1


class Pattern(Model):
    name: str
    direction: Literal["bullish", "bearish"]
    candles_ago: int = 0


class Trend(Model):
    direction: Literal["up", "down", "sideways"]
    regime: Literal["trending", "ranging"]
    volatility: Literal["low", "normal", "high"]
    adx: float | None = None
    atr_pct: float | None = None


class Confluence(Model):
    """The next higher timeframe (resampled from the same closed candles, its forming bucket
    left out) and whether it agrees: ``agrees`` is False only when it points the other way;
    ``verdict`` says "agrees" (same side), "neutral" (one side makes no call: it does not
    contradict) or "disagrees"."""

    timeframe: str
    signal: Signal
    trend: Literal["up", "down", "sideways"]
    agrees: bool
    verdict: Literal["agrees", "neutral", "disagrees"] = "agrees"


class Scenario(Model):
    description: str
    target: float | None = None
    invalidation: float


class LLMUsage(Model):
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    attempts: list[str] = []


class AnalysisResult(Model):
    symbol: str
    timeframe: str
    # analysis engine: the close time of the last closed candle analysed (= closed_at);
    # ``price`` is that candle's close
    as_of: datetime
    price: float
    signal: Signal
    confidence: float = Field(ge=0, le=1)
    votes: dict[str, int] = {}
    summary: str
    indicators: IndicatorSnapshot
    source: str
    provider: str = "rule_based"
    language: Language = Language.en
    # analysis engine
    model: str = "rules-v1"
    trend: Trend | None = None
    levels: list[Level] = []
    pivots: dict[str, float] = {}
    fibonacci: dict[str, float] = {}
    patterns: list[Pattern] = []
    confluence: Confluence | None = None
    key_points: list[str] = []
    risks: list[str] = []
    bull_scenario: Scenario | None = None
    bear_scenario: Scenario | None = None
    notes: list[str] = []
    prompt_name: str | None = None
    prompt_version: int | None = None
    usage: LLMUsage = LLMUsage()
    chart_url: str | None = None
    # web chart: GET this for the candles and overlays (shared/charts/series.py)
    candles_url: str | None = None
    # analysis engine: the last closed candle's close time; the forming candle, shown apart,
    # as the live price and the moment it was read (None when the last candle had closed)
    closed_at: datetime | None = None
    live_price: float | None = None
    live_at: datetime | None = None
    # analysis engine: ``confidence`` is the calibrated chance that the call is right
    # ``horizon`` candles later (0.5 for a neutral signal: it makes no call); ``p_up`` the
    # chance of a higher close then; ``score`` the mean indicator vote behind the signal;
    # ``calibrated`` False where the timeframe has no fitted map (confidence 0.5)
    horizon: int | None = None
    p_up: float | None = None
    score: float | None = None
    calibrated: bool = False
    # analysis engine: how this kind of call fared on the pair's history (the published
    # track record); ``shared.trackrecord.line`` writes it as one sentence (EN/RU)
    track_record: TrackRecordSummary | None = None


class StatusChange(Model):
    status: Status
    at: datetime


class Analysis(Model):
    """The document ``analyses/{id}``; the web page and the bot read it."""

    id: str
    user_id: str
    symbol: str
    timeframe: str
    language: Language = Language.en
    status: Status = Status.queued
    progress: int = 0
    created_at: datetime
    updated_at: datetime
    deadline_at: datetime
    history: list[StatusChange] = []
    result: AnalysisResult | None = None
    error: str | None = None
    source: str | None = None
    chat_id: int | None = None
    sources_tried: list[str] = []
    handed_on: bool = False
    announced: bool = False
    # admin: a retry is a new analysis naming the one it retries, with the attempt number
    retry_of: str | None = None
    attempt: int | None = None

    def public(self) -> dict[str, Any]:
        """What the API shows of an analysis."""
        return self.model_dump(
            mode="json",
            include={
                "id", "symbol", "timeframe", "language", "status", "progress",
                "created_at", "updated_at", "history", "result", "error", "source",
                "sources_tried",
            },
        )


class User(Model):
    id: str
    telegram_id: int | None = None
    role: Role = Role.user
    language: Language = Language.en
    created_at: datetime
    banned: bool = False
    # api: profile from Telegram sign-in, moderation and per-user quota override
    username: str | None = None
    first_name: str | None = None
    moderator: bool = False
    banned_at: datetime | None = None
    banned_reason: str | None = None
    daily_quota: int | None = None
    # telegram: False once the user blocked the bot (403); set again when they write to it
    active: bool = True
    # api: the last signed-in request, refreshed at most every few minutes
    last_seen_at: datetime | None = None
