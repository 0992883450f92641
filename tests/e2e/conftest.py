"""The whole local system on a free port, as ``make run`` starts it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
import requests
from werkzeug.serving import BaseWSGIServer

from local.__main__ import build_server
from shared.bootstrap import Container
from shared.services.track_record import parse_pairs, refresh_after_scan
from shared.trackrecord import COLLECTION, doc_id
from tests.conftest import make_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@dataclass
class System:
    url: str
    ports: Container

    def token(self, telegram_id: int = 1, role: str = "user") -> str:
        response = requests.post(f"{self.url}/api/auth/dev",
                                 json={"telegram_id": telegram_id, "role": role}, timeout=5)
        response.raise_for_status()
        return str(response.json()["token"])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# How often a serving thread checks for shutdown: the default half second was paid by every
# test's teardown (``server.shutdown()`` waits for the loop to notice).
POLL_SECONDS = 0.02


def serve(server: BaseWSGIServer) -> threading.Thread:
    """Serve on a daemon thread; ``server.shutdown()`` returns within ``POLL_SECONDS``."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_SECONDS},
                              daemon=True)
    thread.start()
    return thread


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "host_computes_track_record: the system starts with no track record, so "
        "the test sees the local host compute and publish it")


@pytest.fixture(scope="session")
def track_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The track records the local host publishes at start, computed once for the session.

    Every system starts with them stored (younger than a day, so the host keeps them):
    otherwise each test's host would recompute them on a background thread that outlives
    the test and slows the next ones down. A test that checks the computation itself is
    marked ``host_computes_track_record``."""
    scratch = Container(make_settings(tmp_path_factory.mktemp("track-records")))
    try:
        refresh_after_scan(scratch)
        return {key: doc for key in (doc_id(symbol, timeframe) for symbol, timeframe
                                     in parse_pairs(scratch.settings.track_record_pairs))
                if (doc := scratch.store.get(COLLECTION, key)) is not None}
    finally:
        scratch.store.close()  # type: ignore[attr-defined]


def publish_track_records(request: pytest.FixtureRequest, ports: Container) -> None:
    """Store the session's track records in a system about to start (unless the test is
    marked ``host_computes_track_record``)."""
    if request.node.get_closest_marker("host_computes_track_record") is None:
        for key, doc in request.getfixturevalue("track_records").items():
            ports.store.set(COLLECTION, key, doc)


@pytest.fixture
def system(request: pytest.FixtureRequest, ports: Container) -> Iterator[System]:
    publish_track_records(request, ports)
    port = free_port()
    server, host = build_server(ports, "127.0.0.1", port)
    serve(server)
    yield System(url=f"http://127.0.0.1:{port}", ports=ports)
    server.shutdown()
    host.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for a browser-test module (Playwright is loaded only by those)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.web_browser import launch

    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()
