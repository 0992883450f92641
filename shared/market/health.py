"""Per-source call statistics, and their documents in ``market_health/{source}``.

The statistics live in the instance that made the calls; market_fetcher saves them after each
fetch so that the API (another instance in production) can report them, and so that a ban
one instance received (HTTP 418) is honoured by every other.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.models import iso

COLLECTION = "market_health"
WINDOW = 100


@dataclass
class SourceHealth:
    name: str
    latencies_ms: deque[float] = field(default_factory=lambda: deque(maxlen=WINDOW))
    outcomes: deque[bool] = field(default_factory=lambda: deque(maxlen=WINDOW))
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    banned_until: datetime | None = None
    calls: int = 0

    def succeeded(self, latency_ms: float, at: datetime) -> None:
        self.calls += 1
        self.latencies_ms.append(latency_ms)
        self.outcomes.append(True)
        self.last_success = at

    def failed(self, reason: str, at: datetime) -> None:
        self.calls += 1
        self.outcomes.append(False)
        self.last_error, self.last_error_at = reason, at

    def banned(self, seconds: float, at: datetime) -> None:
        self.banned_until = at + timedelta(seconds=seconds)

    def document(self, state: str) -> dict[str, Any]:
        return {
            "source": self.name,
            "state": state,
            "last_success": iso(self.last_success) if self.last_success else None,
            "last_error": self.last_error,
            "last_error_at": iso(self.last_error_at) if self.last_error_at else None,
            "banned_until": iso(self.banned_until) if self.banned_until else None,
            "latency_p50_ms": round(statistics.median(self.latencies_ms), 1)
            if self.latencies_ms else None,
            "success_rate": round(sum(self.outcomes) / len(self.outcomes), 3)
            if self.outcomes else None,
            "calls": self.calls,
        }


def empty_document(name: str) -> dict[str, Any]:
    return SourceHealth(name).document("closed")
