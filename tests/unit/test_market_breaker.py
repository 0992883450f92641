"""The circuit breaker, request budget and retry policy, on fake clocks (no sleeps)."""

from __future__ import annotations

import asyncio
import random

import pytest

from shared.errors import RateLimited
from shared.market.breaker import CircuitBreaker
from shared.market.budget import RequestBudget
from shared.market.faults import (
    BudgetExhausted,
    SourceBanned,
    SourceUnavailable,
    StaleData,
    retry_after_seconds,
)
from shared.market.retry import RetryPolicy


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_half_opens_and_closes() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(clock, failure_threshold=3, cooldown=30)
    for _ in range(2):
        assert breaker.allow()
        breaker.failure()
    assert breaker.state == "closed"
    breaker.failure()
    assert breaker.state == "open" and not breaker.allow()
    assert breaker.retry_in() == pytest.approx(30)
    clock.now += 29.9
    assert not breaker.allow()
    clock.now += 0.2
    assert breaker.state == "half_open"
    assert breaker.allow()  # the one probe
    assert not breaker.allow()  # nobody else while it runs
    breaker.success()
    assert breaker.state == "closed" and breaker.allow() and breaker.failures == 0


def test_failed_probe_opens_again() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(clock, failure_threshold=1, cooldown=10)
    breaker.failure()
    clock.now += 10
    assert breaker.allow()
    breaker.failure()
    assert breaker.state == "open" and breaker.retry_in() == pytest.approx(10)


def test_a_ban_holds_the_breaker_open_until_it_ends() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(clock, failure_threshold=5, cooldown=10)
    breaker.ban(600)
    clock.now += 599
    assert not breaker.allow()
    clock.now += 1
    assert breaker.allow()


def test_budget_spaces_requests_evenly() -> None:
    import asyncio

    clock = FakeClock()
    granted: list[float] = []

    async def sleep(seconds: float) -> None:
        clock.now += seconds
        await asyncio.sleep(0)

    budget = RequestBudget("x", per_second=10, clock=clock, sleep=sleep, headroom=1.0)

    async def one() -> None:
        await budget.acquire(max_wait=10)
        granted.append(clock.now)

    async def run() -> None:
        await asyncio.gather(*(one() for _ in range(25)))

    asyncio.run(run())
    gaps = [b - a for a, b in zip(granted, granted[1:], strict=False)]
    assert len(granted) == 25 and min(gaps) >= 0.1 - 1e-9
    assert granted[-1] - granted[0] == pytest.approx(2.4, abs=0.2)
    with pytest.raises(BudgetExhausted):
        for _ in range(3):
            budget._waiting = 20  # a long queue ahead
            asyncio.run(budget.acquire(max_wait=1.0))


def test_budget_keeps_headroom_under_the_limit() -> None:
    async def no_sleep(_: float) -> None:
        return None

    assert 1 / RequestBudget("x", 20, FakeClock(), no_sleep).interval == pytest.approx(19)
    # a slow allowance is kept too: CoinGecko's free 30 a minute, 2.1 s apart (not 1 s)
    assert RequestBudget("x", 0.5, FakeClock(), no_sleep).interval == pytest.approx(2.105, 1e-3)


def test_full_jitter_backoff_stays_within_its_cap() -> None:
    policy = RetryPolicy(attempts=3, base=1.0, cap=3.0)
    rng = random.Random(1)
    delays = [policy.backoff(attempt, rng) for attempt in (0, 1, 2, 3) for _ in range(50)]
    assert all(0 <= d <= 3.0 for d in delays)
    assert max(policy.backoff(0, rng) for _ in range(50)) <= 1.0


def test_retry_policy_decides_on_the_error_type() -> None:
    policy = RetryPolicy(attempts=3, max_retry_after=5)
    rng = random.Random(0)
    assert policy.delay(RateLimited("slow down", retry_after=2), 0, rng) == 2
    assert policy.delay(RateLimited("slow down", retry_after=60), 0, rng) is None
    assert policy.delay(SourceBanned("418", retry_after=60), 0, rng) is None
    assert policy.delay(StaleData("old"), 0, rng) is None
    assert policy.delay(SourceUnavailable("500"), 1, rng) is not None
    assert policy.delay(SourceUnavailable("500"), 2, rng) is None  # the third attempt was last


def test_retry_after_in_both_forms() -> None:
    from datetime import UTC, datetime

    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert retry_after_seconds({"Retry-After": "7"}, now) == 7
    assert retry_after_seconds({"retry-after": "Wed, 01 Jan 2025 00:01:00 GMT"}, now) == 60
    assert retry_after_seconds({"Retry-After": "soon"}, now) is None
    assert retry_after_seconds({}, now) is None


class Flaky:
    """A source whose next answer the test chooses (an exception or a value)."""

    name = "flaky"

    def __init__(self) -> None:
        self.next: BaseException | None = None

    async def fetch_price(self, symbol: str) -> float:
        if self.next is not None:
            raise self.next
        return 1.0


@pytest.mark.parametrize("probe_error", [KeyError("close"), asyncio.CancelledError()])
def test_a_probe_that_raises_anything_releases_the_half_open_breaker(
        probe_error: BaseException) -> None:
    from shared.market.resilient import ResilientSource

    clock = FakeClock()
    breaker = CircuitBreaker(clock, failure_threshold=1, cooldown=30)
    inner = Flaky()
    source = ResilientSource(inner, budget_per_second=1000, policy=RetryPolicy(attempts=1),
                             timeout=5, breaker=breaker, clock=clock)
    breaker.failure()
    clock.now += 31
    assert breaker.state == "half_open"
    inner.next = probe_error
    with pytest.raises(type(probe_error)):
        asyncio.run(source.fetch_price("BTC/USDT"))
    clock.now += 31  # a KeyError counts as the source's failure: open again, then half-open
    inner.next = None
    assert asyncio.run(source.fetch_price("BTC/USDT")) == 1.0  # a new probe went through
    assert breaker.state == "closed"
