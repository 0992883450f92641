"""The per-part delivery records: the window between a send and its record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from local.telegram_sink import SinkTransport, TelegramSink
from shared.adapters.telegram_api import TelegramBotApi
from shared.bootstrap import Container
from shared.bot.send_queue import Limits, SendQueue, VirtualClock
from shared.errors import TransientError
from shared.models import iso, utcnow
from shared.services.telegram_delivery import COLLECTION, LEASE, deliver
from tests.integration.test_telegram_notifier import completed


@pytest.fixture
def wired(ports: Container) -> tuple[Container, TelegramSink, TelegramBotApi, SendQueue]:
    sink = TelegramSink()
    api = TelegramBotApi("http://127.0.0.1:1/telegram-sink", "T", transport=SinkTransport(sink))
    return ports, sink, api, SendQueue(Limits(), VirtualClock())


def test_a_part_being_sent_by_another_attempt_is_retried_later(wired) -> None:
    ports, sink, api, queue = wired
    event = completed(ports, "Report.")
    ports.store.set(COLLECTION, f"{event.event_id}:555:0",
                    {"status": "sending", "claimed_at": iso(utcnow()), "attempt": 1})
    with pytest.raises(TransientError):
        deliver(ports.store, ports.blobs, api, queue, event)
    assert sink.sent() == []


def test_a_part_whose_sender_died_after_the_lease_is_sent_again(wired) -> None:
    ports, sink, api, queue = wired
    event = completed(ports, "Report.")
    stale = iso(utcnow() - LEASE - timedelta(seconds=1))
    ports.store.set(COLLECTION, f"{event.event_id}:555:0",
                    {"status": "sending", "claimed_at": stale, "attempt": 1})
    assert deliver(ports.store, ports.blobs, api, queue, event) == 1
    record = ports.store.get(COLLECTION, f"{event.event_id}:555:0")
    assert record is not None and record["status"] == "sent" and record["attempt"] == 2
    assert deliver(ports.store, ports.blobs, api, queue, event) == 0
    assert len(sink.sent()) == 1
