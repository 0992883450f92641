"""A scheduled scan at production size: 500 pairs × 2 timeframes against local fake exchanges.

The fakes run in their own process and answer 429 beyond each exchange's allowed rate. The
scan is the real ``scan_market``: one tickers call lists the universe (the top 500 by quote
volume), the screener ranks it on 4h, and 500 watch items (one RSI rule each) are judged on
1h — 1,000 candle fetches through the source chain, paced to the scan's share of each
budget. Prints the wall time, each exchange's share of its allowed rate used while the scan
ran (target ≤ 50 %, zero 429), and the peak memory (RSS).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.local_system import ROOT
from bench.market_fetch import free_port
from shared.adapters.sqlite_store import SqliteDocumentStore
from shared.config import Settings
from shared.events import MarketScanRequested
from shared.market.sources import build_sources
from shared.models import utcnow
from shared.services.fetch_market import scan_market
from shared.services.watchlist import WatchItem

PAIRS = 500
ALLOWED = {"binance": 50, "bybit": 20}  # requests/s each fake allows (Binance: 6,000 weight/min)
CHAIN = ["binance", "bybit"]


def start_fakes(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "tests.integration.fake_exchanges", str(port),
         json.dumps(ALLOWED), str(PAIRS)], cwd=ROOT)
    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{port}/_stats", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("the fake exchanges did not start")


def watch_items(store: SqliteDocumentStore) -> None:
    now = utcnow().isoformat()
    for i in range(PAIRS):
        item = WatchItem.model_validate({
            "id": f"w{i:04d}", "user_id": str(1000 + i % 50), "symbol": f"BTC{i:03d}/USDT",
            "timeframe": "1h", "rules": [{"kind": "rsi_below", "value": 30}],
            "created_at": now, "updated_at": now})
        store.set("watch_items", item.id, item.model_dump(mode="json"))


def run_scan(port: int, folder: Path) -> tuple[float, dict[str, object]]:
    settings = Settings(env="test", data_dir=folder, market_sources=CHAIN,
                        market_urls={n: f"http://127.0.0.1:{port}/{n}" for n in CHAIN},
                        market_rate_limits={n: float(r) for n, r in ALLOWED.items()})
    store = SqliteDocumentStore(folder / "store.sqlite3")
    watch_items(store)
    import ccxt.async_support  # noqa: F401 - a warm instance: its one-off import is not timed
    import talib  # noqa: F401

    event = MarketScanRequested(correlation_id="bench", scan_id="bench", symbols=[],
                                timeframe="4h")
    start = time.perf_counter()
    scan_market(store, _NoBus(), build_sources(settings), event, 250, use_cache=False,
                concurrency=settings.market_scan_concurrency, screener_size=PAIRS,
                budget_share=settings.scan_budget_share)
    elapsed = time.perf_counter() - start
    record = store.get("scans", "bench") or {}
    store.close()
    return elapsed, record


class _NoBus:
    def publish(self, event: object) -> str:
        return "dropped"


def main() -> dict[str, object]:
    port = free_port()
    fakes = start_fakes(port)
    try:
        with tempfile.TemporaryDirectory() as folder:
            elapsed, record = run_scan(port, Path(folder))
        stats = requests.get(f"http://127.0.0.1:{port}/_stats", timeout=5).json()
    finally:
        fakes.terminate()
        fakes.wait(5)
    pairs = record.get("pairs", {})
    served = sum(str(v).startswith("served") for v in pairs.values())  # type: ignore[union-attr]
    shares = {name: round(stats["requests"].get(name, 0) / elapsed / allowed, 3)
              for name, allowed in ALLOWED.items()}
    figures: dict[str, object] = {
        "pairs": PAIRS, "timeframes": 2, "fetched": served, "seconds": round(elapsed, 1),
        "requests": dict(stats["requests"]), "share_of_allowed": shares,
        "http_429": dict(stats["too_many"]), "screener": record.get("screener"),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    share_text = ", ".join(f"{n} {s:.1%} of {ALLOWED[n]} req/s" for n, s in shares.items())
    sys.stdout.write(
        f"scheduled scan: {served}/{PAIRS * 2} pair-timeframes in {figures['seconds']} s; "
        f"budget used: {share_text} [target <= 50%]; HTTP 429: "
        f"{sum(stats['too_many'].values())} [target 0]; screener {record.get('screener')}; "
        f"peak memory {figures['max_rss_mb']} MB RSS\n")
    return figures


if __name__ == "__main__":
    main()
