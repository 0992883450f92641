"""Every Pub/Sub message schema, in one place.

A message carries ``event_id`` (deduplication), ``correlation_id`` (the analysis or scan
id), ``occurred_at`` and ``schema_version``. Handlers must tolerate at-least-once and
unordered delivery, so event ids are deterministic where the same fact may be published
twice (``<analysis id>:<stage>``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field

from shared import topics
from shared.basemodel import Model
from shared.models import Candles, Language, Signal, Symbol, Timeframe, utcnow


class Event(Model):
    model_config = ConfigDict(extra="ignore")
    topic: ClassVar[str]

    event_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    correlation_id: str
    occurred_at: datetime = Field(default_factory=utcnow)
    schema_version: Literal[1] = 1


class AnalysisRequested(Event):
    topic: ClassVar[str] = topics.ANALYSIS_REQUESTED

    analysis_id: str
    user_id: str
    symbol: Symbol
    timeframe: Timeframe
    language: Language = Language.en


class MarketFetched(Event):
    topic: ClassVar[str] = topics.MARKET_FETCHED

    analysis_id: str
    symbol: Symbol
    timeframe: Timeframe
    source: str
    tried: list[str] = []
    candles: Candles


class AnalysisCompleted(Event):
    topic: ClassVar[str] = topics.ANALYSIS_COMPLETED

    analysis_id: str
    user_id: str
    symbol: Symbol
    timeframe: Timeframe
    signal: Signal
    confidence: float


class AnalysisFailed(Event):
    topic: ClassVar[str] = topics.ANALYSIS_FAILED

    analysis_id: str
    user_id: str
    symbol: str
    timeframe: str
    reason: str


class MarketScanRequested(Event):
    topic: ClassVar[str] = topics.MARKET_SCAN

    scan_id: str
    symbols: list[Symbol]
    timeframe: Timeframe


class AlertTriggered(Event):
    topic: ClassVar[str] = topics.ALERT_TRIGGERED

    alert_id: str
    user_id: str
    symbol: Symbol
    timeframe: Timeframe
    message: str  # in English, for the web notification
    # why (``alert_reasons.Reason`` dumps), on which closed candle, which rule, the item's
    # note, the engine's view now, and the chart's blob path; absent on older alerts
    reasons: list[dict[str, Any]] = []
    candle_time: datetime | None = None
    rule_key: str | None = None
    note: str | None = None
    signal: Signal | None = None
    price: float | None = None
    support: float | None = None
    resistance: float | None = None
    chart: str | None = None


class AdminMessage(Event):
    """An admin's ``system_alert`` to everyone (``user_id`` None) or ``user_message`` to one
    user; ``title`` and ``body`` by language (``en``, ``ru``: at least one)."""

    topic: ClassVar[str] = topics.ADMIN_MESSAGE

    message_id: str
    kind: Literal["system_alert", "user_message"]
    user_id: str | None = None
    sender_id: str
    title: dict[str, str]
    body: dict[str, str]


class DigestReady(Event):
    """One user's daily digest, due now at their chosen hour: the screener's top movers and
    their watchlist's state (rows of ``screener.Row`` fields; ``row`` None when the pair could
    not be judged). ``local_date`` is the user's date the digest is for."""

    topic: ClassVar[str] = topics.DIGEST_READY

    user_id: str
    local_date: str
    timeframe: Timeframe
    movers: list[dict[str, Any]] = []
    watch: list[dict[str, Any]] = []


EVENT_TYPES: dict[str, type[Event]] = {
    cls.topic: cls
    for cls in (
        AnalysisRequested,
        MarketFetched,
        AnalysisCompleted,
        AnalysisFailed,
        MarketScanRequested,
        AlertTriggered,
        AdminMessage,
        DigestReady,
    )
}
