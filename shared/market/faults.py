"""The market sources' own error types, each a kind of the product's error tree.

Adapters translate library and HTTP failures into these at the edge; the resilience layer and
the chain decide on the type alone (retry, wait, ban, skip), never on a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from shared.errors import NoSourceAvailable, RateLimited, TransientError


class SourceUnavailable(TransientError):
    """A 5xx, a refused connection: the source is down for now."""

    code = "source_unavailable"


class SourceTimeout(TransientError):
    code = "source_timeout"


class BadResponse(TransientError):
    """Malformed JSON or candles that fail validation; another source may do better."""

    code = "bad_response"


class EmptyResponse(TransientError):
    code = "empty_response"


class StaleData(TransientError):
    """The newest candle is older than two periods."""

    code = "stale_data"


class SourceBanned(RateLimited):
    """HTTP 418: the source banned this client; no call until ``retry_after`` has passed."""

    code = "source_banned"


class CircuitOpen(TransientError):
    code = "circuit_open"


class BudgetExhausted(RateLimited):
    """Waiting for the source's request budget would take longer than the call may."""

    code = "budget_exhausted"


class UnknownSymbol(NoSourceAvailable):
    code = "unknown_symbol"


def retry_after_seconds(headers: Mapping[str, str] | None, now: datetime) -> float | None:
    """``Retry-After`` in seconds, from either of its forms (delta seconds or HTTP date)."""
    if not headers:
        return None
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


def for_status(source: str, status: int, retry_after: float | None, body: str) -> Exception:
    """The error an HTTP status means, for adapters that speak HTTP themselves."""
    excerpt = body[:200]
    if status == 418:
        return SourceBanned(f"{source} banned this client (HTTP 418)",
                            retry_after=retry_after if retry_after is not None else 120.0)
    if status == 429:
        return RateLimited(f"{source} rate limit hit (HTTP 429)", retry_after=retry_after)
    if status >= 500:
        return SourceUnavailable(f"{source} answered HTTP {status}")
    if status in (400, 404):
        return UnknownSymbol(f"{source} refused the request (HTTP {status}: {excerpt})")
    return SourceUnavailable(f"{source} answered HTTP {status}: {excerpt}")
