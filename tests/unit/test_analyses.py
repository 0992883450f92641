"""The analysis state machine: forward only, final states stay final."""

from __future__ import annotations

from datetime import timedelta

from shared.bootstrap import Container
from shared.models import Status, utcnow
from shared.services import analyses
from tests.fakes import RecordingBus


def make(ports: Container, deadline: int = 60) -> str:
    analysis = analyses.new("a1", "u1", "BTC/USDT", "1d", deadline_seconds=deadline)
    ports.store.create(analyses.COLLECTION, "a1", analysis.model_dump(mode="json"))
    return "a1"


def test_moves_forward_and_records_history(ports: Container) -> None:
    make(ports)
    assert analyses.transition(ports.store, "a1", Status.fetching)
    assert analyses.transition(ports.store, "a1", Status.analyzing)
    assert not analyses.transition(ports.store, "a1", Status.fetching)  # no going back
    assert analyses.transition(ports.store, "a1", Status.completed)
    doc = analyses.load(ports.store, "a1")
    assert [h.status for h in doc.history] == ["queued", "fetching", "analyzing", "completed"]
    assert doc.progress == 100


def test_final_states_stay_final(ports: Container) -> None:
    make(ports)
    bus = RecordingBus()
    assert analyses.fail(ports.store, bus, "a1", "no data")
    assert not analyses.fail(ports.store, bus, "a1", "again")
    assert not analyses.transition(ports.store, "a1", Status.completed)
    assert len(bus.take()) == 1
    assert analyses.load(ports.store, "a1").error == "no data"


def test_overdue_analyses_fail_with_timeout(ports: Container) -> None:
    make(ports, deadline=30)
    bus = RecordingBus()
    assert analyses.expire_overdue(ports.store, bus, now=utcnow()) == []
    later = utcnow() + timedelta(seconds=31)
    assert analyses.expire_overdue(ports.store, bus, now=later) == ["a1"]
    assert analyses.load(ports.store, "a1").status is Status.failed
    assert [e.topic for e in bus.take()] == ["analysis.failed"]
