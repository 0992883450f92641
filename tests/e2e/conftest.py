"""The whole local system on a free port, as ``make run`` starts it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
import requests

from local.__main__ import build_server
from shared.bootstrap import Container

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


@pytest.fixture
def system(ports: Container) -> Iterator[System]:
    port = free_port()
    server, host = build_server(ports, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
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
