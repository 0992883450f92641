"""Candles cached in the document store, keyed by (symbol, timeframe) whatever the source.

An entry is valid until the current candle of its timeframe closes: until then a repeated
request for the pair gets the same candles without calling any exchange.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from shared.market.chain import Attempt, Fetched
from shared.market.timeframes import bucket_start, duration_ms
from shared.models import Candles, iso
from shared.ports import DocumentStore

log = logging.getLogger(__name__)
COLLECTION = "market_cache"


def cache_id(symbol: str, timeframe: str) -> str:
    return f"{symbol.replace('/', '-')}_{timeframe}"


def valid_until(timeframe: str, now: datetime) -> datetime:
    now_ms = int(now.timestamp() * 1000)
    closes = bucket_start(now_ms, timeframe) + duration_ms(timeframe)
    return datetime.fromtimestamp(closes / 1000, UTC)


def load(store: DocumentStore, symbol: str, timeframe: str, limit: int,
         now: datetime) -> Fetched | None:
    doc = store.get(COLLECTION, cache_id(symbol, timeframe))
    if not doc or doc.get("limit", 0) < limit:
        return None
    until = datetime.fromisoformat(doc["valid_until"].replace("Z", "+00:00"))
    if until <= now:
        return None
    candles = Candles.model_validate(doc["candles"]).tail(limit)
    reason = f"{doc['source']} data from {doc['fetched_at']}, valid until {doc['valid_until']}"
    return Fetched(candles=candles, source=doc["source"],
                   tried=[Attempt("cache", "served", reason)])


def save(store: DocumentStore, symbol: str, timeframe: str, limit: int, fetched: Fetched,
         now: datetime) -> None:
    store.set(COLLECTION, cache_id(symbol, timeframe), {
        "symbol": symbol, "timeframe": timeframe, "limit": limit, "source": fetched.source,
        "tried": [a.describe() for a in fetched.tried],
        "candles": fetched.candles.model_dump(mode="json"),
        "fetched_at": iso(now), "valid_until": iso(valid_until(timeframe, now)),
    })
