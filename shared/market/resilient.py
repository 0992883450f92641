"""A source wrapped in its resilience: breaker, request budget, timeout, retries, health.

Every source but replay is served through this. The wrapped source only speaks to its API and
translates failures into ``shared.market.faults``; the decisions are taken here, on the error
type: retry with full jitter, wait for ``Retry-After`` when short, stop at a ban (HTTP 418)
until it ends, move on when the breaker is open or the budget is spent.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from shared.errors import NoSourceAvailable, TransientError
from shared.market.breaker import CircuitBreaker
from shared.market.budget import Budget, RequestBudget
from shared.market.faults import CircuitOpen, SourceBanned, SourceTimeout
from shared.market.health import SourceHealth
from shared.market.retry import NOT_THE_SOURCES_FAULT, RetryPolicy
from shared.models import Candles, utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
WaitFor = Callable[[Awaitable[Any], float], Awaitable[Any]]


class ResilientSource:
    live = True

    def __init__(self, inner: Any, *, budget_per_second: float, policy: RetryPolicy,
                 timeout: float, breaker: CircuitBreaker | None = None,
                 budget: Budget | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], datetime] = utcnow, sleep: Sleep = asyncio.sleep,
                 rng: random.Random | None = None, wait_for: WaitFor = asyncio.wait_for
                 ) -> None:
        self.inner = inner
        self.name: str = inner.name
        self.policy, self.timeout = policy, timeout
        self.breaker = breaker or CircuitBreaker(clock)
        # shared by every instance when given (the container's); else this process's own
        self.budget: Budget = budget or RequestBudget(self.name, budget_per_second, clock,
                                                      sleep)
        self.health = SourceHealth(self.name)
        self._clock, self._wall, self._sleep = clock, wall, sleep
        self._wait_for = wait_for  # the per-call timeout (tests: on their fake time)
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not secrets

    def supports(self, symbol: str, timeframe: str) -> bool:
        return bool(self.inner.supports(symbol, timeframe))

    def capacity(self, timeframe: str) -> int | None:
        capacity = getattr(self.inner, "capacity", None)
        return capacity(timeframe) if capacity else None

    async def fetch_candles(self, symbol: str, timeframe: str, limit: int) -> Candles:
        return await self.call(lambda: self.inner.fetch_candles(symbol, timeframe, limit))

    async def fetch_price(self, symbol: str) -> Any:
        return await self.call(lambda: self.inner.fetch_price(symbol))

    async def top_symbols(self, quote: str, count: int) -> list[str]:
        """The screener's universe from one tickers call, inside the budget like any call."""
        top = getattr(self.inner, "top_symbols", None)
        if top is None:
            return []
        result: list[str] = await self.call(lambda: top(quote, count))
        return result

    def prepare(self, symbols: list[str]) -> None:
        prepare = getattr(self.inner, "prepare", None)
        if prepare:
            prepare(symbols)

    async def aclose(self) -> None:
        close = getattr(self.inner, "aclose", None)
        if close:
            await close()

    def apply_ban(self, seconds: float) -> None:
        """A ban another instance learned about (from the health documents)."""
        self.breaker.ban(seconds)
        self.health.banned(seconds, self._wall())

    async def call(self, make: Callable[[], Awaitable[T]]) -> T:
        attempt = 0
        while True:
            try:
                return await self._once(make)
            except TransientError as exc:
                delay = self.policy.delay(exc, attempt, self._rng)
                if delay is None:
                    raise
                log.info("retrying source", extra={"source": self.name, "reason": exc.message,
                                                   "delay_s": round(delay, 3)})
                attempt += 1
                await self._sleep(delay)

    async def _once(self, make: Callable[[], Awaitable[T]]) -> T:
        if not self.breaker.allow():
            raise CircuitOpen(f"{self.name}'s circuit is open for another "
                              f"{self.breaker.retry_in():.0f} s after repeated failures")
        try:
            return await self._attempt(make)
        except (TransientError, asyncio.CancelledError):
            raise
        except Exception:  # the source answered with something we cannot read: its fault
            self.breaker.failure()
            raise
        finally:  # whatever ended the call (a cancellation included), a probe is over
            self.breaker.release()

    async def _attempt(self, make: Callable[[], Awaitable[T]]) -> T:
        await self.budget.acquire(max_wait=self.timeout)
        started = self._clock()
        try:
            result: T = await self._wait_for(make(), self.timeout)
        except TimeoutError:
            error: TransientError = SourceTimeout(
                f"{self.name} did not answer within {self.timeout:g} s")
            self._failed(error)
            raise error from None
        except SourceBanned as exc:
            seconds = exc.retry_after or self.breaker.cooldown
            self.apply_ban(seconds)
            self._failed(exc)
            raise
        except NoSourceAvailable:
            self.breaker.success()  # it answered: the pair is the problem, not the source
            raise
        except TransientError as exc:
            self._failed(exc)
            raise
        self.breaker.success()
        self.health.succeeded((self._clock() - started) * 1000, self._wall())
        return result

    def _failed(self, error: TransientError) -> None:
        self.health.failed(f"{error.code}: {error.message}", self._wall())
        if not isinstance(error, NOT_THE_SOURCES_FAULT):
            self.breaker.failure()
        else:
            self.breaker.success()
