"""How often and how long to retry one source before the chain moves on."""

from __future__ import annotations

import random
from dataclasses import dataclass

from shared.errors import RateLimited
from shared.market.faults import (
    BudgetExhausted,
    CircuitOpen,
    EmptyResponse,
    SourceBanned,
    StaleData,
)

# Retrying at once cannot change these: the chain moves on to the next source instead.
NOT_RETRIED: tuple[type[Exception], ...] = (
    SourceBanned, CircuitOpen, BudgetExhausted, StaleData, EmptyResponse,
)
# About one pair, not about the source: they do not count against its circuit breaker.
NOT_THE_SOURCES_FAULT: tuple[type[Exception], ...] = (StaleData, EmptyResponse)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    base: float = 0.25
    cap: float = 4.0
    # A Retry-After longer than this sends the chain to the next source instead of waiting.
    max_retry_after: float = 5.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: uniform between 0 and the capped exponential step."""
        return rng.uniform(0.0, min(self.cap, self.base * 2 ** attempt))

    def delay(self, error: Exception, attempt: int, rng: random.Random) -> float | None:
        """Seconds to wait before the next attempt, or None when there should be none."""
        if attempt + 1 >= self.attempts or isinstance(error, NOT_RETRIED):
            return None
        if isinstance(error, RateLimited) and error.retry_after is not None:
            return error.retry_after if error.retry_after <= self.max_retry_after else None
        return self.backoff(attempt, rng)
