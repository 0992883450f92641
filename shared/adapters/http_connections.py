"""Keep-alive HTTP/1.1 connections to one origin, over the standard library's ``http.client``.

The Firestore and Bot API adapters call one origin each from many threads. A pool of
``http.client`` connections does that without ``requests``/``urllib3``, whose import would
cost a function's cold start 0.05–0.12 s of the 0.8 s it may take (decision 0117).

A connection goes back to the pool after a complete response the server did not mark
``Connection: close``; any failure closes it. A request on a pooled connection that the
server had already closed (idle keep-alive timeout) is sent once more on a fresh connection:
such a connection fails before the request is read, so nothing is sent twice. Every other
network failure, and a timeout, is a ``TransientError``.
"""

from __future__ import annotations

import http.client
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from shared.errors import InvalidInput, TransientError

_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str]  # lower-case names


class Connections:
    """A small pool of keep-alive connections to ``origin`` (``https://host[:port]``)."""

    def __init__(self, origin: str, *, timeout: float = 30.0, max_idle: int = 16) -> None:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(f"not an http(s) origin: {origin!r}")
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._timeout = timeout
        self._max_idle = max_idle
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None

    def request(
        self, method: str, path: str, *, body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Send one request and read the whole response."""
        connection, reused = self._take()
        try:
            return self._exchange(connection, method, path, body, headers or {})
        except _STALE:
            connection.close()
            if not reused:
                raise TransientError(f"{self.origin} closed the connection") from None
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise TransientError(f"{self.origin} unreachable ({type(exc).__name__})") from None
        fresh = self._new()
        try:
            return self._exchange(fresh, method, path, body, headers or {})
        except (OSError, http.client.HTTPException) as exc:
            fresh.close()
            raise TransientError(f"{self.origin} unreachable ({type(exc).__name__})") from None

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _exchange(
        self, connection: http.client.HTTPConnection, method: str, path: str,
        body: bytes | None, headers: dict[str, str],
    ) -> Response:
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        data = reply.read()
        names = {key.lower(): value for key, value in reply.getheaders()}
        if reply.will_close:
            connection.close()
        else:
            self._give(connection)
        return Response(reply.status, data, names)

    def _take(self) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        return self._new(), False

    def _give(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            if len(self._idle) < self._max_idle:
                self._idle.append(connection)
                return
        connection.close()

    def _new(self) -> http.client.HTTPConnection:
        if not self._https:
            return http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        return http.client.HTTPSConnection(self._host, self._port, timeout=self._timeout,
                                           context=self._tls_context())

    def _tls_context(self) -> ssl.SSLContext:
        with self._lock:
            if self._tls is None:  # loads the system's CA certificates: once, when first needed
                self._tls = ssl.create_default_context()
            return self._tls
