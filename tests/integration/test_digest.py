"""The daily digest on a virtual clock: opted in through the bot, delivered once per user and
local day at the chosen hour — even when the scan runs twice in that hour or is delivered
twice — with the screener's top movers and the user's watchlist, in English and Russian."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask

from local.functions import load_function
from local.scan import scan_request
from local.telegram_sink import SinkTransport, TelegramSink
from local.telegram_updates import message_update
from shared import delivery
from shared.adapters.telegram_api import TelegramBotApi
from shared.bootstrap import Container
from shared.bot import send_queue
from shared.bot.html_parts import check_html, units
from shared.bot.send_queue import Limits, SendQueue, VirtualClock
from shared.events import DigestReady, Event
from shared.market.replay import ReplaySource
from shared.services import digest
from shared.services.fetch_market import scan_market
from tests.conftest import ROOT
from tests.fakes import RecordingBus

SECRET = "s3cret"
ANN = {"id": 501, "is_bot": False, "first_name": "Ann", "language_code": "en"}
IVAN = {"id": 502, "is_bot": False, "first_name": "Ivan", "language_code": "ru"}


@dataclass
class World:
    ports: Container
    bus: RecordingBus
    sink: TelegramSink
    notifier: Flask
    updates: int = 0
    scans: int = 0

    def say(self, sender: dict[str, Any], text: str) -> str:
        self.updates += 1
        status, reply = self.sink.send_update(message_update(9000 + self.updates, text,
                                                             sender=sender))
        assert status == 200
        return str(reply.get("text", ""))

    def scan_at(self, when: datetime, *, twice: bool = False) -> list[DigestReady]:
        self.scans += 1
        for _ in range(2 if twice else 1):  # the same scan delivered again
            scan_market(self.ports.store, self.bus, [ReplaySource(ROOT / "data" / "ohlcv")],
                        scan_request(f"scan-{self.scans}"), 500, use_cache=False,
                        clock=lambda: when, screener_size=10)
        events = [e for e in self.bus.take() if isinstance(e, DigestReady)]
        for event in events:
            self.deliver(event)
            self.deliver(event)  # Pub/Sub delivers at least once
        return events

    def deliver(self, event: Event) -> None:
        data, attributes = delivery.encode(event)
        headers, body = delivery.to_cloudevent("test", event.topic, uuid.uuid4().hex, data,
                                               attributes)
        assert self.notifier.test_client().post("/", headers=headers, data=body).status_code \
            == 200

    def digests_to(self, chat_id: int) -> list[str]:
        return [c["params"]["text"] for c in self.sink.sent("sendMessage")
                if c["params"]["chat_id"] == chat_id and ("ChartGenius digest" in c["params"][
                    "text"] or "Дайджест ChartGenius" in c["params"]["text"])]


@pytest.fixture
def world(ports: Container, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    webhook = load_function("telegram_webhook").test_client()

    def post(update: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        answer = webhook.post("/", json=update,
                              headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        return answer.status_code, answer.get_json(silent=True) or {}

    bus, sink = RecordingBus(), TelegramSink(post)
    ports.override(bus=bus, messenger=TelegramBotApi(
        "http://127.0.0.1:1/telegram-sink", "T0K", transport=SinkTransport(sink)))
    send_queue.install(SendQueue(Limits(max_retry_wait=30), VirtualClock()))
    yield World(ports, bus, sink, load_function("notifier"))
    send_queue.install(None)


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def test_the_digest_arrives_once_a_day_at_each_users_hour_in_their_language(world) -> None:
    assert "at 9:00 (UTC+3)" in world.say(ANN, "/digest 9 +3")
    world.say(ANN, "/watch add BTC/USDT 4h")
    assert "в 9:00 (UTC-5)" in world.say(IVAN, "/digest 9 -5")
    world.say(IVAN, "/watch add ETH/USDT 2h")
    assert world.scan_at(at(10, 5, 50)) == []  # Ann's 08:50, Ivan's 00:50
    (first,) = world.scan_at(at(10, 6, 5), twice=True)  # Ann's 09:05
    assert first.user_id == "501" and first.local_date == "2026-03-10"
    assert world.scan_at(at(10, 6, 40)) == []  # a second scan in Ann's hour: nothing more
    (second,) = world.scan_at(at(10, 14, 10))  # Ivan's 09:10
    assert second.user_id == "502"
    (ann,) = world.digests_to(501)
    (ivan,) = world.digests_to(502)
    for text in (ann, ivan):
        assert units(text) <= 4096 and check_html(text) == []
    assert "ChartGenius digest</b> · 2026-03-10" in ann and "<b>Top movers</b>" in ann
    assert "<b>BTC/USDT</b> 4h: 109,888.01" in ann  # the watchlist, with its price
    assert "Дайджест ChartGenius</b> · 10.03.2026" in ivan and "Лидеры движения" in ivan
    assert "<b>ETH/USDT</b> 2h: " in ivan and "," in ivan.split("ETH/USDT</b> 2h: ")[1][:12]
    movers = [r["symbol"] for r in first.movers]
    assert sorted(movers) == ReplaySource(ROOT / "data" / "ohlcv").symbols()
    (next_day,) = world.scan_at(at(11, 6, 2))  # Ann's next morning
    assert next_day.local_date == "2026-03-11" and len(world.digests_to(501)) == 2
    notes = world.ports.store.query("notifications", [("user_id", "==", "501")])
    assert sum(n["kind"] == "digest" for n in notes) == 2  # once per day on the web too


def test_digest_off_and_bad_input(world) -> None:
    world.say(ANN, "/digest on")
    assert "/digest on" in world.say(ANN, "/digest tomorrow")  # the usage, nothing changed
    assert "/digest on" in world.say(ANN, "/digest 9 +99")
    assert "off" in world.say(ANN, "/digest off")
    assert digest.load(world.ports.store, "501").enabled is False
    assert world.scan_at(at(10, 9, 5)) == []  # 09:05 UTC (offset 0): off, so nothing
