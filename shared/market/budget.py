"""A request budget per source: requests spaced at least ``window / limit`` apart.

A request is granted when the previous grant is at least one interval old; waiters sleep
until then and try again. Grants are spaced from the moment each was really granted (not
from a schedule made in advance), so an event loop that falls behind never catches up with
a burst, and the exchange sees an even stream that stays under its limit in any window.
Granting is a plain synchronous step under a thread lock, so the budget works across
event loops (every invocation runs its own) and threads.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable

from shared.market.faults import BudgetExhausted

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class RequestBudget:
    def __init__(self, name: str, per_second: float, clock: Clock, sleep: Sleep,
                 *, window: float = 1.0, headroom: float = 0.95) -> None:
        self.name = name
        self.limit = max(1, int(per_second * window * headroom))
        self.interval = window / self.limit
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
        """Wait for a grant; raises at once when the queue is longer than ``max_wait``."""
        expected = self.expected_wait()
        if expected > max_wait:
            raise BudgetExhausted(
                f"{self.name}'s request budget is spent for the next {expected:.1f} s",
                retry_after=expected)
        with self._lock:
            self._waiting += 1
        try:
            while (wait := self.try_grant()) > 0:
                await self._sleep(wait)
        finally:
            with self._lock:
                self._waiting -= 1
