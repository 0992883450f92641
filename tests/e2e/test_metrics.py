"""/metrics shows the whole pipeline: locally every function runs in one process."""

from __future__ import annotations

import re

import requests

from tests.e2e.conftest import System
from tests.e2e.test_pipeline import wait_final


def sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_pipeline_counters_move(system: System) -> None:
    before = requests.get(f"{system.url}/metrics", timeout=5).text
    token = system.token(role="admin")
    for symbol in ("BTC/USDT", "XRP/USDT"):
        made = requests.post(f"{system.url}/api/analysis", timeout=5,
                             json={"symbol": symbol, "timeframe": "1d"},
                             headers={"Authorization": f"Bearer {token}"}).json()
        wait_final(system, token, made["id"])
    after = requests.get(f"{system.url}/metrics", timeout=5).text
    assert re.search(r"^# TYPE chartgenius_analyses_total counter", after, re.M)
    for status in ("completed", "failed", "fetching", "analyzing"):
        name = "chartgenius_analyses_total"
        assert sample(after, name, status=status) > sample(before, name, status=status), status
    assert sample(after, "chartgenius_llm_tokens_total", provider="rule_based", kind="output") \
        >= sample(before, "chartgenius_llm_tokens_total", provider="rule_based", kind="output")
    fallbacks = "chartgenius_market_source_fallbacks_total"
    assert sample(after, fallbacks, source="replay", reason="skipped") > \
        sample(before, fallbacks, source="replay", reason="skipped")  # XRP: replay lacks it
