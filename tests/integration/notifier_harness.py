"""The notifier function under test: functions-framework, production-shaped CloudEvents, and
the Bot API adapter into the local sink, with the send queue on a virtual clock."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask

from local.functions import load_function
from local.telegram_sink import SinkTransport, TelegramSink
from shared import delivery
from shared.adapters.telegram_api import TelegramBotApi
from shared.bootstrap import Container
from shared.bot import send_queue
from shared.bot.send_queue import Limits, SendQueue, VirtualClock
from shared.events import Event


@dataclass
class Notifier:
    ports: Container
    sink: TelegramSink
    clock: VirtualClock
    app: Flask

    def post(self, event: Event) -> int:
        data, attributes = delivery.encode(event)
        headers, body = delivery.to_cloudevent("test", event.topic, uuid.uuid4().hex, data,
                                               attributes)
        return self.app.test_client().post("/", headers=headers, data=body).status_code


@pytest.fixture
def notifier(ports: Container) -> Iterator[Notifier]:
    sink = TelegramSink()
    ports.override(messenger=TelegramBotApi("http://127.0.0.1:1/telegram-sink", "T0K",
                                            transport=SinkTransport(sink)))
    clock = VirtualClock()
    send_queue.install(SendQueue(Limits(max_retry_wait=30), clock))
    yield Notifier(ports, sink, clock, load_function("notifier"))
    send_queue.install(None)
