"""JSON logging with Cloud Logging's field names (``severity``, ``message``, trace).

The trace of the request or event being handled is kept in a context variable (``traced``):
from ``traceparent`` / ``X-Cloud-Trace-Context`` on an HTTP request, from the CloudEvent's
``traceparent`` or the Pub/Sub message's attribute for an event. Every line logged meanwhile
carries ``logging.googleapis.com/trace`` and ``spanId``, so Cloud Logging groups a request's
lines, and the bus forwards it to the next function (``delivery.encode``).
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)
# (trace id: 32 hex digits, span id: 16 hex digits or None)
trace_context: contextvars.ContextVar[tuple[str, str | None] | None] = contextvars.ContextVar(
    "trace_context", default=None
)
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")
_CLOUD_TRACE = re.compile(r"^([0-9a-fA-F]{32})(?:/(\d+))?")
_SECRET_HINTS = ("token", "secret", "password", "key", "authorization")
_RESERVED = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


_REMEMBERED: set[str] = set()
# a Telegram bot token (also inside a Bot API URL path: /bot<token>/sendMessage)
_BOT_TOKEN = re.compile(r"(?<![0-9])\d{6,12}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])")


def remember_secret(value: str) -> None:
    """A secret's value, to be cut out of every log line wherever it appears."""
    if len(value) >= 8:
        _REMEMBERED.add(value)


def scrub(text: str) -> str:
    """``text`` with every remembered secret and anything shaped like a bot token removed."""
    for value in _REMEMBERED:
        if value in text:
            text = text.replace(value, "[redacted]")
    return _BOT_TOKEN.sub("[redacted]", text)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra fields are kept, secret-looking ones redacted."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": record.levelname,
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        cid = correlation_id.get()
        if cid:
            entry["correlation_id"] = cid
        project = os.environ.get("GOOGLE_CLOUD_PROJECT")
        current = trace_context.get()
        trace = getattr(record, "trace", None) or (current[0] if current else None)
        if trace and project:
            entry["logging.googleapis.com/trace"] = f"projects/{project}/traces/{trace}"
            if current and current[1] and current[0] == trace:
                entry["logging.googleapis.com/spanId"] = current[1]
        for key, value in record.__dict__.items():
            if key in _RESERVED or key.startswith("_") or key == "trace":
                continue
            entry[key] = redact(key, value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return scrub(json.dumps(entry, default=str))  # access logs print URL paths too


def parse_trace(headers: Mapping[str, str]) -> tuple[str, str | None] | None:
    """(trace id, span id) from W3C ``traceparent`` or ``X-Cloud-Trace-Context``."""
    parent = _TRACEPARENT.match((headers.get("traceparent") or "").strip().lower())
    if parent and set(parent.group(1)) != {"0"}:
        return parent.group(1), parent.group(2)
    cloud = _CLOUD_TRACE.match((headers.get("X-Cloud-Trace-Context") or "").strip())
    if cloud:
        span = cloud.group(2)
        return cloud.group(1).lower(), (f"{int(span):016x}" if span and int(span) else None)
    return None


@contextmanager
def traced(headers: Mapping[str, str]) -> Iterator[None]:
    """Log with the trace these headers (or attributes) carry, until the block ends."""
    token = trace_context.set(parse_trace(headers))
    try:
        yield
    finally:
        trace_context.reset(token)


def traceparent() -> str | None:
    """The current trace as a W3C ``traceparent`` value (for messages published now)."""
    current = trace_context.get()
    if current is None:
        return None
    return f"00-{current[0]}-{current[1] or '0' * 15 + '1'}-01"


def redact(key: str, value: Any) -> Any:
    lowered = key.lower()
    if any(hint in lowered for hint in _SECRET_HINTS) and value:
        return "[redacted]"
    return value


def setup(level: str | None = None) -> None:
    """Install the JSON formatter on the root logger once."""
    root = logging.getLogger()
    if getattr(root, "_chartgenius", False):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.handlers[:] = [handler]
    root.setLevel(level or os.environ.get("LOG_LEVEL", "INFO"))
    root._chartgenius = True  # type: ignore[attr-defined]
