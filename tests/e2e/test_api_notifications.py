"""A user's web notifications over the API: list mine only, mark read, the unread count, the
live stream, and a duplicate delivery that leaves one notification."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient

from shared import bootstrap
from shared.api.app import create_app
from shared.events import AlertTriggered, AnalysisFailed, Event
from shared.services import inbox
from shared.services.notify import notify
from tests.conftest import make_settings
from tests.e2e.conftest import System
from tests.fakes import ManualClock, RecordingBus

ME, OTHER = "8", "9"


class Api:
    def __init__(self, client: FlaskClient, ports: bootstrap.Container) -> None:
        self.client, self.ports = client, ports
        self.auth = {who: {"Authorization": "Bearer " + client.post(
            "/api/auth/dev", json={"telegram_id": int(who)}).json["token"]}  # type: ignore
            for who in (ME, OTHER)}

    def get(self, path: str, who: str = ME) -> tuple[int, dict]:
        reply = self.client.get(path, headers=self.auth[who])
        return reply.status_code, reply.json  # type: ignore[return-value]

    def post(self, path: str, who: str = ME) -> tuple[int, dict]:
        reply = self.client.post(path, headers=self.auth[who])
        return reply.status_code, reply.json  # type: ignore[return-value]


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    ports = bootstrap.Container(make_settings(tmp_path / "data")).override(bus=RecordingBus())
    bootstrap.reset(ports)
    yield Api(create_app().test_client(), ports)
    ports.store.close()  # type: ignore[attr-defined]
    bootstrap.reset(None)


def failed(user_id: str, analysis_id: str, reason: str = "no source has it") -> AnalysisFailed:
    return AnalysisFailed(event_id=f"{analysis_id}:failed", correlation_id=analysis_id,
                          analysis_id=analysis_id, user_id=user_id, symbol="XRP/USDT",
                          timeframe="1d", reason=reason)


def alert(user_id: str, alert_id: str) -> AlertTriggered:
    return AlertTriggered(event_id=f"{alert_id}:triggered", correlation_id="scan1",
                          alert_id=alert_id, user_id=user_id, symbol="BTC/USDT",
                          timeframe="4h", message="price is above 100,000: closed at 109,888.01")


CLOCK = ManualClock(datetime.now(UTC))  # each notification 1 ms after the one before


def deliver(api: Api, *events: Event) -> None:
    for event in events:
        notify(api.ports.store, event, clock=CLOCK)


def test_i_list_only_mine_newest_first(api: Api) -> None:
    deliver(api, failed(ME, "a1"), failed(OTHER, "b1"), alert(ME, "al1"))
    status, body = api.get("/api/notifications")
    assert status == 200
    assert [n["id"] for n in body["items"]] == ["al1:triggered", "a1:failed"]
    assert body["unread"] == 2
    newest, older = body["items"]
    assert (newest["kind"], newest["alert_id"], newest["read"]) == ("alert.triggered", "al1",
                                                                    False)
    assert "109,888.01" in newest["body"]
    assert (older["kind"], older["analysis_id"]) == ("analysis.failed", "a1")
    assert "user_id" not in newest
    assert api.get("/api/notifications", OTHER)[1]["unread"] == 1
    assert [n["id"] for n in api.get("/api/notifications?limit=1")[1]["items"]] == [
        "al1:triggered"]
    assert api.get("/api/notifications?limit=0")[0] == 400
    assert api.get("/api/notifications?unread=maybe")[0] == 400


def test_another_users_notification_is_not_found(api: Api) -> None:
    deliver(api, failed(OTHER, "b1"))
    status, body = api.post("/api/notifications/b1:failed/read")
    assert status == 404 and body["error"]["code"] == "not_found"
    assert api.post("/api/notifications/nope/read")[0] == 404
    assert api.post("/api/notifications/..%2F..%2Fusers/read")[0] == 404
    assert api.get("/api/notifications", OTHER)[1]["unread"] == 1  # untouched
    assert api.client.post("/api/notifications/b1:failed/read").status_code == 401


def test_read_and_read_all_keep_the_unread_count(api: Api) -> None:
    deliver(api, failed(ME, "a1"), failed(ME, "a2"), alert(ME, "al1"), failed(OTHER, "b1"))
    assert api.get("/api/notifications")[1]["unread"] == 3

    status, body = api.post("/api/notifications/a1:failed/read")
    assert status == 200 and body["unread"] == 2 and body["notification"]["read"] is True
    assert api.post("/api/notifications/a1:failed/read")[1]["unread"] == 2  # again: no change
    unread = api.get("/api/notifications?unread=true")[1]
    assert [n["id"] for n in unread["items"]] == ["al1:triggered", "a2:failed"]

    status, body = api.post("/api/notifications/read-all")
    assert status == 200 and (body["marked"], body["unread"]) == (2, 0)
    assert api.post("/api/notifications/read-all")[1] == {"marked": 0, "unread": 0}
    assert api.get("/api/notifications?unread=true")[1]["items"] == []
    assert all(n["read"] for n in api.get("/api/notifications")[1]["items"])
    assert api.get("/api/notifications", OTHER)[1]["unread"] == 1

    deliver(api, alert(ME, "al2"))  # a new one after read-all counts again
    assert api.get("/api/notifications")[1]["unread"] == 1


def test_a_duplicate_delivery_leaves_one_notification_and_unread_1(api: Api) -> None:
    event = alert(ME, "al1")
    assert notify(api.ports.store, event) is True
    assert notify(api.ports.store, event) is False
    assert notify(api.ports.store, alert(ME, "al1")) is False  # same event id, new object
    status, body = api.get("/api/notifications")
    assert [n["id"] for n in body["items"]] == ["al1:triggered"] and body["unread"] == 1
    assert inbox.unread(api.ports.store, ME) == 1


def read_stream(response: requests.Response, into: list[tuple[str, dict]],
                until: tuple[str, dict]) -> None:
    """Collect (event, data) from the stream until ``until`` arrives, then close it."""
    name = "message"
    with response:
        for line in response.iter_lines(chunk_size=None,  # type: ignore[call-overload]
                                         decode_unicode=True):
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                into.append((name, json.loads(line[6:])))
                if into[-1] == until:
                    return


def wait_for(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_the_stream_delivers_a_notification_written_after_it_opened(system: System) -> None:
    store = system.ports.store
    notify(store, failed("77", "old1"))  # before the stream: listed by GET, not streamed
    auth = {"Authorization": f"Bearer {system.token(77)}"}
    response = requests.get(f"{system.url}/api/notifications/events", headers=auth,
                            stream=True, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    seen: list[tuple[str, dict]] = []
    reader = threading.Thread(target=read_stream, daemon=True,
                              args=(response, seen, ("unread", {"unread": 2})))
    reader.start()
    wait_for(lambda: ("unread", {"unread": 1}) in seen)

    notify(store, failed("78", "theirs"))  # another user's: never on my stream
    notify(store, alert("77", "new1"))
    reader.join(10)
    assert not reader.is_alive(), seen
    notes = [data for name, data in seen if name == "notification"]
    assert [n["id"] for n in notes] == ["new1:triggered"]
    assert notes[0]["kind"] == "alert.triggered" and notes[0]["read"] is False
