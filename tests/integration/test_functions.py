"""Each subscriber function receives production-shaped Pub/Sub CloudEvents, in process.

The events go through ``functions_framework.create_app(...).test_client()`` exactly as a
Pub/Sub trigger delivers them; every handler is delivered each message twice and must have
the effect of one delivery.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from local.functions import load_function
from shared import delivery
from shared.bootstrap import Container
from shared.events import (
    AlertTriggered,
    AnalysisCompleted,
    AnalysisFailed,
    AnalysisRequested,
    Event,
    MarketFetched,
)
from shared.services.request_analysis import request_analysis
from tests.fakes import RecordingBus


@pytest.fixture
def wired(ports: Container) -> Iterator[tuple[Container, RecordingBus]]:
    bus = RecordingBus()
    ports.override(bus=bus)
    yield ports, bus


@pytest.fixture(scope="module")
def apps() -> dict[str, Flask]:
    return {name: load_function(name) for name in ("market_fetcher", "analyzer", "notifier")}


def post(app: Flask, event: Event, message_id: str | None = None) -> int:
    data, attributes = delivery.encode(event)
    headers, body = delivery.to_cloudevent(
        "test-project", event.topic, message_id or uuid.uuid4().hex, data, attributes
    )
    return app.test_client().post("/", headers=headers, data=body).status_code


def snapshot(ports: Container, collection: str) -> list[dict[str, Any]]:
    docs = ports.store.query(collection)
    for doc in docs:  # timestamps differ between runs; the rest must not
        doc.pop("updated_at", None)
    return docs


def queued(ports: Container, bus: RecordingBus, symbol: str = "BTC/USDT",
           timeframe: str = "1d") -> AnalysisRequested:
    request_analysis(ports.store, bus, user_id="7", symbol=symbol, timeframe=timeframe,
                     deadline_seconds=60)
    (event,) = bus.take()
    assert isinstance(event, AnalysisRequested)
    return event


def test_market_fetcher_hands_candles_on_once(wired, apps) -> None:
    ports, bus = wired
    requested = queued(ports, bus)
    assert post(apps["market_fetcher"], requested) == 200
    (fetched,) = bus.take()
    assert isinstance(fetched, MarketFetched)
    assert fetched.source == "replay" and len(fetched.candles) == 500
    before = snapshot(ports, "analyses")
    assert post(apps["market_fetcher"], requested) == 200  # the same message again
    assert bus.take() == []
    assert snapshot(ports, "analyses") == before


def test_analyzer_completes_and_announces_once(wired, apps) -> None:
    ports, bus = wired
    post(apps["market_fetcher"], queued(ports, bus))
    (fetched,) = bus.take()
    assert post(apps["analyzer"], fetched) == 200
    (completed,) = bus.take()
    assert isinstance(completed, AnalysisCompleted)
    doc = ports.store.get("analyses", fetched.analysis_id)
    assert doc is not None and doc["status"] == "completed" and doc["result"]["signal"]
    before = snapshot(ports, "analyses")
    assert post(apps["analyzer"], fetched) == 200
    assert bus.take() == []
    assert snapshot(ports, "analyses") == before


def test_unknown_pair_fails_with_reason_once(wired, apps) -> None:
    ports, bus = wired
    requested = queued(ports, bus, symbol="XRP/USDT")
    assert post(apps["market_fetcher"], requested) == 200
    (failed,) = bus.take()
    assert isinstance(failed, AnalysisFailed)
    assert "XRP/USDT" in failed.reason
    doc = ports.store.get("analyses", requested.analysis_id)
    assert doc is not None and doc["status"] == "failed" and "XRP/USDT" in doc["error"]
    assert doc["sources_tried"] == ["replay: skipped (does not serve XRP/USDT 1d)"]
    assert post(apps["market_fetcher"], requested) == 200
    assert bus.take() == []


@pytest.mark.parametrize("kind", ["completed", "failed", "alert"])
def test_notifier_writes_one_notification(wired, apps, kind: str) -> None:
    ports, _ = wired
    event: Event
    if kind == "completed":
        event = AnalysisCompleted(event_id="a1:completed", correlation_id="a1", analysis_id="a1",
                                  user_id="7", symbol="BTC/USDT", timeframe="1d",
                                  signal="buy", confidence=0.7)
    elif kind == "failed":
        event = AnalysisFailed(event_id="a1:failed", correlation_id="a1", analysis_id="a1",
                               user_id="7", symbol="BTC/USDT", timeframe="1d", reason="timeout")
    else:
        event = AlertTriggered(correlation_id="s1", alert_id="al1", user_id="7",
                               symbol="BTC/USDT", timeframe="1d", message="BTC above 100k")
    assert post(apps["notifier"], event) == 200
    assert post(apps["notifier"], event, message_id="redelivered") == 200
    notes = ports.store.query("notifications", [("user_id", "==", "7")])
    assert len(notes) == 1 and notes[0]["_id"] == event.event_id


def test_malformed_message_is_kept_and_acknowledged(wired, apps) -> None:
    ports, _ = wired
    headers, body = delivery.to_cloudevent("p", "market.fetched", "bad1", b"{not json", {})
    response = apps["analyzer"].test_client().post("/", headers=headers, data=body)
    assert response.status_code == 200  # acknowledged: retrying cannot fix it
    kept = ports.store.get("rejected_messages", "analyzer:bad1")
    assert kept is not None and "malformed" in kept["reason"]


def test_message_for_a_missing_analysis_is_rejected_not_retried(wired, apps) -> None:
    ports, bus = wired
    requested = AnalysisRequested(correlation_id="gone", analysis_id="gone", user_id="7",
                                  symbol="BTC/USDT", timeframe="1d")
    assert post(apps["market_fetcher"], requested, message_id="m-gone") == 200
    assert bus.take() == []
    assert ports.store.get("rejected_messages", "market_fetcher:m-gone") is not None


def test_transient_failure_asks_for_redelivery(wired, apps) -> None:
    ports, bus = wired
    requested = queued(ports, bus)

    class Down:
        name = "down"

        def supports(self, symbol: str, timeframe: str) -> bool:
            return True

        async def fetch_candles(self, symbol: str, timeframe: str, limit: int):
            from shared.errors import TransientError
            raise TransientError("exchange unavailable")

    ports.override(sources=[Down()])
    assert post(apps["market_fetcher"], requested) == 500  # Pub/Sub will redeliver
    doc = ports.store.get("analyses", requested.analysis_id)
    assert doc is not None and doc["status"] == "fetching"
