"""A message held by a worker that died is redelivered while the bus runs (within one lease
period, no restart needed); candles no analysis can use fail the analysis at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from shared.adapters.local_bus import LocalBus
from shared.events import AnalysisRequested, MarketFetched
from shared.llm.rule_based import RuleBasedAnalyst
from shared.models import Candles, Status
from shared.services import analyses
from shared.services.analyze import analyze
from shared.services.request_analysis import request_analysis
from tests.fakes import RecordingBus


def test_an_expired_lease_is_reclaimed_by_a_running_bus(tmp_path: Path) -> None:
    crashed = LocalBus(tmp_path / "bus.sqlite3", "p", lease_seconds=0.3)
    crashed.publish(AnalysisRequested(correlation_id="a1", analysis_id="a1", user_id="u1",
                                      symbol="BTC/USDT", timeframe="4h"))
    assert crashed._claim() is not None  # claimed, then the process "dies" holding it
    got = threading.Event()
    running = LocalBus(tmp_path / "bus.sqlite3", "p", lease_seconds=0.3)
    running.start(lambda function, headers, body: (got.set(), 204)[1])  # type: ignore[func-returns-value]
    try:
        started = time.monotonic()  # the lease was still valid at start: not reclaimed then
        assert got.wait(timeout=5), "the held message was never redelivered"
        assert time.monotonic() - started < 5
        assert running.wait_idle(timeout=5) and running.dead_letters() == []
    finally:
        running.stop()


def _poisoned(ports: object, candles: Candles) -> str:
    bus = RecordingBus()
    created, _ = request_analysis(ports.store, bus, user_id="1", symbol="BTC/USDT",  # type: ignore[attr-defined]
                                  timeframe="1d", language="en", deadline_seconds=60)
    event = MarketFetched(correlation_id=created.id, analysis_id=created.id, symbol="BTC/USDT",
                          timeframe="1d", source="replay", candles=candles)
    analyze(ports.store, bus, RuleBasedAnalyst(), event)  # type: ignore[attr-defined]
    done = analyses.load(ports.store, created.id)  # type: ignore[attr-defined]
    assert done.status is Status.failed and [e.topic for e in bus.take()][-1] == \
        "analysis.failed"
    return str(done.error)


def test_poison_candles_fail_the_analysis_at_once_with_the_reason(ports: object) -> None:
    ragged = Candles(timestamps=[1, 2, 3], open=[1.0, 2.0, 3.0], high=[1.0, 2.0, 3.0],
                     low=[1.0, 2.0], close=[1.0, 2.0, 3.0], volume=[1.0, 1.0, 1.0])
    assert "different lengths" in _poisoned(ports, ragged) and "low 2" in _poisoned(
        ports, ragged)
    empty = Candles(timestamps=[], open=[], high=[], low=[], close=[], volume=[])
    assert "no candles" in _poisoned(ports, empty)


def test_a_delivery_slower_than_the_lease_is_not_handed_to_a_second_worker(
        tmp_path: Path) -> None:
    bus = LocalBus(tmp_path / "bus.sqlite3", "p", lease_seconds=0.3)
    deliveries: list[float] = []

    def slow(function: str, headers: dict[str, str], body: bytes) -> int:
        deliveries.append(time.monotonic())
        time.sleep(1.2)  # four lease periods: the keeper renews the lease meanwhile
        return 204

    bus.publish(AnalysisRequested(correlation_id="a2", analysis_id="a2", user_id="u1",
                                  symbol="BTC/USDT", timeframe="4h"))
    bus.start(slow)
    try:
        assert bus.wait_idle(timeout=10)
    finally:
        bus.stop()
    assert len(deliveries) == 1
