"""End-to-end latency of a local analysis: POST /api/analysis until the live stream says
``completed``. Target: p50 < 300 ms. Prints p50/p95 over N requests (default 50)."""

from __future__ import annotations

import json
import statistics
import sys
import time

import requests

from bench.local_system import local_system

PAIRS = [("BTC/USDT", "1d"), ("ETH/USDT", "4h"), ("DOGE/USDT", "2h"), ("BTC/USDT", "4h")]


def one(url: str, token: str, symbol: str, timeframe: str) -> float:
    headers = {"Authorization": f"Bearer {token}"}
    start = time.perf_counter()
    created = requests.post(f"{url}/api/analysis", json={"symbol": symbol, "timeframe": timeframe},
                            headers=headers, timeout=10)
    created.raise_for_status()
    with requests.get(f"{url}/api/analysis/{created.json()['id']}/events", headers=headers,
                      stream=True, timeout=30) as stream:
        for line in stream.iter_lines(decode_unicode=True):
            if line.startswith("data: ") and json.loads(line[6:])["status"] == "completed":
                return time.perf_counter() - start
            if line.startswith("data: ") and json.loads(line[6:])["status"] == "failed":
                raise RuntimeError(f"analysis failed: {line}")
    raise RuntimeError("the stream ended before completion")


def main(count: int = 50) -> dict[str, float]:
    with local_system() as url:
        token = requests.post(f"{url}/api/auth/dev", json={"telegram_id": 1, "role": "admin"},
                               timeout=5).json()[
            "token"]
        one(url, token, "BTC/USDT", "1d")  # warm-up: first parse of the bundled candles
        times = [one(url, token, *PAIRS[i % len(PAIRS)]) for i in range(count)]
    times.sort()
    figures = {
        "requests": count,
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[int(0.95 * (count - 1))] * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
    }
    print(f"e2e analysis latency (local, {count} requests): p50 {figures['p50_ms']} ms, "
          f"p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms  [target p50 < 300 ms]")
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
