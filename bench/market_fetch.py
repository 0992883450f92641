"""A market scan against a rate-limited exchange: 200 symbols on one timeframe from a local
fake Binance (its own process) that allows 20 requests/s and answers 429 beyond that.

Prints symbols/s as a share of the allowed rate (target >= 90 %, zero 429s) and the
client's peak memory (RSS). Then three fetcher instances (processes, each with its own sources
and event loop) fetch 150 symbols between them at once: with the request budgets booked in
one store (as deployed, decision 0116) and, for comparison, with each instance counting its
own.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.local_system import ROOT
from shared.adapters.sqlite_store import SqliteDocumentStore
from shared.config import Settings
from shared.market.budget import shared_budgets
from shared.market.chain import Fetched
from shared.market.sources import build_sources
from shared.services.fetch_market import fetch_candles

ALLOWED_PER_SECOND = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_fake(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "tests.integration.fake_exchanges", str(port),
         json.dumps({"binance": ALLOWED_PER_SECOND})], cwd=ROOT)
    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{port}/_stats", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("the fake exchange did not start")


def fake_binance(port: int, folder: Path) -> Settings:
    """Settings with the fake Binance, at its allowance, as the only source."""
    return Settings(env="test", data_dir=folder, market_sources=["binance"],
                    market_urls={"binance": f"http://127.0.0.1:{port}/binance"},
                    market_rate_limits={"binance": ALLOWED_PER_SECOND})


def scan(port: int, symbols: list[str], folder: Path) -> tuple[int, float]:
    settings = fake_binance(port, folder)
    store = SqliteDocumentStore(folder / "store.sqlite3")
    import ccxt.async_support  # noqa: F401 - a warm instance: its one-off import is not timed

    start = time.perf_counter()
    results = asyncio.run(fetch_candles(store, build_sources(settings), symbols, "1h", 500,
                                        use_cache=False, concurrency=16, keep_errors=True))
    elapsed = time.perf_counter() - start
    store.close()
    return sum(isinstance(r, Fetched) for r in results), elapsed


def _instance(port: int, symbols: list[str], folder: str, shared: bool) -> int:
    """One fetcher instance in its own process: its own sources, event loop and store client."""
    settings = fake_binance(port, Path(folder))
    store = SqliteDocumentStore(Path(folder) / f"instances-{shared}.sqlite3")
    budgets = shared_budgets(store) if shared else None
    results = asyncio.run(fetch_candles(store, build_sources(settings, budgets=budgets), symbols,
                                        "1h", 500, use_cache=False, concurrency=16,
                                        keep_errors=True))
    store.close()
    return sum(isinstance(r, Fetched) for r in results)


def three_instances(port: int, symbols: list[str], folder: Path, shared: bool
                    ) -> dict[str, float]:
    before = requests.get(f"http://127.0.0.1:{port}/_stats", timeout=5).json()
    import ccxt.async_support  # noqa: F401 - imported before the fork: warm instances

    with multiprocessing.get_context("fork").Pool(3) as pool:
        start = time.perf_counter()
        served = pool.starmap(_instance, [(port, symbols[n::3], str(folder), shared)
                                          for n in range(3)])
        elapsed = time.perf_counter() - start
    after = requests.get(f"http://127.0.0.1:{port}/_stats", timeout=5).json()
    too_many = after["too_many"].get("binance", 0) - before["too_many"].get("binance", 0)
    return {"served": sum(served), "seconds": elapsed, "http_429": too_many,
            "rate": sum(served) / elapsed}


def main(count: int = 200) -> dict[str, float]:
    port = free_port()
    fake = start_fake(port)
    try:
        with tempfile.TemporaryDirectory() as folder:
            served, elapsed = scan(port, [f"BTC{i}/USDT" for i in range(count)], Path(folder))
            stats = requests.get(f"http://127.0.0.1:{port}/_stats", timeout=5).json()
            pairs = [f"ETH{i}/USDT" for i in range(150)]
            together = {shared: three_instances(port, pairs, Path(folder), shared)
                        for shared in (True, False)}
    finally:
        fake.terminate()
        fake.wait(5)
    figures = {
        "symbols": count, "served": served, "seconds": round(elapsed, 2),
        "symbols_per_s": round(served / elapsed, 2),
        "share_of_allowed": round(served / elapsed / ALLOWED_PER_SECOND, 3),
        "http_429": stats["too_many"].get("binance", 0),
        "requests": stats["requests"].get("binance", 0),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(f"market scan: {served}/{count} symbols in {figures['seconds']} s = "
          f"{figures['symbols_per_s']} symbols/s, {figures['share_of_allowed']:.1%} of the "
          f"allowed {ALLOWED_PER_SECOND} req/s [target >= 90%], {figures['http_429']} HTTP 429 "
          f"[target 0], {figures['requests']} requests; peak memory {figures['max_rss_mb']} MB "
          f"RSS")
    for shared, label in ((True, "budgets shared in the store"),
                          (False, "each counting its own (before)")):
        f = together[shared]
        print(f"3 fetcher instances, {label}: {f['served']}/150 symbols in {f['seconds']:.2f} s "
              f"= {f['rate']:.1f} symbols/s combined [allowed {ALLOWED_PER_SECOND} req/s], "
              f"{f['http_429']} HTTP 429" + (" [target 0]" if shared else ""))
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
