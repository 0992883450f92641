"""The send queue: every message to Telegram waits here for its turn.

Telegram's limits for one bot: about 30 messages a second overall, one a second in a chat,
20 a minute in a group. ``SendQueue.send`` waits until all three allow a message, then sends
it; on a 429 it blocks that chat for ``retry_after`` seconds (on every instance, when the
slots are shared) and tries again, until the waiting would pass ``max_retry_wait`` — then
the ``RateLimited`` error propagates, the message goes back to Pub/Sub and is retried later
(already delivered parts are not resent).

Without ``slots`` the limits are counted in this instance (decision 0052). With ``slots`` (a
``send_slots.SendSlots``, kept in the store) every instance books its sends in the same place,
so the notifier can run on many instances (decision 0113); the clock must then be wall time
(``WallClock``), the same on every instance. The queue is thread-safe. Time comes from an
injected clock, so tests and the benchmark run on virtual time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from shared import metrics
from shared.bot.send_slots import SendSlots, StoreSendSlots
from shared.config import Settings
from shared.errors import RateLimited
from shared.ports import DocumentStore

log = logging.getLogger(__name__)
T = TypeVar("T")
_PRUNE_AT = 10_000
MARGIN = 0.05  # seconds added to every window: Telegram counts arrivals, which jitter
LATE = 0.02  # seconds a shared slot may be missed by before another is booked
_REBOOKS = 5


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class WallClock:
    """Epoch seconds: the one time every instance agrees on (shared send slots)."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


