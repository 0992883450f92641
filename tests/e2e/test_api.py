"""The HTTP API as a client sees it: bad input gets a 4xx with a reason, never a 500."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import requests

from local.__main__ import build_server
from shared.bootstrap import Container
from tests.conftest import make_settings
from tests.e2e.conftest import System, free_port, serve
from tests.e2e.test_pipeline import wait_final

BTC_1D = {"symbol": "BTC/USDT", "timeframe": "1d"}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post_analysis(system: System, token: str, payload: object,
                  extra: dict[str, str] | None = None) -> requests.Response:
    return requests.post(f"{system.url}/api/analysis", json=payload, timeout=5,
                         headers={**auth(token), **(extra or {})})


@pytest.mark.parametrize(
    ("body", "content_type", "fragment"),
    [
        (b"{not json", "application/json", "not valid JSON"),
        (b"[1, 2]", "application/json", "JSON object"),
        (b"", "application/json", "needs a JSON body"),
        (b"symbol=BTC", "application/x-www-form-urlencoded", "must be JSON"),
        (b'{"symbol": "BTC/USDT", "timeframe": "3x"}', "application/json", "timeframe '3x'"),
        (b'{"symbol": "BTC//USDT", "timeframe": "1d"}', "application/json", "symbol"),
        (b'{"symbol": "", "timeframe": "1d"}', "application/json", "symbol"),
        (b'{"symbol": 42, "timeframe": "1d"}', "application/json", "symbol"),
        (b'{"timeframe": "1d"}', "application/json", "symbol"),
        (b'{"symbol": "BTC/USDT", "timeframe": "1d", "x": 1}', "application/json", "x"),
    ],
)
def test_bad_requests_get_400_with_reason(system: System, body: bytes, content_type: str,
                                          fragment: str) -> None:
    token = system.token()
    response = requests.post(f"{system.url}/api/analysis", data=body, timeout=5,
                             headers={**auth(token), "Content-Type": content_type})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert fragment in error["message"]


def test_oversized_body_is_413(system: System) -> None:
    token = system.token()
    response = requests.post(f"{system.url}/api/analysis", data=b"x" * 200_000, timeout=5,
                             headers={**auth(token), "Content-Type": "application/json"})
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]["message"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not.a.jwt", "Basic abc"])
def test_missing_or_bad_token_is_401(system: System, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = requests.post(f"{system.url}/api/analysis", json={"symbol": "BTC/USDT",
                             "timeframe": "1d"}, headers=headers, timeout=5)
    assert response.status_code == 401
    assert response.json()["error"]["message"]


def test_unknown_routes_and_methods_are_json_4xx(system: System) -> None:
    assert requests.get(f"{system.url}/api/nothing", timeout=5).status_code == 404
    response = requests.delete(f"{system.url}/api/auth/dev", timeout=5)
    assert response.status_code == 405 and "error" in response.json()


def test_symbol_forms_are_normalised(system: System) -> None:
    token = system.token()
    response = post_analysis(system, token, {"symbol": "eth-usdt", "timeframe": "4h"})
    assert response.status_code == 202
    doc = wait_final(system, token, response.json()["id"])
    assert doc["symbol"] == "ETH/USDT" and doc["status"] == "completed"


def test_a_pair_no_source_has_fails_with_a_reason(system: System) -> None:
    token = system.token()
    response = post_analysis(system, token, {"symbol": "XRP/USDT", "timeframe": "1d"})
    assert response.status_code == 202
    doc = wait_final(system, token, response.json()["id"])
    assert doc["status"] == "failed"
    assert "XRP/USDT" in doc["error"] and "replay" in doc["error"]


def test_another_users_analysis_is_not_found(system: System) -> None:
    owner, stranger = system.token(telegram_id=10), system.token(telegram_id=11)
    analysis_id = post_analysis(system, owner, BTC_1D).json()["id"]
    for path in ("", "/events"):
        response = requests.get(f"{system.url}/api/analysis/{analysis_id}{path}",
                                headers=auth(stranger), timeout=5)
        assert response.status_code == 404


def test_idempotency_key_returns_the_same_analysis(system: System) -> None:
    token = system.token()
    key = {"Idempotency-Key": "order-1"}
    first = post_analysis(system, token, {"symbol": "BTC/USDT", "timeframe": "1d"}, key)
    second = post_analysis(system, token, {"symbol": "BTC/USDT", "timeframe": "1d"}, key)
    assert first.status_code == 202 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]


def test_events_stream_shows_each_status_until_completed(system: System) -> None:
    token = system.token()
    analysis_id = post_analysis(system, token, BTC_1D).json()["id"]
    statuses = []
    with requests.get(f"{system.url}/api/analysis/{analysis_id}/events", headers=auth(token),
                      stream=True, timeout=10) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        for line in stream.iter_lines(decode_unicode=True):
            if line.startswith("data: "):
                statuses.append(json.loads(line[6:])["status"])
    assert statuses[-1] == "completed"
    assert statuses == sorted(set(statuses), key=statuses.index)  # no repeats, in order


def test_an_overdue_analysis_fails_with_timeout(ports: Container) -> None:
    ports.settings.analysis_deadline_seconds = 0
    ports.override(sources=[])  # nothing will serve it; only the deadline can end it
    from shared.services.request_analysis import request_analysis
    from tests.fakes import RecordingBus

    analysis, _ = request_analysis(ports.store, RecordingBus(), user_id="1",
                                   symbol="BTC/USDT", timeframe="1d", deadline_seconds=0)
    from shared.services.analyses import expire_overdue

    later = analysis.deadline_at + timedelta(seconds=1)  # time moved, not slept through
    assert expire_overdue(ports.store, RecordingBus(), now=later) == [analysis.id]
    doc = ports.store.get("analyses", analysis.id)
    assert doc is not None and doc["status"] == "failed" and doc["error"].startswith("timeout")


def test_state_survives_a_restart(tmp_path) -> None:
    def start() -> tuple[System, object, object]:
        container = Container(make_settings(tmp_path / "data"))
        from shared import bootstrap

        bootstrap.reset(container)
        port = free_port()
        server, host = build_server(container, "127.0.0.1", port)
        serve(server)
        return System(url=f"http://127.0.0.1:{port}", ports=container), server, host

    system, server, host = start()
    token = system.token()
    analysis_id = post_analysis(system, token, BTC_1D).json()["id"]
    before = wait_final(system, token, analysis_id)
    server.shutdown()  # type: ignore[attr-defined]
    host.stop()  # type: ignore[attr-defined]

    again, server, host = start()
    try:
        after = requests.get(f"{again.url}/api/analysis/{analysis_id}", headers=auth(token),
                             timeout=5).json()
        assert after == before  # the same token still works: the signing key was kept too
    finally:
        server.shutdown()  # type: ignore[attr-defined]
        host.stop()  # type: ignore[attr-defined]
        from shared import bootstrap

        bootstrap.reset(None)
