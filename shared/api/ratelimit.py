"""Request rate limits: a token bucket per caller, in this instance's memory.

Each API instance refills a caller's bucket at ``requests_per_minute / 60`` per second up to
``requests_per_minute`` (so a burst of a minute's worth is allowed). Being per instance, the
effective limit scales with the instance count — it protects against floods, while the
expensive resource (analyses) has the atomic, store-backed daily quota. See
docs/decisions/0042-rate-limits-per-instance.md.
"""

from __future__ import annotations

import threading
import time

from shared.errors import RateLimited
from shared.ports import DocumentStore
from shared.services.quotas import Limits, load_limits

MAX_BUCKETS = 50_000


class TokenBuckets:
    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, per_minute: int, now: float | None = None) -> None:
        """Take one token for ``key``; raises ``RateLimited`` with ``retry_after`` if none."""
        now = time.monotonic() if now is None else now
        rate = per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(key, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                raise RateLimited(
                    f"too many requests: the limit is {per_minute} per minute",
                    retry_after=(1.0 - tokens) / rate, details={"per_minute": per_minute},
                )
            if len(self._buckets) >= MAX_BUCKETS and key not in self._buckets:
                self._buckets.clear()  # bounded memory; a reset only ever lets callers in
            self._buckets[key] = (tokens - 1.0, now)

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()


class CachedLimits:
    """The limits settings document, re-read at most every ``ttl`` seconds."""

    def __init__(self) -> None:
        self._value: tuple[int, float, Limits] | None = None
        self._lock = threading.Lock()

    def get(self, store: DocumentStore, ttl: float) -> Limits:
        now = time.monotonic()
        with self._lock:
            cached = self._value
        if cached and cached[0] == id(store) and now - cached[1] < ttl:
            return cached[2]
        limits = load_limits(store)
        with self._lock:
            self._value = (id(store), now, limits)
        return limits

    def forget(self) -> None:
        with self._lock:
            self._value = None
