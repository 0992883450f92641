"""Keep-alive connections: reuse, a stale pooled connection, and failures as TransientError."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from shared.adapters.http_connections import Connections
from shared.errors import InvalidInput, TransientError

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


class RawServer:
    """Serves each accepted connection with ``behaviour(conn, index)``, on its own thread."""

    def __init__(self, behaviour: Callable[[socket.socket, int], None]) -> None:
        self.accepted = 0
        self.requests: list[bytes] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._behaviour = behaviour
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def read_request(self, conn: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        self.requests.append(data)
        return data

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            index, self.accepted = self.accepted, self.accepted + 1
            threading.Thread(target=self._behaviour, args=(conn, index), daemon=True).start()

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[socket.socket, int], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(behaviour: Callable[[socket.socket, int], None]) -> RawServer:
        servers.append(RawServer(behaviour))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def test_one_connection_serves_consecutive_requests(serve) -> None:
    def keep_alive(conn: socket.socket, _index: int) -> None:
        with conn:
            while server.read_request(conn).endswith(b"\r\n\r\n"):
                conn.sendall(OK)

    server = serve(keep_alive)
    pool = Connections(server.origin)
    replies = [pool.request("GET", f"/{n}") for n in range(3)]
    assert [(r.status, r.body) for r in replies] == [(200, b"ok")] * 3
    assert replies[0].headers["content-type"] == "text/plain"
    assert server.accepted == 1
    pool.close()


def test_a_connection_the_server_closed_while_idle_is_replaced(serve) -> None:
    def one_answer_then_close(conn: socket.socket, _index: int) -> None:
        with conn:  # keep-alive promised, then closed: an idle timeout
            server.read_request(conn)
            conn.sendall(OK)

    server = serve(one_answer_then_close)
    pool = Connections(server.origin)
    assert pool.request("GET", "/a").body == b"ok"
    assert pool.request("POST", "/b", body=b"{}").body == b"ok"
    assert server.accepted == 2
    assert [request.split(b" ")[1] for request in server.requests] == [b"/a", b"/b"]


def test_a_fresh_connection_closed_without_an_answer_is_transient(serve) -> None:
    def hang_up(conn: socket.socket, _index: int) -> None:
        server.read_request(conn)
        conn.close()

    server = serve(hang_up)
    with pytest.raises(TransientError, match="closed the connection"):
        Connections(server.origin).request("GET", "/")
    assert server.accepted == 1  # not sent twice


def test_a_server_that_does_not_answer_in_time_is_transient(serve) -> None:
    release = threading.Event()

    def silent(conn: socket.socket, _index: int) -> None:
        server.read_request(conn)
        release.wait(5)
        conn.close()

    server = serve(silent)
    with pytest.raises(TransientError, match="unreachable"):
        Connections(server.origin, timeout=0.2).request("GET", "/")
    release.set()


def test_only_http_origins_are_accepted() -> None:
    with pytest.raises(InvalidInput):
        Connections("ftp://example.com")
