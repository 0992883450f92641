"""JSON logging with Cloud Logging's field names (``severity``, ``message``, trace)."""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
from datetime import UTC, datetime
from typing import Any

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)
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
        trace = getattr(record, "trace", None)
        if trace and project:
            entry["logging.googleapis.com/trace"] = f"projects/{project}/traces/{trace}"
        for key, value in record.__dict__.items():
            if key in _RESERVED or key.startswith("_") or key == "trace":
                continue
            entry[key] = redact(key, value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return scrub(json.dumps(entry, default=str))  # access logs print URL paths too


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
