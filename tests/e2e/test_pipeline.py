"""End to end through HTTP: request an analysis and watch it complete."""

from __future__ import annotations

import time

import numpy as np
import requests
import talib

from shared.market.replay import ReplaySource
from tests.conftest import ROOT
from tests.e2e.conftest import System


def wait_final(system: System, token: str, analysis_id: str, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        doc = requests.get(f"{system.url}/api/analysis/{analysis_id}",
                           headers={"Authorization": f"Bearer {token}"}, timeout=5).json()
        if doc["status"] in ("completed", "failed"):
            return doc
        time.sleep(0.02)
    raise AssertionError(f"analysis {analysis_id} did not finish: {doc}")


def test_btc_daily_analysis_completes_with_talib_rsi(system: System) -> None:
    token = system.token(role="admin")
    created = requests.post(f"{system.url}/api/analysis",
                            json={"symbol": "BTC/USDT", "timeframe": "1d"},
                            headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert created.status_code == 202
    doc = wait_final(system, token, created.json()["id"])
    assert doc["status"] == "completed", doc
    assert doc["progress"] == 100
    candles = ReplaySource(ROOT / "data" / "ohlcv").candles("BTC/USDT", "1d", 500)
    assert candles.unfinished_last  # the bundled last day is mid-day: it is left out
    expected = talib.RSI(np.asarray(candles.close[:-1]), timeperiod=14)[-1]
    assert abs(doc["result"]["indicators"]["rsi_14"] - expected) < 1e-9
    assert doc["result"]["price"] == candles.close[-2]  # the last closed day's close
    assert doc["result"]["closed_at"] == doc["result"]["as_of"] == "2025-08-26T00:00:00Z"
    assert doc["result"]["live_price"] == candles.close[-1]
    assert doc["result"]["source"] == "replay"
    assert [h["status"] for h in doc["history"]] == ["queued", "fetching", "analyzing",
                                                     "completed"]
