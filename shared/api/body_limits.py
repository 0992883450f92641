"""Request bodies read from the stream with a hard limit, before any parsing or sign-in.

A ``Content-Length`` above the limit is refused without reading; a chunked body (or any body
whose length the client does not state) is read in small pieces and refused as soon as it
passes the limit, so memory per request stays below the limit whatever the client sends.
The body that fits is put back into the environ as a buffer with its real length, so
everything after (Flask, functions-framework's own final read) sees a plain, bounded body.

``BodyLimit`` is the same as WSGI middleware (the local host puts it in front of every app);
``shared/api/dispatch.py`` applies it to what functions-framework hands the API in production.
JSON bodies are also bounded in depth (``loads``), so deep nesting is a 400, not a
RecursionError.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import socket
from collections.abc import Callable, Iterable
from typing import Any

from shared.errors import InvalidInput

CHUNK = 16 * 1024
DRAIN_BYTES = 1024 * 1024  # a refused declared body up to this size is drained (413 seen)
MAX_JSON_DEPTH = 32
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"the body is larger than {limit} bytes")
        self.limit = limit


def _declared_length(environ: dict[str, Any]) -> int | None:
    raw = environ.get("CONTENT_LENGTH") or ""
    try:
        return max(0, int(raw)) if raw.strip() else None
    except ValueError:
        return None


def _read_bounded(stream: Any, wanted: int) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < wanted:
        chunk = stream.read(min(CHUNK, wanted - got))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def buffer_body(environ: dict[str, Any], limit: int) -> bytes:
    """The body (at most ``limit`` bytes), left in ``environ`` as a buffer; raises
    ``BodyTooLarge`` as soon as the body is known to be longer (the environ then holds an
    empty body, so nothing later reads the rest of the upload)."""
    data = b""
    try:
        data = _take(environ, limit)
        return data
    finally:
        environ["wsgi.input"] = io.BytesIO(data)
        environ["CONTENT_LENGTH"] = str(len(data))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ.pop("wsgi.input_terminated", None)


def _take(environ: dict[str, Any], limit: int) -> bytes:
    declared = _declared_length(environ)
    if declared is not None and declared > limit:
        raise BodyTooLarge(limit)
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    if declared is not None and not chunked:
        return _read_bounded(stream, declared)
    if chunked or environ.get("wsgi.input_terminated"):
        data = _read_bounded(stream, limit + 1)
        if len(data) > limit:
            raise BodyTooLarge(limit)
        return data
    return b""  # no length and an unterminated stream: no body can be read safely


def too_large_body(limit: int) -> bytes:
    return json.dumps({"error": {"code": "request_entity_too_large",
                                 "message": f"the body is larger than {limit} bytes",
                                 "details": {"limit_bytes": limit}}}).encode()


StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class BodyLimit:
    """WSGI middleware: ``limit_for(path)`` bytes at most per request body, else 413 (and the
    connection is closed, so the rest of the upload is never read)."""

    def __init__(self, app: WSGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        limit = self.limit_for(environ.get("PATH_INFO", "/"))
        declared = _declared_length(environ)
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            declared = None
        try:
            buffer_body(environ, limit)
        except BodyTooLarge:
            if declared is None or declared > DRAIN_BYTES:
                _stop_reading(environ)
            body = too_large_body(limit)
            start_response("413 Request Entity Too Large", [
                ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                ("Connection", "close")])
            return [body]
        return self.app(environ, start_response)


def _stop_reading(environ: dict[str, Any]) -> None:
    """Werkzeug's development server drains what a refused client still sends (10 MB at a
    time, up to 10 GB) so that it sees the 413; shutting the socket's read side ends that
    at once (such a client sees the connection close). A declared body a little over the
    limit is left to drain, so an ordinary client reads its 413. Servers that do not drain
    (gunicorn) give no socket here."""
    connection = environ.get("werkzeug.socket")
    if connection is not None:
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RD)


def json_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in ``data`` (strings skipped), without parsing."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS.sub(b"", data)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads(data: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``data`` as JSON, or ``InvalidInput`` with the reason (not JSON, nested too deeply)."""
    if json_depth(data) > max_depth:
        raise InvalidInput(f"the JSON body nests deeper than {max_depth} levels",
                           details={"max_depth": max_depth})
    try:
        return json.loads(data, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput("the body is not valid JSON") from exc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python accepts them, JSON not


def whole_numbers_as_integers(value: Any) -> Any:
    """``value`` with every float that is a whole number (``3.0``) as an int: JSON Schema
    counts 3.0 as an integer, so a strict integer field must take it (never a boolean)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [whole_numbers_as_integers(v) for v in value]
    if isinstance(value, dict):
        return {k: whole_numbers_as_integers(v) for k, v in value.items()}
    return value
