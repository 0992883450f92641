"""The error tree every part raises.

``TransientError`` makes the bus redeliver (Pub/Sub retries with backoff, then the
dead-letter topic). ``PermanentError`` marks the work failed with a clear reason and the
message is acknowledged. ``InvalidInput`` is a permanent error caused by the caller and maps
to a 4xx in the API.
"""

from __future__ import annotations

from typing import Any


class ChartGeniusError(Exception):
    """Base of every error the product raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class TransientError(ChartGeniusError):
    """Worth retrying: a timeout, a rate limit, a source that is down for now."""

    code = "transient"


class PermanentError(ChartGeniusError):
    """Retrying cannot help: the work fails with this reason."""

    code = "permanent"


class InvalidInput(PermanentError):
    code = "invalid_input"


class NotFound(PermanentError):
    code = "not_found"


class Unauthorized(PermanentError):
    code = "unauthorized"


class Forbidden(PermanentError):
    code = "forbidden"


class Conflict(PermanentError):
    """A create-if-absent found the document, or a precondition did not hold."""

    code = "conflict"


class PreconditionFailed(Conflict):
    code = "precondition_failed"


class RateLimited(TransientError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class NoSourceAvailable(PermanentError):
    """No market source in the chain can serve the symbol and timeframe."""

    code = "no_source"
