"""Watchlists: the pairs a user follows, each with alert rules the market scan evaluates.

Items live in the top-level collection ``watch_items`` with ``user_id`` (so the scan can
query every enabled item); a user only ever reaches their own — anything else is "not
found". The number of items per user is limited by role (``settings/limits``).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from shared.basemodel import Model
from shared.clock import Clock
from shared.errors import Conflict, NotFound
from shared.models import Symbol, Timeframe, User, iso, utcnow
from shared.ports import DocumentStore
from shared.services import slots
from shared.services.quotas import load_limits

COLLECTION = "watch_items"
SLOTS = "watch_slots"  # one per item, create-if-absent: the cap holds under racing adds
MAX_RULES = 10


class _Rule(Model):
    """``cooldown_candles``: at most one alert per that many candles. Unset, a cross rule
    alerts once per crossing and a level rule at most once per 24 candles (decision 0121)."""

    model_config = ConfigDict(extra="forbid")
    cooldown_candles: int | None = Field(default=None, ge=1, le=1000)

    @model_serializer(mode="wrap")
    def _without_unset_cooldown(self, handler: SerializerFunctionWrapHandler) -> Any:
        """A rule without a cooldown is stored and shown as it was written."""
        data = handler(self)
        if isinstance(data, dict) and data.get("cooldown_candles") is None:
            data.pop("cooldown_candles", None)
        return data


class PriceAbove(_Rule):
    kind: Literal["price_above"]
    price: float = Field(gt=0, lt=1e12)


class PriceBelow(_Rule):
    kind: Literal["price_below"]
    price: float = Field(gt=0, lt=1e12)


class ChangePercent(_Rule):
    """The close moved by at least ``percent`` (signed: negative means a fall) over
    ``window`` candles of the item's timeframe."""

    kind: Literal["change_pct"]
    percent: float = Field(ge=-100, le=10_000)
    window: int = Field(default=1, ge=1, le=500)


class RsiAbove(_Rule):
    kind: Literal["rsi_above"]
    value: float = Field(gt=0, lt=100)
    period: int = Field(default=14, ge=2, le=100)


class RsiBelow(_Rule):
    kind: Literal["rsi_below"]
    value: float = Field(gt=0, lt=100)
    period: int = Field(default=14, ge=2, le=100)


class MacdCross(_Rule):
    kind: Literal["macd_cross"]
    direction: Literal["bullish", "bearish", "any"] = "any"


def _fast_below_slow_schema(schema: dict[str, Any]) -> None:
    """The spec's form of "fast < slow" (JSON Schema cannot compare two fields): pairs in
    which it holds whatever the values — one given beside the other's default, or both on
    either side of a split."""
    both = [{"required": ["fast", "slow"], "properties": {
        "fast": {"maximum": split}, "slow": {"minimum": split + 1}}} for split in (10, 50, 200)]
    schema["anyOf"] = [
        {"properties": {"fast": {"maximum": 49}}, "not": {"required": ["slow"]}},
        {"properties": {"slow": {"minimum": 21}}, "not": {"required": ["fast"]}}, *both]


class EmaCross(_Rule):
    """The ``fast`` EMA crosses the ``slow`` one (bullish: upwards)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_fast_below_slow_schema)

    kind: Literal["ema_cross"]
    fast: int = Field(default=20, ge=2, le=200)
    slow: int = Field(default=50, ge=3, le=400)
    direction: Literal["bullish", "bearish", "any"] = "any"

    @model_validator(mode="after")
    def _fast_below_slow(self) -> EmaCross:
        if self.fast >= self.slow:
            raise ValueError("the fast EMA's period must be shorter than the slow one's")
        return self


class TrendIs(_Rule):
    """Up: the close above EMA 50 and EMA 20 above EMA 50; down: both below."""

    kind: Literal["trend"]
    direction: Literal["up", "down"]


Basic = Annotated[PriceAbove | PriceBelow | ChangePercent | RsiAbove | RsiBelow | MacdCross
                  | EmaCross | TrendIs, Field(discriminator="kind")]


class Condition(Model):
    """One part of an AND rule, on its own timeframe (unset: the item's)."""

    model_config = ConfigDict(extra="forbid")
    timeframe: Timeframe | None = Field(default=None, max_length=5)
    rule: Basic


class AllOf(_Rule):
    """Every condition holds at once, e.g. RSI 1h below 30 and the 1d trend up."""

    kind: Literal["all"]
    conditions: list[Condition] = Field(min_length=2, max_length=4)


Rule = Annotated[PriceAbove | PriceBelow | ChangePercent | RsiAbove | RsiBelow | MacdCross
                 | EmaCross | TrendIs | AllOf, Field(discriminator="kind")]


class WatchInput(Model):
    model_config = ConfigDict(extra="forbid")

    symbol: Symbol = Field(max_length=30)
    timeframe: Timeframe = Field(default="4h", max_length=5)
    rules: list[Rule] = Field(default_factory=list, max_length=MAX_RULES)
    enabled: bool = True
    note: str | None = Field(default=None, max_length=200)


class WatchItem(WatchInput):
    id: str
    user_id: str
    created_at: str
    updated_at: str


def list_items(store: DocumentStore, user: User) -> list[WatchItem]:
    docs = store.query(COLLECTION, [("user_id", "==", user.id)], limit=1000)
    items = [WatchItem.model_validate({k: v for k, v in d.items() if k != "_id"}) for d in docs]
    return sorted(items, key=lambda item: item.created_at)


def get_item(store: DocumentStore, user: User, item_id: str) -> WatchItem:
    doc = store.get(COLLECTION, item_id) if item_id.isalnum() and len(item_id) <= 64 else None
    if doc is None or doc.get("user_id") != user.id:
        raise NotFound(f"watch item {item_id} does not exist")
    return WatchItem.model_validate(doc)


def add_item(store: DocumentStore, user: User, wanted: WatchInput, *,
             clock: Clock = utcnow) -> WatchItem:
    """A new item, within the role's cap even under concurrent adds (``services/slots``)."""
    allowed = load_limits(store).of(user.role).watch_items
    full = Conflict(f"the watchlist is full: a {user.role.value} may keep {allowed} items",
                    details={"limit": allowed})
    if len(store.query(COLLECTION, [("user_id", "==", user.id)], limit=allowed + 1)) >= allowed:
        raise full  # items made before slots existed count too
    now = iso(clock())
    item = WatchItem(**wanted.model_dump(), id=uuid.uuid4().hex, user_id=user.id,
                     created_at=now, updated_at=now)
    if not slots.claim(store, SLOTS, user.id, item.id, allowed, COLLECTION, clock=clock):
        raise full
    store.create(COLLECTION, item.id, item.model_dump(mode="json"))
    return item


def replace_item(store: DocumentStore, user: User, item_id: str,
                 wanted: WatchInput, *, clock: Clock = utcnow) -> WatchItem:
    current = get_item(store, user, item_id)
    item = WatchItem(**wanted.model_dump(), id=current.id, user_id=user.id,
                     created_at=current.created_at, updated_at=iso(clock()))
    store.set(COLLECTION, item.id, item.model_dump(mode="json"))
    return item


def delete_item(store: DocumentStore, user: User, item_id: str) -> None:
    store.delete(COLLECTION, get_item(store, user, item_id).id)
    slots.release(store, SLOTS, item_id)
