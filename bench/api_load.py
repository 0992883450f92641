"""API throughput and p99 under a local load generator, and the api function's cold import.

Starts ``python -m local`` (bench/local_system.py), signs in as an admin, raises the limits
so the load is not refused, then drives ``GET /api/analysis/{id}`` and ``POST /api/analysis``
from a bounded thread pool against 127.0.0.1. Prints requests/s and p50/p99 latency.
Usage: ``PYTHONPATH=. python bench/api_load.py [requests] [threads]``.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.cold_import import measure
from bench.local_system import local_system

HIGH = {"daily_analyses": None, "requests_per_minute": 100_000, "watch_items": 10}
_local = threading.local()


def session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session  # type: ignore[no-any-return]


def load(name: str, call: Callable[[], int], count: int, threads: int) -> dict[str, float]:
    def timed(_: int) -> tuple[float, int]:
        start = time.perf_counter()
        status = call()
        return time.perf_counter() - start, status

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(timed, range(count)))
    elapsed = time.perf_counter() - began
    times = sorted(t for t, _ in results)
    bad = sum(1 for _, s in results if s >= 400)
    figures = {"rps": round(count / elapsed, 1),
               "p50_ms": round(statistics.median(times) * 1000, 1),
               "p99_ms": round(times[int(0.99 * (count - 1))] * 1000, 1), "errors": bad}
    print(f"{name:28s} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:6.1f} ms  "
          f"p99 {figures['p99_ms']:6.1f} ms  errors {bad}/{count}  ({threads} threads)")
    return figures


def main(count: int = 1000, threads: int = 8) -> dict[str, object]:
    with local_system() as url:
        token = requests.post(f"{url}/api/auth/dev", json={"telegram_id": 77, "role": "admin"},
                              timeout=5).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        limits = {role: HIGH for role in ("user", "premium", "vip", "admin")}
        requests.put(f"{url}/api/admin/limits", json=limits, headers=headers,
                     timeout=5).raise_for_status()
        body = {"symbol": "BTC/USDT", "timeframe": "1d"}
        analysis_id = requests.post(f"{url}/api/analysis", json=body, headers=headers,
                                    timeout=5).json()["id"]
        time.sleep(11)  # the limits cache (10 s) picks up the raised rate limit

        def get() -> int:
            return session().get(f"{url}/api/analysis/{analysis_id}", headers=headers,
                                 timeout=10).status_code

        def post() -> int:
            return session().post(f"{url}/api/analysis", json=body, headers=headers,
                                  timeout=10).status_code

        figures: dict[str, object] = {
            "get": load("GET /api/analysis/{id}", get, count, threads),
            "post": load("POST /api/analysis", post, max(50, count // 4), threads),
        }
    ms, _ = measure("api", 5)
    print(f"cold import api               {ms:7.1f} ms  [target < 400 ms]")
    figures["cold_import_ms"] = round(ms, 1)
    return figures


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
