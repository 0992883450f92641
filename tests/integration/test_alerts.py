"""The market scan on the bundled replay candles: watchlist alerts once per candle, the
deadline sweep, and the whole path through market_fetcher and notifier as Pub/Sub delivers it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from local.functions import load_function
from local.scan import periodic_scan, scan_request
from shared import delivery
from shared.bootstrap import Container
from shared.events import AlertTriggered, AnalysisFailed, Event
from shared.market.replay import ReplaySource
from shared.models import Candles, User, utcnow
from shared.services import watchlist
from shared.services.fetch_market import scan_market
from shared.services.request_analysis import request_analysis
from tests.conftest import ROOT
from tests.fakes import RecordingBus

USER = User(id="7", telegram_id=7007, created_at=utcnow())


class CountingReplay(ReplaySource):
    """The replay source, counting the fetches per pair."""

    def __init__(self) -> None:
        super().__init__(ROOT / "data" / "ohlcv")
        self.calls: dict[tuple[str, str], int] = {}

    async def fetch_candles(self, symbol: str, timeframe: str, limit: int) -> Candles:
        self.calls[(symbol, timeframe)] = self.calls.get((symbol, timeframe), 0) + 1
        return await super().fetch_candles(symbol, timeframe, limit)


class RecordingMessenger:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    def send_message(self, chat_id: int, text: str, *, parse_mode: str | None = None,
                     reply_markup: dict[str, Any] | None = None) -> None:
        self.sent.append((chat_id, text))

    def send_photo(self, chat_id: int, photo: bytes | str, *, caption: str = "",
                   parse_mode: str | None = None,
                   reply_markup: dict[str, Any] | None = None) -> None:
        self.sent.append((chat_id, caption))

    def call(self, method: str, params: dict[str, Any]) -> Any:
        return True


Wired = tuple[Container, RecordingBus, CountingReplay]


@pytest.fixture
def wired(ports: Container) -> Iterator[Wired]:
    bus, source = RecordingBus(), CountingReplay()
    ports.override(bus=bus, sources=[source])
    ports.store.set("users", USER.id, USER.model_dump(mode="json"))
    yield ports, bus, source


def watch(ports: Container, symbol: str, *rules: dict[str, Any], timeframe: str = "4h",
          enabled: bool = True) -> watchlist.WatchItem:
    wanted = watchlist.WatchInput.model_validate(
        {"symbol": symbol, "timeframe": timeframe, "rules": list(rules), "enabled": enabled})
    return watchlist.add_item(ports.store, USER, wanted)


def scan(ports: Container, bus: RecordingBus, scan_id: str = "s1",
         symbols: list[str] | None = None, **options: Any) -> dict[str, Any]:
    scan_market(ports.store, bus, ports.sources, scan_request(scan_id, symbols), 500,
                use_cache=False, **options)
    record = ports.store.get("scans", scan_id)
    assert record is not None
    return record


def test_a_rule_that_holds_alerts_once_per_candle(wired: Wired) -> None:
    ports, bus, source = wired
    item = watch(ports, "BTC/USDT", {"kind": "price_above", "price": 50_000},
                 {"kind": "price_below", "price": 50_000}, {"kind": "rsi_above", "value": 99})
    record = scan(ports, bus)
    (alert,) = bus.take()
    assert isinstance(alert, AlertTriggered) and alert.user_id == USER.id
    assert alert.symbol == "BTC/USDT" and alert.timeframe == "4h" and alert.correlation_id == "s1"
    assert "price is above 50,000: closed at 109,888.01" in alert.message
    assert "2025-08-26 08:00 UTC" in alert.message
    assert record["alerts_fired"] == 1 and record["watch_items"] == 1
    assert record["pairs"]["BTC/USDT 4h"].startswith("served by replay")
    stored = ports.store.get("alerts", alert.alert_id)
    assert stored is not None and stored["item_id"] == item.id and stored["user_id"] == USER.id
    assert stored["rule"] == {"kind": "price_above", "price": 50_000.0}
    assert stored["value"] == 109_888.01 and stored["candle_time"] == "2025-08-26T08:00:00Z"
    assert stored["body"] == alert.message and stored["kind"] == "alert.triggered"
    again = scan(ports, bus)  # the same scan delivered again
    later = scan(ports, bus, "s2")  # the next scan, still on the same candle
    assert bus.take() == []
    assert again["alerts_fired"] == later["alerts_fired"] == 0
    assert later["alerts_already_fired"] == 1
    assert source.calls == {("BTC/USDT", "4h"): 3}


def test_each_pair_is_fetched_once_and_the_scan_keeps_to_its_symbols(wired: Wired) -> None:
    ports, bus, source = wired
    watch(ports, "BTC/USDT", {"kind": "change_pct", "percent": -90, "window": 1})
    watch(ports, "BTC/USDT", {"kind": "price_below", "price": 1_000_000})
    watch(ports, "ETH/USDT", {"kind": "price_above", "price": 1}, timeframe="2h")
    watch(ports, "DOGE/USDT", {"kind": "price_above", "price": 0.01}, enabled=False)
    watch(ports, "ZZZ/USDT", {"kind": "price_above", "price": 1})
    record = scan(ports, bus, symbols=["BTC/USDT", "ZZZ/USDT"])
    (alert,) = bus.take()
    assert isinstance(alert, AlertTriggered)
    assert alert.symbol == "BTC/USDT" and "below 1,000,000" in alert.message
    assert source.calls == {("BTC/USDT", "4h"): 1}  # ZZZ is not served; ETH not asked for
    assert set(record["pairs"]) == {"BTC/USDT 4h", "ZZZ/USDT 4h"}
    assert "ZZZ/USDT" in record["symbols"]["ZZZ/USDT"]  # the reason it was not served
    everything = scan(ports, bus, "s2")
    assert {getattr(a, "symbol", None) for a in bus.take()} == {"ETH/USDT"}  # DOGE: disabled
    assert "DOGE/USDT 4h" not in everything["pairs"] and everything["watch_items"] == 4


def test_a_scan_fails_overdue_analyses(wired: Wired) -> None:
    ports, bus, _ = wired
    overdue, _ = request_analysis(ports.store, bus, user_id=USER.id, symbol="BTC/USDT",
                                  timeframe="1d", deadline_seconds=60)
    bus.take()
    record = scan(ports, bus, clock=lambda: utcnow() + timedelta(minutes=5))
    doc = ports.store.get("analyses", overdue.id)
    assert doc is not None and doc["status"] == "failed" and doc["error"].startswith("timeout")
    (failed,) = bus.take()
    assert isinstance(failed, AnalysisFailed) and failed.analysis_id == overdue.id
    assert record["expired_analyses"] == [overdue.id]


def test_the_local_schedule_names_one_scan_per_period() -> None:
    now = utcnow()
    first = periodic_scan(now, 300)
    assert first.scan_id == first.correlation_id and first.symbols == []
    assert first.event_id == periodic_scan(now, 300).event_id
    assert periodic_scan(now + timedelta(seconds=300), 300).scan_id != first.scan_id


@pytest.fixture(scope="module")
def apps() -> dict[str, Flask]:
    return {name: load_function(name) for name in ("market_fetcher", "notifier")}


def post(app: Flask, event: Event) -> int:
    data, attributes = delivery.encode(event)
    headers, body = delivery.to_cloudevent("test-project", event.topic, uuid.uuid4().hex,
                                           data, attributes)
    return app.test_client().post("/", headers=headers, data=body).status_code


def test_scan_to_notification_through_the_functions(wired: Wired,
                                                     apps: dict[str, Flask]) -> None:
    ports, bus, _ = wired
    messenger = RecordingMessenger()
    ports.override(messenger=messenger)
    watch(ports, "BTC/USDT", {"kind": "price_above", "price": 50_000})
    scheduled = scan_request("scheduled-scan", ["BTC/USDT"])
    assert post(apps["market_fetcher"], scheduled) == 200
    assert post(apps["market_fetcher"], scheduled) == 200  # delivered twice
    (alert,) = bus.take()
    assert isinstance(alert, AlertTriggered)
    assert post(apps["notifier"], alert) == 200
    assert post(apps["notifier"], alert) == 200
    (note,) = ports.store.query("notifications", [("user_id", "==", USER.id)])
    assert note["kind"] == "alert.triggered" and note["alert_id"] == alert.alert_id
    assert note["title"] == "BTC/USDT 4h: alert" and "above 50,000" in note["body"]
    ((chat, text),) = messenger.sent
    assert chat == USER.telegram_id and "BTC/USDT · 4h" in text and "above 50,000" in text
