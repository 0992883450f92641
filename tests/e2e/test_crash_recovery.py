"""SIGKILL the local host mid-pipeline at several moments, restart it once each time: every
analysis ends completed with its chart and its notification within about one lease period
of the restart, without a second restart. The lease is short here (a setting)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from shared.bootstrap import Container
from shared.trackrecord import COLLECTION
from tests.conftest import ROOT, make_settings
from tests.e2e.conftest import free_port

LEASE = 2.0
SLACK = 20.0  # pipeline work after the redelivery, on a loaded 2-core machine
KILL_AFTER = (0.05, 0.4, 1.0)  # seconds after a batch of requests


class Host:
    def __init__(self, data: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PORT": str(self.port), "CHARTGENIUS_ENV": "local",
               "CHARTGENIUS_DEV_LOGIN": "1", "CHARTGENIUS_DATA_DIR": str(data),
               "CHARTGENIUS_BUS_LEASE_SECONDS": str(LEASE), "CHARTGENIUS_SCAN_SECONDS": "0",
               "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "local"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/health", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.kill()
        raise AssertionError("the local host did not start")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def queue(data: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(data / "bus.sqlite3") as db:
        return db.execute("SELECT topic, subscriber, state, attempts, last_error, lease_until "
                          "FROM queue").fetchall()


def finished(host: Host, headers: dict[str, str], ids: list[str]) -> list[str]:
    """The analyses that do not yet have a completed result, a chart and a notification."""
    notified = {n.get("analysis_id") for n in requests.get(
        f"{host.url}/api/notifications?limit=100", headers=headers, timeout=5).json()["items"]}
    missing = []
    for analysis_id in ids:
        doc = requests.get(f"{host.url}/api/analysis/{analysis_id}", headers=headers,
                           timeout=5).json()
        chart = requests.get(f"{host.url}/api/analysis/{analysis_id}/chart.png",
                             headers=headers, timeout=5)
        if doc["status"] != "completed" or chart.status_code != 200 or \
                analysis_id not in notified:
            missing.append(f"{analysis_id}: {doc['status']}, chart {chart.status_code}")
    return missing


def store_track_records(data: Path, track_records: dict[str, dict]) -> None:
    """The host's data folder holds the session's track records before its first start, so
    no start spends the pipeline's seconds recomputing them (a fresh one keeps them)."""
    ports = Container(make_settings(data))
    try:
        for key, doc in track_records.items():
            ports.store.set(COLLECTION, key, doc)
    finally:
        ports.store.close()  # type: ignore[attr-defined]


@pytest.mark.timeout(300)
def test_sigkill_mid_pipeline_loses_no_chart_and_no_notification(
        tmp_path: Path, track_records: dict[str, dict]) -> None:
    store_track_records(tmp_path, track_records)
    host = Host(tmp_path)
    ids: list[str] = []
    try:
        token = requests.post(f"{host.url}/api/auth/dev", timeout=5,
                              json={"telegram_id": 77, "role": "admin"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for kill_after in KILL_AFTER:
            for symbol in ("BTC/USDT", "ETH/USDT"):
                made = requests.post(f"{host.url}/api/analysis", headers=headers, timeout=10,
                                     json={"symbol": symbol, "timeframe": "2h"})
                assert made.status_code == 202, made.text
                ids.append(made.json()["id"])
            time.sleep(kill_after)
            host.kill()
            host = Host(tmp_path)  # the one restart
            restarted = time.monotonic()
            missing = finished(host, headers, ids)
            while missing and time.monotonic() - restarted < LEASE + SLACK:
                time.sleep(0.25)
                missing = finished(host, headers, ids)
            assert not missing, (f"after {time.monotonic() - restarted:.1f} s: {missing}; "
                                 f"bus: {queue(tmp_path)}")
    finally:
        host.kill()
