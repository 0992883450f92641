"""market_fetcher and the market API against local fake exchanges: the chain, the record of
sources tried, the cache, the health documents and the price endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.api.app import create_app
from shared.bootstrap import Container
from shared.market.sources import build_sources
from shared.services.fetch_market import fetch_for_analysis
from shared.services.request_analysis import request_analysis
from tests.conftest import make_settings
from tests.fakes import RecordingBus
from tests.integration.fake_exchanges import FakeExchanges, running_fake_exchanges


@pytest.fixture(scope="module")
def fakes() -> Iterator[FakeExchanges]:
    with running_fake_exchanges() as running:
        yield running


@pytest.fixture
def live(ports: Container, fakes: FakeExchanges) -> Iterator[tuple[Container, RecordingBus]]:
    fakes.faults.clear()
    fakes.requests.clear()
    settings = make_settings(ports.settings.data_dir, market_urls=fakes.urls(),
                             market_sources=["binance", "coinbase"],
                             # no timeout faults here: a slow machine must not fail a call
                             market_timeout_seconds=10, market_backoff_seconds=0.0)
    bus = RecordingBus()
    ports.override(bus=bus, sources=build_sources(settings))
    yield ports, bus


def analyse(ports: Container, bus: RecordingBus, symbol: str = "BTC/USDT") -> dict:
    analysis, _ = request_analysis(ports.store, bus, user_id="7", symbol=symbol,
                                   timeframe="1h", deadline_seconds=60)
    (event,) = bus.take()
    fetch_for_analysis(ports.store, bus, ports.sources, event, 250)
    doc = ports.store.get("analyses", analysis.id)
    assert doc is not None
    return doc


def test_served_by_the_first_source_then_from_the_cache(live, fakes) -> None:
    ports, bus = live
    doc = analyse(ports, bus)
    assert doc["source"] == "binance" and doc["sources_tried"][0].startswith("binance: served")
    (fetched,) = bus.take()
    assert len(fetched.candles) == 250 and fetched.candles.unfinished_last
    again = analyse(ports, bus)
    assert fakes.requests["binance"] == 1  # the second analysis did not call the exchange
    assert again["source"] == "binance" and again["sources_tried"][0].startswith("cache: served")


def test_a_failing_source_is_recorded_and_the_next_serves(live, fakes) -> None:
    ports, bus = live
    fakes.fault("binance", "500", times=3)
    doc = analyse(ports, bus)
    assert doc["source"] == "coinbase"
    assert doc["sources_tried"][0].startswith("binance: failed") and "500" in \
        doc["sources_tried"][0]
    health = ports.store.get("market_health", "binance")
    assert health is not None and health["success_rate"] == 0 and "500" in health["last_error"]


def test_unknown_pair_fails_the_analysis_with_a_reason(live) -> None:
    ports, bus = live
    doc = analyse(ports, bus, symbol="ZZZ/USDT")
    assert doc["status"] == "failed" and "ZZZ/USDT" in doc["error"]
    assert "binance: failed" in doc["error"] and "coinbase: failed" in doc["error"]


def test_admin_order_is_followed(live) -> None:
    ports, bus = live
    ports.store.set("settings", "market_sources", {"sources": [
        {"name": "binance", "enabled": False}, {"name": "coinbase", "enabled": True}]})
    assert analyse(ports, bus)["source"] == "coinbase"


def token(client) -> dict[str, str]:
    reply = client.post("/api/auth/dev", json={"telegram_id": 41})
    return {"Authorization": f"Bearer {reply.get_json()['token']}"}


def test_health_and_price_endpoints(live, fakes) -> None:
    ports, bus = live
    analyse(ports, bus)
    client = create_app().test_client()
    headers = token(client)
    health = client.get("/api/market/health", headers=headers).get_json()
    rows = {row["source"]: row for row in health["sources"]}
    assert rows["binance"]["state"] == "closed" and rows["binance"]["success_rate"] == 1
    assert rows["binance"]["latency_p50_ms"] is not None and rows["coinbase"]["calls"] == 0
    price = client.get("/api/market/price?symbol=btcusdt", headers=headers)
    assert price.status_code == 200 and price.get_json()["source"] == "binance"
    assert client.get("/api/market/price?symbol=BTC//X", headers=headers).status_code == 400
    assert client.get("/api/market/price", headers=headers).status_code == 400
    assert client.get("/api/market/health").status_code == 401


def test_replay_prices_offline(ports: Container) -> None:
    client = create_app().test_client()
    reply = client.get("/api/market/price?symbol=ETH/USDT", headers=token(client))
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["source"] == "replay" and reply.get_json()["price"] > 0
