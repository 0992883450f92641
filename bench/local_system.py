"""Starts ``python -m local`` in a fresh process on a free port and a temporary data folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def local_system() -> Iterator[str]:
    with local_process() as (url, _):
        yield url


@contextmanager
def local_process() -> Iterator[tuple[str, int]]:
    """The system's URL and its process id (to read its memory)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PORT": str(port), "CHARTGENIUS_DATA_DIR": data,
               "CHARTGENIUS_ENV": "local", "CHARTGENIUS_DEV_LOGIN": "1",
               "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}
        process = subprocess.Popen([sys.executable, "-m", "local"], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if requests.get(f"{url}/health", timeout=1).ok:
                        break
                except requests.ConnectionError:
                    time.sleep(0.05)
            else:
                raise RuntimeError("the local system did not start within 30 s")
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(timeout=10)