class VirtualClock:
    """Time that passes only when someone sleeps (tests and the benchmark)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.time = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self.time

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.time += max(0.0, seconds)


@dataclass(frozen=True)
class Limits:
    per_second: int = 30
    chat_interval: float = 1.0
    group_per_minute: int = 20
    max_retry_wait: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(settings.telegram_messages_per_second, settings.telegram_chat_interval_seconds,
                   settings.telegram_group_messages_per_minute,
                   settings.telegram_max_retry_wait_seconds)


def is_group(chat_id: int) -> bool:
    """Groups and channels have negative chat ids; private chats positive ones."""
    return chat_id < 0


class SendQueue:
    def __init__(self, limits: Limits | None = None, clock: Clock | None = None,
                 slots: SendSlots | None = None) -> None:
        self.limits = limits or Limits()
        self.clock = clock or SystemClock()
        self.slots = slots
        self._lock = threading.Lock()
        self._recent: deque[float] = deque()  # send times within the last second
        self._chat_last: dict[int, float] = {}
        self._group_recent: dict[int, deque[float]] = {}
        self._blocked_until: dict[int, float] = {}
        self.sent = 0
        self.rate_limited = 0

    def send(self, chat_id: int, action: Callable[[], T],
             on_rate_limited: Callable[[], None] | None = None) -> T:
        """Run ``action`` (one Bot API call to ``chat_id``) when the limits allow it;
        ``on_rate_limited`` is called for every 429 Telegram answers."""
        waited = 0.0
        while True:
            self._acquire(chat_id)
            try:
                return action()
            except RateLimited as exc:
                delay = exc.retry_after if exc.retry_after is not None else 1.0
                metrics.TELEGRAM_RATE_LIMITED.inc()
                metrics.TELEGRAM_SENDS.inc(1.0, "rate_limited")
                if on_rate_limited is not None:
                    on_rate_limited()
                with self._lock:
                    self.rate_limited += 1
                    until = self.clock.now() + delay
                    self._blocked_until[chat_id] = max(until,
                                                       self._blocked_until.get(chat_id, 0.0))
                if self.slots is not None:  # every instance waits it out, not only this one
                    self.slots.block(chat_id, until)
                waited += delay
                if waited > self.limits.max_retry_wait:
                    log.warning("rate limited too long; retrying later",
                                extra={"chat_id": chat_id, "retry_after": delay})
                    raise
                log.info("rate limited; waiting", extra={"chat_id": chat_id,
                                                        "retry_after": delay})

    def _acquire(self, chat_id: int) -> None:
        if self.slots is not None:
            self._acquire_shared(chat_id)
            return
        while True:
            with self._lock:
                now = self.clock.now()
                wait = self._wait(chat_id, now)
                if wait <= 0:
                    self._record(chat_id, now)
                    return
            self.clock.sleep(wait)

    def _acquire_shared(self, chat_id: int) -> None:
        """Wait out a 429 on this chat, then book a slot shared with every instance. Woken
        more than ``LATE`` after the slot (a busy machine), the send would crowd the next
        ones: the slot is given up and another booked (a few times, then it goes)."""
        assert self.slots is not None
        with self._lock:
            blocked = self._blocked_until.get(chat_id, 0.0) - self.clock.now()
        if blocked > 0:
            self.clock.sleep(blocked)
        for _ in range(_REBOOKS):
            now = self.clock.now()
            slot = now + self.slots.reserve(chat_id, now)
            if slot > now:
                self.clock.sleep(slot - now)
            late = self.clock.now() - slot
            if late <= LATE:
                break
            log.info("woke too late for the send slot; booking another",
                     extra={"chat_id": chat_id, "late_seconds": round(late, 3)})
        with self._lock:
            self.sent += 1

    def _wait(self, chat_id: int, now: float) -> float:
        while self._recent and self._recent[0] <= now - 1.0 - MARGIN:
            self._recent.popleft()
        waits = [self._blocked_until.get(chat_id, 0.0) - now]
        if len(self._recent) >= self.limits.per_second:
            waits.append(self._recent[0] + 1.0 + MARGIN - now)
        last = self._chat_last.get(chat_id)
        if last is not None:
            waits.append(last + self.limits.chat_interval - now)
        if is_group(chat_id):
            window = self._group_recent.setdefault(chat_id, deque())
            while window and window[0] <= now - 60.0 - MARGIN:
                window.popleft()
            if len(window) >= self.limits.group_per_minute:
                waits.append(window[0] + 60.0 + MARGIN - now)
        return max(waits)

    def _record(self, chat_id: int, now: float) -> None:
        self.sent += 1
        self._recent.append(now)
        self._chat_last[chat_id] = now
        if is_group(chat_id):
            self._group_recent.setdefault(chat_id, deque()).append(now)
        if len(self._chat_last) > _PRUNE_AT:
            self._prune(now)

    def _prune(self, now: float) -> None:
        horizon = now - max(self.limits.chat_interval, 60.0)
        self._chat_last = {c: t for c, t in self._chat_last.items() if t > horizon}
        self._group_recent = {c: w for c, w in self._group_recent.items() if w and w[-1] > horizon}
        self._blocked_until = {c: t for c, t in self._blocked_until.items() if t > now}


_instance: SendQueue | None = None
_installed = False
_instance_lock = threading.Lock()


def instance(settings: Settings, store: DocumentStore | None = None) -> SendQueue:
    """This instance's queue; given the store, its slots are shared with every instance
    (a queue built for another store is replaced: the store is what the slots live in)."""
    global _instance
    with _instance_lock:
        stale = (store is not None and not _installed and _instance is not None
                 and getattr(_instance.slots, "store", None) is not store)
        if _instance is None or stale:
            limits = Limits.from_settings(settings)
            if store is None:
                _instance = SendQueue(limits)
            else:
                _instance = SendQueue(limits, WallClock(), shared_slots(store, limits))
        return _instance


def shared_slots(store: DocumentStore, limits: Limits) -> SendSlots:
    return StoreSendSlots(store, per_second=limits.per_second,
                          chat_interval=limits.chat_interval,
                          group_per_minute=limits.group_per_minute)


def install(queue: SendQueue | None) -> None:
    """Use ``queue`` from now on (tests and the benchmark install one on virtual time)."""
    global _instance, _installed
    with _instance_lock:
        _instance = queue
        _installed = queue is not None
