"""Three notifier instances, each with its own send queue, sharing one store: together they
keep Telegram's limits (30 messages in any second, 1 a second in a chat, 20 a minute in a
group) because their send slots are booked in the store.

Each instance runs in its own thread on its own virtual clock (time passes only when that
instance waits), and the recording Bot API stamps each message with its sender's clock: a
send happens exactly at the slot booked for it, so the stamps are the slots.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from local.telegram_sink import SinkTransport, TelegramSink
from shared.adapters.telegram_api import TelegramBotApi
from shared.bootstrap import Container
from shared.bot import send_queue
from shared.bot.send_queue import Limits, SendQueue, VirtualClock, WallClock
from shared.bot.send_slots import StoreSendSlots
from shared.errors import RateLimited
from shared.services.telegram_delivery import Delivery, Part, send

START = 1_800_000_000.0
INSTANCES = 3
# 45 private chats with 3 messages each and 2 groups with 22 each, dealt round-robin, so
# every chat gets messages from several instances.
WORK = [chat for _ in range(3) for chat in range(1, 46)] + [-1001, -1002] * 22


class Instances:
    """The notifier instances and the recording Bot API they all send to."""

    def __init__(self, shared: Callable[[], StoreSendSlots | None]) -> None:
        self.clocks: dict[int, VirtualClock] = {}
        self.sink = TelegramSink(clock=lambda: self.clocks[threading.get_ident()].now())
        self.shared = shared

    def run(self, ports: Container) -> list[tuple[float, int]]:
        threads = [threading.Thread(target=self._worker, args=(ports, n))
                   for n in range(INSTANCES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sorted((float(c["at"]), int(c["params"]["chat_id"]))
                      for c in self.sink.sent("sendMessage"))

    def _worker(self, ports: Container, number: int) -> None:
        clock = VirtualClock(START)
        self.clocks[threading.get_ident()] = clock
        queue = SendQueue(Limits(), clock, self.shared())
        api = TelegramBotApi("http://127.0.0.1:1/telegram-sink", "T0K",
                             transport=SinkTransport(self.sink))
        for index in range(number, len(WORK), INSTANCES):
            chat = WORK[index]
            send(ports.store, api, queue, f"e{index}",
                 Delivery(chat, str(abs(chat)), [Part(f"message {index}")]))


def most_in_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_three_instances_keep_the_limits_together(ports: Container) -> None:
    sent = Instances(lambda: StoreSendSlots(ports.store)).run(ports)
    assert len(sent) == len(WORK)  # every message delivered, once
    times = [t for t, _ in sent]
    assert most_in_window(times, 1.0) <= 30
    for chat in set(WORK):
        own = [t for t, c in sent if c == chat]
        assert all(b - a >= 1.0 for a, b in zip(own, own[1:], strict=False)), chat
        if chat < 0:
            assert most_in_window(own, 60.0) <= 20, chat
    assert most_in_window(times, 1.0) >= 25  # and at full speed while there is work


def test_without_shared_slots_three_instances_break_the_limits(ports: Container) -> None:
    """What the shared slots prevent: each queue counting alone lets 3 × 30 through."""
    sent = Instances(lambda: None).run(ports)
    times = [t for t, _ in sent]
    assert most_in_window(times, 1.0) > 30


def test_the_notifier_books_its_sends_in_its_store(ports: Container) -> None:
    queue = send_queue.instance(ports.settings, ports.store)
    assert isinstance(queue.slots, StoreSendSlots) and queue.slots.store is ports.store
    assert isinstance(queue.clock, WallClock)  # the time every instance agrees on
    assert send_queue.instance(ports.settings, ports.store) is queue


class OversleepingClock(VirtualClock):
    """A busy machine: the first wait ends half a second late."""

    def __init__(self) -> None:
        super().__init__(START)
        self.overslept = False

    def sleep(self, seconds: float) -> None:
        late = 0.0 if self.overslept else 0.5
        self.overslept = True
        super().sleep(seconds + late)


def test_a_send_woken_late_books_another_slot(ports: Container) -> None:
    """Sent late, the second message would land 0.5 s before the third: it rebooks."""
    clock = OversleepingClock()
    queue = SendQueue(Limits(), clock, StoreSendSlots(ports.store))
    sent: list[float] = []
    for _ in range(3):
        queue.send(7, lambda: sent.append(clock.now()))
    assert clock.overslept
    assert all(b - a >= 1.0 for a, b in zip(sent, sent[1:], strict=False)), sent


def test_a_429_on_one_instance_holds_the_chat_on_every_instance(ports: Container) -> None:
    """Telegram tells instance A to wait 7 s for chat 7, longer than A may wait, so A gives
    the message back to Pub/Sub: instance B, which never saw the 429, still waits it out for
    chat 7 (and only for chat 7)."""
    clock_a, clock_b = VirtualClock(START), VirtualClock(START)
    a = SendQueue(Limits(max_retry_wait=5.0), clock_a, StoreSendSlots(ports.store))
    b = SendQueue(Limits(), clock_b, StoreSendSlots(ports.store))

    def refused() -> None:
        raise RateLimited("Too Many Requests: retry after 7", retry_after=7.0)

    with pytest.raises(RateLimited):
        a.send(7, refused)
    sent: dict[int, float] = {}
    b.send(8, lambda: sent.setdefault(8, clock_b.now()))
    b.send(7, lambda: sent.setdefault(7, clock_b.now()))
    assert sent[8] < START + 1.0  # another chat is not held
    assert sent[7] >= START + 7.0
