"""A request budget per source: requests spaced at least ``1 / (per_second * headroom)`` apart.

Two adapters of one port (``Budget``):

- ``RequestBudget`` counts in this process. A request is granted when the previous grant is
  at least one interval old; waiters sleep until then and try again. Grants are spaced from
  the moment each was really granted (not from a schedule made in advance), so an event loop
  that falls behind never catches up with a burst. Granting is a plain synchronous step under
  a thread lock, so the budget works across event loops (every invocation runs its own) and
  threads. Tests, benchmarks and the scan's pacing use it.
- ``StoreRequestBudget`` is shared by every instance: each request books a slot of the
  source's ``rate_grid.SlotGrid`` in the store (``request_budget``), so 20 fetcher instances
  together keep one exchange's allowance, not 20 times it. It runs on wall time (every
  instance agrees on it). The container gives every live source one (decision 0116).

Both refuse at once, with ``BudgetExhausted``, a request that would wait longer than it may.

``asyncio`` is imported where a budget waits, not here: the api imports this module (the
admin's source view, through the container) and never waits on a budget, and loading asyncio
was ~0.03 s of its cold start.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from shared.market.faults import BudgetExhausted
from shared.ports import DocumentStore
from shared.rate_grid import SlotGrid

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
COLLECTION = "request_budget"
HEADROOM = 0.95  # of an exchange's published allowance: its own counting jitters
LATE = 0.02  # seconds a shared slot may be missed by before another is booked
REBOOKS = 5


class Budget(Protocol):
    name: str
    interval: float  # seconds between two grants at full use

    async def acquire(self, max_wait: float) -> None:
        """Wait for a grant; raises ``BudgetExhausted`` at once when that would take longer
        than ``max_wait`` seconds."""


def spacing(per_second: float, headroom: float) -> float:
    if per_second <= 0 or not 0 < headroom <= 1:
        raise ValueError("a request budget needs a positive rate and a headroom in (0, 1]")
    return 1.0 / (per_second * headroom)


class RequestBudget:
    def __init__(self, name: str, per_second: float, clock: Clock, sleep: Sleep,
                 *, headroom: float = HEADROOM) -> None:
        self.name = name
        self.interval = spacing(per_second, headroom)
        self._clock, self._sleep = clock, sleep
        self._next = float("-inf")
        self._waiting = 0
        self._lock = threading.Lock()

    def try_grant(self) -> float:
        """0 when a request may go now (and it is counted), else the seconds to wait."""
        with self._lock:
            now = self._clock()
            if now >= self._next:
                self._next = now + self.interval
                return 0.0
            return self._next - now

    def expected_wait(self) -> float:
        with self._lock:
            return max(0.0, self._next - self._clock()) + self._waiting * self.interval

    async def acquire(self, max_wait: float) -> None:
        expected = self.expected_wait()
        if expected > max_wait:
            raise _exhausted(self.name, expected)
        with self._lock:
            self._waiting += 1
        try:
            while (wait := self.try_grant()) > 0:
                await self._sleep(wait)
        finally:
            with self._lock:
                self._waiting -= 1


class StoreRequestBudget:
    def __init__(self, store: DocumentStore, name: str, per_second: float, *,
                 headroom: float = HEADROOM, wall: Clock = time.time,
                 sleep: Sleep | None = None, collection: str = COLLECTION) -> None:
        self.name = name
        self.interval = spacing(per_second, headroom)
        self._wall, self._sleep = wall, sleep
        # about a second of slots to a bucket: a shard document takes a few writes at most
        per_bucket = max(1, round(1.0 / self.interval))
        self.grid = SlotGrid(store, collection, interval=self.interval, per_bucket=per_bucket,
                             key=f"{name}:")

    async def acquire(self, max_wait: float) -> None:
        """Book a slot and wait for it. Woken more than ``LATE`` after it (a busy process),
        the request would crowd the next ones' slots: it books another (a few times, then
        it goes)."""
        import asyncio  # loaded already wherever a fetch runs

        sleep = self._sleep or asyncio.sleep
        deadline = self._wall() + max_wait
        for _ in range(REBOOKS):
            now = self._wall()
            # the store's client blocks: off the event loop, so other fetches go on meanwhile
            slot = await asyncio.to_thread(self.grid.take, now, deadline)
            if slot is None:
                raise _exhausted(self.name, max_wait)
            wait = slot - self._wall()
            if wait > 0:
                await sleep(wait)
            if self._wall() - slot <= LATE:
                return


def _exhausted(name: str, seconds: float) -> BudgetExhausted:
    return BudgetExhausted(f"{name}'s request budget is spent for the next {seconds:.1f} s",
                           retry_after=seconds)


BudgetFactory = Callable[[str, float], Budget]


def shared_budgets(store: DocumentStore) -> BudgetFactory:
    """Budgets kept in ``store``, one grid per source name."""
    return lambda name, per_second: StoreRequestBudget(store, name, per_second)
