"""Each source against a local fake exchange in its real wire format, and each fault.

Every fault moves the chain on to the next source, with the reason recorded. Time is fake:
retries and Retry-After waits are recorded, not slept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.market.chain import fetch_with_fallback
from shared.market.sources import build_source
from shared.ports import MarketSource
from tests.conftest import make_settings
from tests.integration.fake_exchanges import FakeExchanges, candles, running_fake_exchanges

EXCHANGES = ("binance", "coinbase", "kraken", "bybit")
FAULTS = ("429", "418", "500", "timeout", "malformed", "empty", "unknown", "stale")


@pytest.fixture(scope="module")
def fakes() -> Iterator[FakeExchanges]:
    with running_fake_exchanges() as running:
        yield running


@pytest.fixture(autouse=True)
def _clean(fakes: FakeExchanges) -> None:
    fakes.faults.clear()
    fakes.requests.clear()


class FakeTime:
    """Fake time for one source: sleeps are recorded, and its per-call timeout fires when
    (and only when) the fake exchange holds that source's request without answering — so
    a slow machine never turns an answer into a timeout, nor a timeout into an answer."""

    def __init__(self) -> None:
        self.now, self.slept = 0.0, []  # type: ignore[var-annotated]
        self.fakes: FakeExchanges | None = None
        self.name = ""

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def wait_for(self, call: Awaitable[Any], timeout: float) -> Any:
        task = asyncio.ensure_future(call)
        held = self.fakes.hanging[self.name] if self.fakes else 0
        while not task.done():
            if self.fakes and self.fakes.hanging[self.name] > held:
                task.cancel()
                self.now += timeout
                raise TimeoutError
            await asyncio.wait({task}, timeout=0.01)
        return task.result()


def source(fakes: FakeExchanges, name: str, time: FakeTime, tmp: Path) -> Any:
    settings = make_settings(tmp, market_urls=fakes.urls(), market_timeout_seconds=0.4,
                             market_sources=[name], market_rate_limits={name: 1000})
    time.fakes, time.name = fakes, name
    return build_source(name, settings, clock=time.clock, sleep=time.sleep,
                        wait_for=time.wait_for)


def fetch(chain: list[Any], symbol: str = "BTC/USDT", timeframe: str = "1h") -> Any:
    async def run() -> Any:
        try:
            return await fetch_with_fallback(chain, symbol, timeframe, 250)
        finally:
            for s in chain:
                await s.aclose()
    return asyncio.run(run())


@pytest.mark.parametrize("name", EXCHANGES)
def test_each_exchange_is_read_in_its_wire_format(fakes, name: str, tmp_path: Path) -> None:
    got = fetch([source(fakes, name, FakeTime(), tmp_path)])
    assert got.source == name and got.candles.unfinished_last
    expected = candles({"binance": "BTCUSDT", "coinbase": "BTC-USDT", "kraken": "XBTUSDT",
                        "bybit": "BTCUSDT"}[name], 3600,
                       {"coinbase": 300, "kraken": 720}.get(name, 250))
    assert got.candles.timestamps[-1] == expected[-1][0] * 1000
    assert got.candles.close[-1] == pytest.approx(expected[-1][4], rel=1e-6)
    assert got.candles.timestamps == sorted(got.candles.timestamps)


def test_coingecko_serves_only_what_it_can(fakes, tmp_path: Path) -> None:
    gecko = source(fakes, "coingecko", FakeTime(), tmp_path)
    assert not gecko.supports("BTC/USDT", "1h") and gecko.supports("BTC/USDT", "4h")
    got = fetch([gecko, source(fakes, "binance", FakeTime(), tmp_path)], timeframe="4h")
    assert got.source == "coingecko" and len(got.candles) == 180
    assert "no volume" in got.tried[-1].reason
    skipped = fetch([gecko, source(fakes, "binance", FakeTime(), tmp_path)])
    assert skipped.source == "binance" and skipped.tried[0].outcome == "skipped"


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("name", [*EXCHANGES, "coingecko"])
def test_each_fault_moves_the_chain_on(fakes, name: str, fault: str, tmp_path: Path) -> None:
    if name == "coingecko" and fault == "stale":
        pytest.skip("CoinGecko's fake ages like the others; covered by the exchanges")
    time = FakeTime()
    faulty = source(fakes, name, time, tmp_path)
    fallback = source(fakes, "binance" if name != "binance" else "bybit", FakeTime(), tmp_path)
    fakes.fault(name, fault, times=3, retry_after=1)
    timeframe = "4h" if name == "coingecko" else "1h"
    got = fetch([faulty, fallback], timeframe=timeframe)
    assert got.source == fallback.name
    first = got.tried[0]
    assert first.source == name and first.outcome == "failed" and first.reason
    retried = fault in ("429", "500", "timeout", "malformed")
    assert fakes.requests[name] == (3 if retried else 1), first.reason
    if fault == "429":
        assert time.slept == [1, 1]  # Retry-After honoured, not backoff
    if fault == "418":
        assert faulty.breaker.state == "open"


def test_long_retry_after_is_not_waited_for(fakes, tmp_path: Path) -> None:
    time = FakeTime()
    fakes.fault("binance", "429", times=1, retry_after=120)
    got = fetch([source(fakes, "binance", time, tmp_path),
                 source(fakes, "bybit", FakeTime(), tmp_path)])
    assert got.source == "bybit" and time.slept == [] and fakes.requests["binance"] == 1


def test_a_banned_source_is_not_called_until_the_ban_ends(fakes, tmp_path: Path) -> None:
    time = FakeTime()
    banned: MarketSource = source(fakes, "binance", time, tmp_path)
    backup = source(fakes, "bybit", FakeTime(), tmp_path)
    fakes.fault("binance", "418", retry_after=300)
    fetch([banned, backup])
    time.now += 299
    again = fetch([banned, backup])
    assert fakes.requests["binance"] == 1
    assert again.tried[0].outcome == "skipped" and "circuit is open" in again.tried[0].reason
    time.now += 2
    assert fetch([banned, backup]).source == "binance"


def test_breaker_opens_after_repeated_failures_then_recovers(fakes, tmp_path: Path) -> None:
    time = FakeTime()
    flaky = source(fakes, "kraken", time, tmp_path)
    backup = source(fakes, "binance", FakeTime(), tmp_path)
    fakes.fault("kraken", "500", times=6)
    fetch([flaky, backup])
    fetch([flaky, backup])  # 3 + 2 failures: the fifth opens the breaker
    assert flaky.breaker.state == "open" and fakes.requests["kraken"] == 5
    fetch([flaky, backup])
    assert fakes.requests["kraken"] == 5  # not called while open
    time.now += 61
    fetch([flaky, backup])  # the half-open probe meets the sixth fault
    assert flaky.breaker.state == "open" and fakes.requests["kraken"] == 6
    time.now += 61
    assert fetch([flaky, backup]).source == "kraken" and flaky.breaker.state == "closed"
    doc = flaky.health.document(flaky.breaker.state)
    assert doc["success_rate"] == pytest.approx(1 / 7, abs=0.01) and doc["last_error"]


def test_unknown_pair_everywhere_fails_permanently(fakes, tmp_path: Path) -> None:
    from shared.errors import NoSourceAvailable

    chain = [source(fakes, n, FakeTime(), tmp_path) for n in EXCHANGES]
    with pytest.raises(NoSourceAvailable, match="ZZZ/USDT"):
        fetch(chain, symbol="ZZZ/USDT")


def test_the_screener_universe_is_one_tickers_call_ranked_by_quote_volume(
        fakes, tmp_path: Path) -> None:
    binance = source(fakes, "binance", FakeTime(), tmp_path)
    fakes.universe = [f"C{i:03d}USDT" for i in range(60)] + ["BTCUSDT"]

    async def run() -> Any:
        try:
            return await binance.top_symbols("USDT", 50)
        finally:
            await binance.aclose()

    top = asyncio.run(run())
    assert top[:3] == ["C000/USDT", "C001/USDT", "C002/USDT"] and len(top) == 50
    assert "ETH/BTC" not in top and "BTC/EUR" not in top  # other quotes are left out
    assert fakes.requests["binance"] == 1  # one call for the whole universe


def test_a_scan_takes_only_its_share_of_a_source_budget(fakes, tmp_path: Path) -> None:
    from shared.market.scan_pacing import paced

    time_ = FakeTime()
    binance = source(fakes, "binance", time_, tmp_path)  # 1,000 requests/s budget
    (scan_side,) = paced([binance], 0.5)
    scan_side.pace._clock, scan_side.pace._sleep = time_.clock, time_.sleep

    async def run() -> None:
        try:
            for _ in range(20):
                await scan_side.fetch_candles("BTC/USDT", "1h", 250)
        finally:
            await binance.aclose()

    asyncio.run(run())
    assert fakes.requests["binance"] == 20
    # 20 grants at half of 950/s: at least 19 intervals of 1/475 s passed on the fake clock
    assert time_.now >= 19 / 475 - 1e-9
    assert scan_side.health is binance.health  # health and breaker are the source's own


def test_the_containers_sources_share_their_budgets_through_the_store(
        fakes: FakeExchanges, tmp_path: Path) -> None:
    """Two instances' containers on one store: their binance requests book one grid, so
    together they keep one allowance (each fetch here books a slot the other can't take)."""
    from shared.bootstrap import Container
    from shared.market.budget import StoreRequestBudget

    settings = make_settings(tmp_path, market_urls=fakes.urls(), market_sources=["binance"],
                             market_rate_limits={"binance": 2})
    first, second = Container(settings), Container(settings)
    second.override(store=first.store)
    sources = [first.sources[0], second.sources[0]]
    assert all(isinstance(s.budget, StoreRequestBudget) for s in sources)
    booked = []
    for s in sources:
        fetch([s])
        booked.append(_booked_slots(first.store))
    # The second instance's request took slots in the grid the first reads, none the first
    # took. (A request woken late by a busy machine books again, so there may be more.)
    assert booked[0] and booked[1] > booked[0]


def _booked_slots(store) -> set[tuple[str, int]]:
    return {(doc["_id"], position) for doc in store.query("request_budget")
            for position in doc.get("used", [])}
