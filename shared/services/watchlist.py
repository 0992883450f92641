"""Watchlists: the pairs a user follows, each with alert rules the market scan evaluates.

Items live in the top-level collection ``watch_items`` with ``user_id`` (so the scan can
query every enabled item); a user only ever reaches their own — anything else is "not
found". The number of items per user is limited by role (``settings/limits``).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import Conflict, NotFound
from shared.models import Symbol, Timeframe, User, iso, utcnow
from shared.ports import DocumentStore
from shared.services.quotas import load_limits

COLLECTION = "watch_items"
MAX_RULES = 10


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


Rule = Annotated[PriceAbove | PriceBelow | ChangePercent | RsiAbove | RsiBelow | MacdCross,
                 Field(discriminator="kind")]


class WatchInput(BaseModel):
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


def add_item(store: DocumentStore, user: User, wanted: WatchInput) -> WatchItem:
    allowed = load_limits(store).of(user.role).watch_items
    if len(store.query(COLLECTION, [("user_id", "==", user.id)], limit=allowed + 1)) >= allowed:
        raise Conflict(f"the watchlist is full: a {user.role.value} may keep {allowed} items",
                          details={"limit": allowed})
    now = iso(utcnow())
    item = WatchItem(**wanted.model_dump(), id=uuid.uuid4().hex, user_id=user.id,
                     created_at=now, updated_at=now)
    store.create(COLLECTION, item.id, item.model_dump(mode="json"))
    return item


def replace_item(store: DocumentStore, user: User, item_id: str,
                 wanted: WatchInput) -> WatchItem:
    current = get_item(store, user, item_id)
    item = WatchItem(**wanted.model_dump(), id=current.id, user_id=user.id,
                     created_at=current.created_at, updated_at=iso(utcnow()))
    store.set(COLLECTION, item.id, item.model_dump(mode="json"))
    return item


def delete_item(store: DocumentStore, user: User, item_id: str) -> None:
    store.delete(COLLECTION, get_item(store, user, item_id).id)
