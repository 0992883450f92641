"""The Bus contract: the local bus and Pub/Sub (through a fake publisher) alike.

The contract, seen from a subscriber: a published event reaches every function subscribed to
its topic in ``topics.json`` as the binary-mode CloudEvent a Pub/Sub trigger delivers, whose
decoded message equals the event, with the ``delivery.encode`` attributes and the message id
``publish`` returned. The local bus does that delivery itself (recorded here by the deliver
function). For Pub/Sub, which has no emulator here, the test checks what reached the
publisher (topic path, data, attributes) and builds from it the CloudEvent Pub/Sub pushes,
as the subscriptions Terraform makes from ``topics.json`` do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cloudevents.http import from_http
from google.api_core import exceptions as google_errors

from shared import delivery, events, topics
from shared.adapters.local_bus import LocalBus
from shared.adapters.pubsub_bus import PubSubBus
from shared.errors import PermanentError, TransientError
from shared.events import AnalysisRequested, Event
from shared.models import Candles
from shared.ports import Bus

PROJECT = "chartgenius-test"
WAIT = 10.0

# fmt: off
PAIR = {"symbol": "BTC/USDT", "timeframe": "4h"}
CANDLES = Candles(timestamps=[1_700_000_000_000, 1_700_014_400_000], open=[1.0, 2.0],
                  high=[2.5, 3.0], low=[0.5, 1.5], close=[2.0, 2.5], volume=[10.0, 12.5])
SAMPLES: list[Event] = [
    AnalysisRequested(correlation_id="a1", analysis_id="a1", user_id="u1", **PAIR),
    events.MarketScanRequested(correlation_id="s1", scan_id="s1", symbols=["BTC/USDT"],
                               timeframe="1d"),
    events.MarketFetched(correlation_id="a1", analysis_id="a1", source="replay",
                         tried=["replay"], candles=CANDLES, **PAIR),
    events.AnalysisCompleted(correlation_id="a1", analysis_id="a1", user_id="u1",
                             signal="buy", confidence=0.7, **PAIR),
    events.AnalysisFailed(correlation_id="a2", analysis_id="a2", user_id="u1",
                          reason="timeout", **PAIR),
    events.AlertTriggered(correlation_id="s1", alert_id="al1", user_id="u1",
                          message="RSI above 70", **PAIR),
]
# fmt: on


@dataclass(frozen=True)
class Received:
    subscriber: str
    topic: str
    message_id: str
    event: Event
    attributes: dict[str, str]
    headers: dict[str, str]


def received_from_http(subscriber: str, headers: dict[str, str], body: bytes) -> Received:
    """What a subscriber function sees, from the HTTP request Pub/Sub push makes."""
    event = from_http(headers, body)
    message, topic = event.data["message"], delivery.topic_of(event)
    assert event["id"] == message["messageId"]
    decoded = delivery.decode(event)
    return Received(subscriber, topic, event["id"], decoded, message["attributes"], headers)


# -- the local bus -------------------------------------------------------------------------
class RecordingDelivery:
    """A deliver function: records each request and answers with scripted statuses."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.script: dict[str, list[int | Exception]] = {}
        self._arrived = threading.Condition()

    def __call__(self, function: str, headers: dict[str, str], body: bytes) -> int:
        with self._arrived:
            self.requests.append(received_from_http(function, headers, body))
            self._arrived.notify_all()
            answers = self.script.get(function)
            answer = answers.pop(0) if answers else 204
        if isinstance(answer, Exception):
            raise answer
        return answer

    def wait(self, count: int) -> list[Received]:
        with self._arrived:
            assert self._arrived.wait_for(lambda: len(self.requests) >= count, WAIT), (
                f"{len(self.requests)} of {count} deliveries arrived"
            )
            return list(self.requests)


@dataclass
class LocalHarness:
    path: Path
    deliveries: RecordingDelivery = field(default_factory=RecordingDelivery)
    bus: LocalBus = field(init=False)

    def __post_init__(self) -> None:
        self.bus = new_local_bus(self.path, self.deliveries)

    def received(self, count: int) -> list[Received]:
        return self.deliveries.wait(count)


def new_local_bus(path: Path, deliver: RecordingDelivery | None) -> LocalBus:
    return LocalBus(
        path, PROJECT, deliver, workers=2, backoff_seconds=0.005, max_backoff_seconds=0.02
    )


# -- Pub/Sub through a fake publisher --------------------------------------------------------
@dataclass
class Published:
    topic: str
    data: bytes
    attributes: dict[str, str]
    message_id: str


class FakeFuture:
    def __init__(self, result: str | BaseException) -> None:
        self._result = result
        self.timeouts: list[float | None] = []

    def result(self, timeout: float | None = None) -> str:
        self.timeouts.append(timeout)
        if isinstance(self._result, BaseException):
            raise self._result
        return self._result


class FakePublisher:
    """Stands in for ``pubsub_v1.PublisherClient``: ``publish(topic, data, **attrs)``."""

    def __init__(self) -> None:
        self.messages: list[Published] = []
        self.futures: list[FakeFuture] = []
        self.fail_with: BaseException | None = None
        self.raise_now: BaseException | None = None

    def publish(self, topic: str, data: bytes, **attributes: str) -> FakeFuture:
        if self.raise_now is not None:
            raise self.raise_now
        message_id = str(len(self.messages) + 1000)
        self.messages.append(Published(topic, data, attributes, message_id))
        self.futures.append(FakeFuture(self.fail_with or message_id))
        return self.futures[-1]


