"""Alerts over consecutive scans on a scripted market: once per crossing, cooldowns, snooze
and mute from the alert's own buttons, multi-timeframe AND rules, and the localised text.

The market is a source serving a scripted close series one more candle per scan, so each
scan judges a new closed candle, as on a live exchange.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import talib
from flask import Flask

from local.functions import load_function
from local.scan import scan_request
from local.telegram_sink import SinkTransport, TelegramSink
from local.telegram_updates import callback_update, message_update
from shared import delivery
from shared.adapters.telegram_api import TelegramBotApi
from shared.bootstrap import Container
from shared.bot import send_queue
from shared.bot.html_parts import check_html, units
from shared.bot.send_queue import Limits, SendQueue, VirtualClock
from shared.events import AlertTriggered, Event
from shared.models import TIMEFRAMES, Candles, User, utcnow
from shared.services import watchlist
from shared.services.fetch_market import scan_market
from tests.fakes import RecordingBus

SECRET = "s3cret"
USER = User(id="4242", telegram_id=4242, created_at=utcnow())
START_MS = 1_700_000_000_000 // 3_600_000 * 3_600_000


@dataclass
class ScriptedMarket:
    """Serves ``closes[tf][:shown[tf]]``: one candle more each time ``advance`` is called."""

    closes: dict[str, list[float]]
    shown: dict[str, int] = field(default_factory=dict)
    name: str = "scripted"

    def supports(self, symbol: str, timeframe: str) -> bool:
        return symbol == "BTC/USDT" and timeframe in self.closes

    async def fetch_candles(self, symbol: str, timeframe: str, limit: int) -> Candles:
        values = self.closes[timeframe][:self.shown.get(timeframe, 60)]
        step = int(TIMEFRAMES[timeframe].total_seconds() * 1000)
        return Candles(timestamps=[START_MS + i * step for i in range(len(values))],
                       open=values, high=[v * 1.002 for v in values],
                       low=[v * 0.998 for v in values], close=values,
                       volume=[10.0] * len(values))

    def advance(self, timeframe: str = "1h") -> None:
        self.shown[timeframe] = self.shown.get(timeframe, 60) + 1


@dataclass
class World:
    ports: Container
    bus: RecordingBus
    market: ScriptedMarket
    scans: int = 0
    charts: bool = False  # draw alert charts (only where a test looks at them: they cost)

    def watch(self, *rules: dict[str, Any], timeframe: str = "1h") -> watchlist.WatchItem:
        wanted = watchlist.WatchInput.model_validate(
            {"symbol": "BTC/USDT", "timeframe": timeframe, "rules": list(rules)})
        return watchlist.add_item(self.ports.store, USER, wanted)

    def scan(self) -> list[AlertTriggered]:
        self.scans += 1
        scan_market(self.ports.store, self.bus, [self.market],  # type: ignore[list-item]
                    scan_request(f"scan-{self.scans}", timeframe="1h"), 500, use_cache=False,
                    blobs=self.ports.blobs if self.charts else None)
        return [e for e in self.bus.take() if isinstance(e, AlertTriggered)]

    def run(self, candles: int) -> list[list[AlertTriggered]]:
        """One scan per new candle (and a repeated scan of each: it must change nothing)."""
        fired = []
        for _ in range(candles):
            self.market.advance()
            fired.append(self.scan())
            assert self.scan() == []
        return fired


def world_with(ports: Container, closes: dict[str, list[float]]) -> World:
    bus = RecordingBus()
    ports.override(bus=bus)
    ports.store.set("users", USER.id, USER.model_dump(mode="json"))
    return World(ports, bus, ScriptedMarket(closes))


def swings() -> list[float]:
    """Calm, a slide (RSI falls below 30 and stays), a rally, a second slide."""
    calm = [100 + math.sin(i) for i in range(60)]
    slide = [calm[-1] - 1.5 * i for i in range(1, 16)]
    rally = [slide[-1] + 2.0 * i for i in range(1, 16)]
    again = [rally[-1] - 1.5 * i for i in range(1, 16)]
    return calm + slide + rally + again


def test_an_rsi_rule_fires_once_per_crossing(ports: Container) -> None:
    closes = swings()
    world = world_with(ports, {"1h": closes})
    world.watch({"kind": "rsi_below", "value": 30})
    fired = world.run(len(closes) - 60)
    rsi = talib.RSI(np.asarray(closes), timeperiod=14)
    crossings = [t for t in range(60, len(closes)) if rsi[t] < 30 <= rsi[t - 1]]
    below = [t for t in range(60, len(closes)) if rsi[t] < 30]
    assert len(crossings) == 2 and len(below) > 2 * len(crossings)  # it stays below a while
    when = [60 + i for i, alerts in enumerate(fired) if alerts]
    assert when == crossings  # one alert per crossing, none while it stays below
    alert = fired[when[0] - 60][0]
    assert alert.reasons[0]["key"] == "rsi_below/crossed"
    assert alert.candle_time is not None and alert.signal is not None


def test_a_level_rule_respects_its_cooldown_over_consecutive_scans(ports: Container) -> None:
    closes = [100.0 + 0.01 * i for i in range(80)]  # above 50 all along
    world = world_with(ports, {"1h": closes})
    world.watch({"kind": "price_above", "price": 50, "cooldown_candles": 3})
    world.watch({"kind": "price_above", "price": 60})  # default: once per 24 candles
    fired = world.run(10)
    spaced = [i for i, alerts in enumerate(fired)
              if any(a.reasons[0]["values"]["threshold"] == 50 for a in alerts)]
    default = [i for i, alerts in enumerate(fired)
               if any(a.reasons[0]["values"]["threshold"] == 60 for a in alerts)]
    assert spaced == [0, 3, 6, 9] and default == [0]
    record = ports.store.get("scans", f"scan-{world.scans}")
    assert record is not None and record["alerts_already_fired"] == 1


def test_ema_cross_and_a_multi_timeframe_and_rule(ports: Container) -> None:
    daily_up = [50 + i for i in range(80)]
    daily_down = [200 - i for i in range(80)]
    closes = swings()
    world = world_with(ports, {"1h": closes, "1d": daily_up})
    world.market.shown["1d"] = 80
    world.watch({"kind": "all", "conditions": [
        {"rule": {"kind": "rsi_below", "value": 30}},
        {"timeframe": "1d", "rule": {"kind": "trend", "direction": "up"}}]})
    world.watch({"kind": "ema_cross", "fast": 5, "slow": 20, "direction": "bearish"})
    fired = world.run(20)
    kinds = [[a.reasons[0]["key"] for a in alerts] for alerts in fired]
    assert sum(k.count("ema_down") for k in kinds) == 1  # the slide crosses once
    (both,) = [a for alerts in fired for a in alerts if len(a.reasons) == 2]
    assert [r["timeframe"] for r in both.reasons] == ["1h", "1d"]
    assert "[1h] RSI(14) crossed below 30" in both.message and "[1d] trend up" in both.message
    world2 = world_with(ports, {"1h": closes, "1d": daily_down})
    world2.market.shown["1d"] = 80
    ports.store.delete(watchlist.COLLECTION, ports.store.query(watchlist.COLLECTION)[1]["_id"])
    assert all(len(a.reasons) < 2 for alerts in world2.run(20) for a in alerts)


# --- the alert in Telegram, and its buttons ------------------------------------------------

@dataclass
class Chat:
    sink: TelegramSink
    notifier: Flask

    def deliver(self, event: Event) -> None:
        data, attributes = delivery.encode(event)
        headers, body = delivery.to_cloudevent("test", event.topic, uuid.uuid4().hex, data,
                                               attributes)
        assert self.notifier.test_client().post("/", headers=headers, data=body).status_code \
            == 200

    def press(self, call: dict[str, Any], index: int, update_id: int) -> dict[str, Any]:
        buttons = [b for row in call["params"]["reply_markup"]["inline_keyboard"] for b in row]
        update = callback_update(update_id, buttons[index]["callback_data"],
                                 sender={"id": 4242, "is_bot": False, "first_name": "A"},
                                 message_id=call["message_id"])
        update["callback_query"]["message"]["photo"] = [
            {"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]
        status, reply = self.sink.send_update(update)
        assert status == 200
        return reply


@pytest.fixture
def chat(ports: Container, monkeypatch: pytest.MonkeyPatch) -> Iterator[Chat]:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    webhook = load_function("telegram_webhook").test_client()

    def post(update: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        answer = webhook.post("/", json=update,
                              headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        return answer.status_code, answer.get_json(silent=True) or {}

    sink = TelegramSink(post)
    ports.override(messenger=TelegramBotApi("http://127.0.0.1:1/telegram-sink", "T0K",
                                            transport=SinkTransport(sink)))
    send_queue.install(SendQueue(Limits(max_retry_wait=30), VirtualClock()))
    yield Chat(sink, load_function("notifier"))
    send_queue.install(None)


def test_an_alert_arrives_with_its_chart_reasons_and_engine_view_in_russian(
        ports: Container, chat: Chat) -> None:
    world = world_with(ports, {"1h": [100.0 + 0.01 * i for i in range(80)]})
    ports.store.update("users", USER.id, {"language": "ru"})
    world.charts = True
    world.watch({"kind": "price_above", "price": 50})
    world.market.advance()
    (alert,) = world.scan()
    chat.deliver(alert)
    chat.deliver(alert)  # a redelivery sends nothing twice
    (photo,) = chat.sink.sent()
    assert photo["method"] == "sendPhoto" and photo["params"]["photo"]["bytes"] > 1000
    caption = photo["params"]["caption"]
    assert units(caption) <= 1024 and check_html(caption) == []
    assert "цена выше 50: закрытие 100,6" in caption
    assert "На свече 1h, закрытой" in caption and "Движок сейчас:" in caption
    texts = [b["text"] for row in photo["params"]["reply_markup"]["inline_keyboard"]
             for b in row]
    assert texts == ["😴 Отложить на день", "🔕 Отключить правило"]
    status, reply = chat.sink.send_update(message_update(
        601, "/alerts", sender={"id": 4242, "is_bot": False, "first_name": "A"}))
    assert status == 200 and "BTC/USDT 1h: цена выше 50: закрытие 100,6" in reply["text"]


def test_snooze_and_mute_from_the_alert_silence_the_rule(ports: Container, chat: Chat) -> None:
    world = world_with(ports, {"1h": [100.0 + 0.01 * i for i in range(80)]})
    world.watch({"kind": "price_above", "price": 50, "cooldown_candles": 1})
    world.market.advance()
    (alert,) = world.scan()
    chat.deliver(alert)
    (photo,) = chat.sink.sent()
    edit = chat.press(photo, 0, 501)  # snooze 1 day
    assert edit["method"] == "editMessageCaption" and edit["message_id"] == photo["message_id"]
    assert "Snoozed until" in edit["caption"]
    resume = edit["reply_markup"]["inline_keyboard"][0][0]
    assert resume["callback_data"].startswith("um|")  # the used buttons are gone
    assert world.run(3) == [[], [], []]  # every candle would alert: the snooze holds
    record = ports.store.get("scans", f"scan-{world.scans}")
    assert record is not None and record["alerts_silenced"] == 1
    chat.sink.send_update(callback_update(502, resume["callback_data"],
                                          sender={"id": 4242, "is_bot": False,
                                                  "first_name": "A"},
                                          message_id=photo["message_id"]))
    assert len(world.run(1)[0]) == 1  # resumed
    mute = chat.press(photo, 1, 503)
    assert "muted" in mute["caption"]
    assert world.run(2) == [[], []]
