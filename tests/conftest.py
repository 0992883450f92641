"""Fixtures every test layer uses: isolated settings and wiring, and no real network."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared import bootstrap
from shared.config import Settings

ROOT = Path(__file__).resolve().parent.parent
# the tests run as "test" (CHARTGENIUS_ENV has no default; entry points refuse to start
# without it); a test that needs production or no environment sets its own
os.environ.setdefault("CHARTGENIUS_ENV", "test")
# The suite starts dozens of Python processes (the local host, the deploy rehearsal's
# functions, import probes), each importing the same libraries. Where the environment sets
# PYTHONDONTWRITEBYTECODE (container images often do), every one of them compiled every module
# from source again: about 16 s of CPU for the product's stack per process, 3 s from the
# caches. The run keeps the caches it compiles (in the gitignored __pycache__ folders), as a
# deployed function has them from its build.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the internet: only loopback connections are allowed."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6) \
                and not (host.startswith("127.") or host in ("localhost", "::1")):
            raise OSError(f"tests may not reach {host}: only loopback is allowed")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"env": "test", "dev_login": True, "data_dir": data_dir,
                                 "replay_dir": ROOT / "data" / "ohlcv"}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def ports(tmp_path: Path) -> Iterator[bootstrap.Container]:
    """A fresh embedded wiring in a temporary folder, installed as the global container."""
    container = bootstrap.Container(make_settings(tmp_path / "data"))
    bootstrap.reset(container)
    yield container
    bus = container.__dict__.get("bus")
    if bus is not None and hasattr(bus, "stop"):
        bus.stop()
    store = container.__dict__.get("store")
    if store is not None and hasattr(store, "close"):
        store.close()
    bootstrap.reset(None)