@dataclass
class PubSubHarness:
    publisher: FakePublisher = field(default_factory=FakePublisher)
    bus: PubSubBus = field(init=False)

    def __post_init__(self) -> None:
        self.bus = PubSubBus(PROJECT, publisher=self.publisher, timeout_seconds=7.5)

    def received(self, count: int) -> list[Received]:
        pushed = []
        for message in self.publisher.messages:
            topic = message.topic.removeprefix(f"projects/{PROJECT}/topics/")
            for subscriber in topics.registry().subscribers(topic):
                headers, body = delivery.to_cloudevent(
                    PROJECT, topic, message.message_id, message.data, message.attributes
                )
                pushed.append(received_from_http(subscriber, headers, body))
        assert len(pushed) >= count, f"{len(pushed)} of {count} deliveries"
        return pushed[:count]


# Each harness has the bus and ``received(count)``: the first deliveries, as subscribers got them.
Harness = LocalHarness | PubSubHarness


@pytest.fixture(params=["local", "pubsub"])
def harness(request: pytest.FixtureRequest) -> Harness:
    if request.param == "pubsub":
        return PubSubHarness()
    local: LocalHarness = request.getfixturevalue("local")
    local.bus.start()
    return local


# -- the shared contract -------------------------------------------------------------------
def test_adapter_implements_the_port(harness: Harness) -> None:
    assert isinstance(harness.bus, Bus)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda event: event.topic)
def test_event_reaches_each_subscriber_as_a_cloudevent(harness: Harness, event: Event) -> None:
    message_id = harness.bus.publish(event)
    subscribers = topics.registry().subscribers(event.topic)
    got = harness.received(len(subscribers))
    assert sorted(r.subscriber for r in got) == sorted(subscribers)
    data, attributes = delivery.encode(event)
    for received in got:
        assert received.event == event and type(received.event) is type(event)
        assert (received.topic, received.message_id) == (event.topic, message_id)
        assert received.attributes == attributes
        assert received.headers["ce-type"] == delivery.PUBLISHED_TYPE


def test_each_publish_has_its_own_message_id(harness: Harness) -> None:
    first = SAMPLES[0]
    second = first.model_copy(update={"event_id": "another"})
    ids = [harness.bus.publish(first), harness.bus.publish(second)]
    assert all(isinstance(i, str) and i for i in ids) and ids[0] != ids[1]
    got = harness.received(2)
    assert {r.message_id for r in got} == set(ids)
    assert {r.event.event_id for r in got} == {first.event_id, "another"}


# -- the local bus: retries, dead letters, durability --------------------------------------
@pytest.fixture
def local(tmp_path: Path) -> Iterator[LocalHarness]:
    harness = LocalHarness(tmp_path / "bus.sqlite3")
    yield harness
    harness.bus.stop()


def test_local_bus_retries_until_acknowledged(local: LocalHarness) -> None:
    local.deliveries.script["market_fetcher"] = [503, RuntimeError("crashed"), 500, 200]
    local.bus.start()
    message_id = local.bus.publish(SAMPLES[0])
    got = local.received(4)
    assert [r.message_id for r in got] == [message_id] * 4  # a redelivery keeps its id
    assert all(r.event == SAMPLES[0] for r in got)
    assert local.bus.wait_idle(WAIT)
    assert local.bus.dead_letters() == [] and len(local.deliveries.requests) == 4


def test_local_bus_dead_letters_after_max_attempts(local: LocalHarness) -> None:
    attempts = topics.registry().max_delivery_attempts
    local.deliveries.script["notifier"] = [500] * (attempts + 5)
    local.bus.start()
    local.bus.publish(SAMPLES[4])
    local.received(attempts)
    assert local.bus.wait_idle(WAIT)
    dead = local.bus.dead_letters()
    assert [(d["topic"], d["subscriber"], d["attempts"]) for d in dead] == [
        (topics.ANALYSIS_FAILED, "notifier", attempts)
    ]
    assert len(local.deliveries.requests) == attempts  # nothing after the dead letter


def test_local_bus_keeps_pending_messages_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bus.sqlite3"
    before = new_local_bus(path, None)
    message_id = before.publish(SAMPLES[0])
    before.stop()
    deliveries = RecordingDelivery()
    after = new_local_bus(path, deliveries)
    try:
        assert after.pending() == 1
        after.start()
        [received] = deliveries.wait(1)
        assert (received.message_id, received.event) == (message_id, SAMPLES[0])
        assert after.wait_idle(WAIT)
    finally:
        after.stop()


# -- Pub/Sub: the publisher call and its failures ------------------------------------------
def test_pubsub_publishes_data_and_attributes_to_the_topic_path() -> None:
    harness = PubSubHarness()
    message_id = harness.bus.publish(SAMPLES[3])
    [message] = harness.publisher.messages
    data, attributes = delivery.encode(SAMPLES[3])
    assert message.topic == f"projects/{PROJECT}/topics/analysis.completed"
    assert (message.data, message.attributes, message.message_id) == (data, attributes, message_id)
    assert harness.publisher.futures[0].timeouts == [7.5]  # waited, but not forever


FOR_NOW = [TimeoutError(), google_errors.ServiceUnavailable("down"),
           google_errors.DeadlineExceeded("slow"), google_errors.RetryError("x", None)]  # fmt: skip


@pytest.mark.parametrize("failure", FOR_NOW, ids=lambda exc: type(exc).__name__)
def test_pubsub_failures_for_now_are_transient(failure: Any) -> None:
    harness = PubSubHarness()
    harness.publisher.fail_with = failure
    with pytest.raises(TransientError):
        harness.bus.publish(SAMPLES[0])


def test_pubsub_missing_topic_is_permanent() -> None:
    harness = PubSubHarness()
    harness.publisher.raise_now = google_errors.NotFound("Resource not found (topic)")
    with pytest.raises(PermanentError, match="analysis.requested"):
        harness.bus.publish(SAMPLES[0])
