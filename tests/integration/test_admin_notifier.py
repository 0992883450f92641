"""The notifier's admin side: admin messages, Telegram counts, and dead letters.

Through the real notifier function (functions-framework, production-shaped CloudEvents) and
the Bot API adapter into the local sink, with the send queue on a virtual clock.
"""

from __future__ import annotations

import base64
import uuid

import functions_framework
import pytest
from cloudevents.http import from_http

from local.functions import ROOT, load_function
from shared import delivery, topics
from shared.adapters.local_bus import LocalBus
from shared.bootstrap import Container
from shared.entry import handle_cloud_event
from shared.errors import TransientError
from shared.events import AdminMessage, AnalysisRequested
from shared.models import Language, Role
from shared.services import dead_letters, features, system_health
from shared.services.users import change_user, ensure_user
from tests.fakes import RecordingBus


def alert(user_id: str | None = None) -> AdminMessage:
    message_id = uuid.uuid4().hex
    return AdminMessage(
        event_id=f"{message_id}:message", correlation_id=message_id, message_id=message_id,
        kind="user_message" if user_id else "system_alert", user_id=user_id, sender_id="1",
        title={"en": "Maintenance", "ru": "Обслуживание"},
        body={"en": "Back at 10:00 UTC.", "ru": "Вернёмся в 10:00 UTC."})


def inbox_of(ports: Container, user_id: str) -> list[dict[str, object]]:
    return ports.store.query("notifications", [("user_id", "==", user_id)])


def test_a_system_alert_reaches_every_inbox_and_chat_in_its_language(notifier) -> None:
    store = notifier.ports.store
    ensure_user(store, 201, language=Language.en)
    ensure_user(store, 202, language=Language.ru)
    ensure_user(store, 203)
    change_user(store, "203", banned=True)
    event = alert()
    assert notifier.post(event) == 200
    assert notifier.post(event) == 200  # redelivered: nothing twice
    assert [n["title"] for n in inbox_of(notifier.ports, "201")] == ["Maintenance"]
    assert [n["body"] for n in inbox_of(notifier.ports, "202")] == ["Вернёмся в 10:00 UTC."]
    assert inbox_of(notifier.ports, "203") == []  # banned
    assert store.get("inboxes", "202")["unread"] == 1  # type: ignore[index]
    texts = {c["params"]["chat_id"]: c["params"]["text"]
             for c in notifier.sink.sent("sendMessage")}
    assert set(texts) == {201, 202}
    assert "Обслуживание" in texts[202] and "Maintenance" in texts[201]
    sent = system_health.telegram_today(store, system_health.utcnow().date().isoformat())
    assert sent["sent"] == 2


def test_a_user_message_reaches_only_its_user_and_429s_are_counted(notifier) -> None:
    store = notifier.ports.store
    ensure_user(store, 301)
    ensure_user(store, 302)
    notifier.sink.fail_next("sendMessage", 429, retry_after=2)
    assert notifier.post(alert("301")) == 200
    assert len(inbox_of(notifier.ports, "301")) == 1
    assert inbox_of(notifier.ports, "302") == []
    counted = system_health.telegram_today(store, system_health.utcnow().date().isoformat())
    assert (counted["sent"], counted["rate_limited"]) == (1, 1)


def test_live_notifications_off_keeps_messages_in_the_web_inbox(notifier) -> None:
    store = notifier.ports.store
    ensure_user(store, 401)
    store.set(features.SETTINGS, features.DOC, {"flags": {"FEATURE_LIVE_NOTIFICATIONS": False}})
    assert notifier.post(alert("401")) == 200
    assert len(inbox_of(notifier.ports, "401")) == 1
    assert notifier.sink.sent("sendMessage") == []


def failing(ports: Container, event: AnalysisRequested) -> None:
    raise TransientError("the exchange did not answer")


def test_a_dead_letter_is_kept_with_its_last_error_and_replays(ports: Container) -> None:
    """The local bus retries a failing subscriber to the registry's attempt limit, then hands
    the message to the notifier as Pub/Sub would; the entry point keeps it with the error."""
    ensure_user(ports.store, 501, role=Role.admin)
    notifier_app = load_function("notifier")

    def deliver(function: str, headers: dict[str, str], body: bytes) -> int:
        if function == "notifier":
            return notifier_app.test_client().post("/", headers=headers, data=body).status_code
        try:
            handle_cloud_event(function, from_http(headers, body),
                               {AnalysisRequested: failing})
        except TransientError:
            return 500
        return 204

    bus = LocalBus(ports.settings.data_dir / "dead-bus.sqlite3", project="test",
                   backoff_seconds=0.001, max_backoff_seconds=0.002,
                   dead_letter_to="notifier")
    event = AnalysisRequested(event_id="a1:requested", correlation_id="a1", analysis_id="a1",
                              user_id="501", symbol="BTC/USDT", timeframe="4h")
    bus.publish(event)
    bus.start(deliver)
    try:
        assert bus.wait_idle(timeout=10)
    finally:
        bus.stop()
    (kept,) = dead_letters.recent_dead(ports.store)
    assert kept["function"] == "market_fetcher" and kept["topic"] == topics.ANALYSIS_REQUESTED
    assert kept["attempts"] == topics.registry().max_delivery_attempts
    assert kept["reason"] == "TransientError: the exchange did not answer"
    assert kept["payload"]["analysis_id"] == "a1"
    problems = system_health.problems(ports.store)
    assert [p["kind"] for p in problems] == ["dead_letter"]
    replay_bus = RecordingBus()
    after = dead_letters.replay(ports.store, replay_bus, kept["id"])
    assert after["replays"] == 1 and after["replayed_at"]
    assert replay_bus.take() == [event]


def test_a_production_dead_letter_push_is_kept(ports: Container,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """What infra's dead_letter_record subscription sends: a raw Pub/Sub push to the notifier
    at the dead-letter topic's path, with the attributes Pub/Sub adds to a dead letter."""
    monkeypatch.setenv("FUNCTION_SIGNATURE_TYPE", "http")
    app = functions_framework.create_app("notifier", str(ROOT / "functions/notifier/main.py"))
    event = AnalysisRequested(event_id="b2:requested", correlation_id="b2", analysis_id="b2",
                              user_id="7", symbol="ETH/USDT", timeframe="1d")
    data, attributes = delivery.encode(event)
    dead_topic = event.topic + topics.registry().dead_letter_suffix
    attributes.update({
        dead_letters.SOURCE_SUBSCRIPTION: f"projects/p/subscriptions/{event.topic}.market_fetcher",
        dead_letters.DELIVERY_COUNT: "5"})
    dead_letters.record_failure(ports.store, "market_fetcher", event.topic, event.event_id,
                                "TransientError: binance timed out")
    body = {"message": {"data": base64.b64encode(data).decode(), "attributes": attributes,
                        "messageId": "m-9", "publishTime": "2026-01-01T00:00:00Z"},
            "subscription": f"projects/p/subscriptions/{dead_topic}.notifier"}
    path = f"/projects/p/topics/{dead_topic}"
    assert app.test_client().post(path, json=body).status_code == 200
    kept = ports.store.get(dead_letters.DEAD, "market_fetcher:b2:requested")
    assert kept is not None
    assert (kept["attempts"], kept["reason"]) == (5, "TransientError: binance timed out")
    assert kept["payload"]["symbol"] == "ETH/USDT"
