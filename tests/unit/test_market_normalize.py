"""Normalisation of raw candles, exchange profiles as data, the cache and the chain order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared.adapters.sqlite_store import SqliteDocumentStore
from shared.market import cache
from shared.market.chain import Attempt, Fetched
from shared.market.exchanges import PROFILES
from shared.market.faults import BadResponse, EmptyResponse, StaleData
from shared.market.normalize import build_candles
from shared.market.sources import arrange
from shared.models import Candles

HOUR = 3_600_000
NOW = 1_700_000_000_000 // HOUR * HOUR + HOUR // 2  # half-way through an hour


def row(ts: int, close: float = 10.0) -> list[float]:
    return [ts, 10.0, max(10.0, close) + 1, min(10.0, close) - 1, close, 5.0]


def test_sorted_deduplicated_and_current_candle_marked() -> None:
    start = NOW - HOUR // 2
    rows = [row(start), row(start - HOUR), row(start - 2 * HOUR), row(start, close=11.0)]
    candles = build_candles("x", rows, "1h", NOW)
    assert candles.timestamps == [start - 2 * HOUR, start - HOUR, start]
    assert candles.close[-1] == 11.0  # the later row for a time wins
    assert candles.unfinished_last and candles.gaps == []


def test_gaps_are_reported() -> None:
    start = NOW - HOUR // 2
    rows = [row(start - t * HOUR) for t in (0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12)]
    candles = build_candles("x", rows, "1h", NOW)
    assert candles.gaps == [[start - 3 * HOUR, start - HOUR]]


def test_impossible_candles_are_dropped_or_refused() -> None:
    start = NOW - HOUR // 2
    good = [row(start - t * HOUR) for t in range(20)]
    bad = [start - 30 * HOUR, 10.0, 9.0, 8.0, 10.0, 1.0]  # high below open
    assert len(build_candles("x", [*good, bad], "1h", NOW)) == 20
    negative = [[start - t * HOUR, -1.0, 1.0, -2.0, 0.5, 1.0] for t in range(30, 40)]
    with pytest.raises(BadResponse):
        build_candles("x", [*good, *negative], "1h", NOW)
    with pytest.raises(BadResponse):
        build_candles("x", [["a", "b", "c", "d", "e", "f"]], "1h", NOW)
    with pytest.raises(EmptyResponse):
        build_candles("x", [], "1h", NOW)


def test_stale_only_for_live_sources() -> None:
    old = NOW - 3 * HOUR
    rows = [row(old - t * HOUR) for t in range(5)]
    with pytest.raises(StaleData, match="periods old"):
        build_candles("x", rows, "1h", NOW)
    assert len(build_candles("replay", rows, "1h", NOW, live=False)) == 5


def test_exchange_pairs_are_spelled_from_data() -> None:
    assert PROFILES["binance"].market_id("BTC/USDT") == "BTCUSDT"
    assert PROFILES["coinbase"].market_id("ETH/USD") == "ETH-USD"
    assert PROFILES["kraken"].market_id("BTC/USDT") == "XBTUSDT"
    assert PROFILES["kraken"].market_id("BTC/USD") == "XXBTZUSD"
    assert PROFILES["kraken"].serves("4h") and not PROFILES["kraken"].serves("2h")
    assert not PROFILES["binance"].lists("BTC/XYZ")


class Named:
    def __init__(self, name: str) -> None:
        self.name = name


def test_admin_order_and_disabled_sources() -> None:
    chain = [Named(n) for n in ("coingecko", "binance", "coinbase", "kraken")]
    doc = {"sources": [{"name": "kraken", "enabled": True}, {"name": "binance"},
                       {"name": "coingecko", "enabled": False}, {"name": "nope"}]}
    arranged = arrange(chain, doc)  # type: ignore[arg-type]
    assert [s.name for s in arranged] == ["kraken", "binance", "coinbase"]
    assert arrange(chain, None) == chain  # type: ignore[arg-type]


def test_cache_is_valid_until_the_current_candle_closes(tmp_path: Path) -> None:
    store = SqliteDocumentStore(tmp_path / "s.sqlite3")
    candles = Candles(timestamps=[1, 2], open=[1, 1], high=[2, 2], low=[1, 1], close=[1, 2],
                      volume=[1, 1])
    now = datetime(2025, 1, 1, 10, 20, tzinfo=UTC)
    fetched = Fetched(candles=candles, source="binance", tried=[Attempt("binance", "served")])
    cache.save(store, "BTC/USDT", "1h", 500, fetched, now)
    hit = cache.load(store, "BTC/USDT", "1h", 500, now + timedelta(minutes=39))
    assert hit is not None and hit.source == "binance" and hit.tried[0].source == "cache"
    assert cache.load(store, "BTC/USDT", "1h", 500, now + timedelta(minutes=40)) is None
    assert cache.load(store, "BTC/USDT", "1h", 1000, now) is None  # asks for more than kept
    assert cache.load(store, "BTC/USDT", "4h", 500, now) is None
    store.close()
