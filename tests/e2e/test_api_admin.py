"""The admin API behind the panel: health from the store, users pages, tasks and retries,
flags that switch real behaviour, market sources, moderation lists, messages, prompts.

The API's Flask app in process over the embedded store; the bus records what is published.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from shared import bootstrap
from shared.api.app import create_app
from shared.errors import NoSourceAvailable
from shared.events import AdminMessage, MarketFetched
from shared.llm.pricing import record_usage
from shared.models import Candles, Status, iso, utcnow
from shared.services import analyses
from shared.services.analyze import build_result
from shared.services.fetch_market import fetch_candles
from shared.services.users import change_user
from tests.fakes import RecordingBus


class Api:
    def __init__(self, client: FlaskClient, ports: bootstrap.Container) -> None:
        self.client, self.ports = client, ports
        self.admin = self.sign_in(1, "admin")

    def sign_in(self, telegram_id: int, role: str = "user") -> str:
        reply = self.client.post("/api/auth/dev", json={"telegram_id": telegram_id,
                                                        "role": role})
        return str(reply.json["token"])  # type: ignore[index]

    def call(self, method: str, path: str, body: object = None,
             token: str | None = None) -> tuple[int, Any]:
        reply = self.client.open(path, method=method, json=body,
                                 headers={"Authorization": f"Bearer {token or self.admin}"})
        return reply.status_code, reply.json

    def flags(self, **flags: bool) -> None:
        status, _ = self.call("PUT", "/api/admin/features", {"flags": flags})
        assert status == 200


@pytest.fixture
def api(ports: bootstrap.Container) -> Iterator[Api]:
    ports.override(bus=RecordingBus())
    yield Api(create_app().test_client(), ports)


def stored_analysis(api: Api, analysis_id: str, status: Status, *, seconds: float = 0,
                    error: str | None = None, symbol: str = "BTC/USDT") -> None:
    created = utcnow() - timedelta(minutes=5)
    doc = analyses.new(analysis_id, "1", symbol, "4h", deadline_seconds=120,
                       now=created).model_dump(mode="json")
    history = doc["history"]
    if status is Status.completed:
        history.append({"status": "completed", "at": iso(created + timedelta(seconds=seconds))})
    doc.update(status=status.value, history=history, error=error)
    api.ports.store.create("analyses", analysis_id, doc)


def test_health_counts_the_pipeline_llm_and_problems_from_the_store(api: Api) -> None:
    for number, seconds in enumerate((10, 20, 30, 40)):
        stored_analysis(api, f"done{number}", Status.completed, seconds=seconds)
    stored_analysis(api, "late", Status.failed, error=analyses.TIMEOUT_REASON)
    stored_analysis(api, "waiting", Status.queued)
    record_usage(api.ports.store, "1", "done0", input_tokens=100, output_tokens=20,
                 cost_usd=0.25)
    record_usage(api.ports.store, "2", "done1", input_tokens=50, output_tokens=5, cost_usd=0.5)
    api.ports.store.set("rejected_messages", "analyzer:m1", {
        "function": "analyzer", "reason": "malformed", "at": iso(utcnow())})
    status, health = api.call("GET", "/api/admin/health")
    assert status == 200 and health["checks"] == {"store": "ok"}
    hour = health["pipeline"]["last_hour"]
    assert hour["by_status"] == {"completed": 4, "failed": 1, "queued": 1}
    assert hour["timeouts"] == 1
    assert hour["completion_seconds"] == {"median": 25.0, "p95": 40.0, "count": 4}
    assert health["llm"]["input_tokens"] == 150 and health["llm"]["cost_usd"] == 0.75
    assert [p["reason"] for p in health["problems"]] == ["malformed"]
    assert [s["name"] for s in health["market_sources"]] == ["replay"]


def test_users_page_without_cursors_and_show_use_today(api: Api) -> None:
    tokens = {n: api.sign_in(n) for n in range(10, 15)}
    change_user(api.ports.store, "12", username="satoshi")
    api.call("POST", "/api/analysis", {"symbol": "BTC/USDT", "timeframe": "4h"}, tokens[13])
    seen: list[str] = []
    before = None
    while True:
        path = "/api/admin/users?limit=2" + (f"&before={before}" if before else "")
        status, page = api.call("GET", path)
        assert status == 200 and len(page["items"]) <= 2
        seen += [u["id"] for u in page["items"]]
        before = page["next"]
        if before is None:
            break
    assert sorted(seen) == ["1", "10", "11", "12", "13", "14"]
    _, found = api.call("GET", "/api/admin/users?q=SATO")
    assert [u["id"] for u in found["items"]] == ["12"]
    _, by_id = api.call("GET", "/api/admin/users?q=13")
    (user,) = by_id["items"]
    assert user["used_today"] == 1 and user["daily_limit"] == 5
    assert user["last_seen_at"] is not None


def test_tasks_filter_and_a_retry_is_a_new_attempt(api: Api) -> None:
    stored_analysis(api, "broke", Status.failed, error="no source has NOPE/USDT",
                    symbol="NOPE/USDT")
    stored_analysis(api, "late", Status.failed, error=analyses.TIMEOUT_REASON)
    stored_analysis(api, "busy", Status.fetching)
    ids = {s: [a["id"] for a in api.call("GET", f"/api/admin/tasks?state={s}")[1]["analyses"]]
           for s in ("failed", "timed_out", "in_progress")}
    assert ids == {"failed": ["broke"], "timed_out": ["late"], "in_progress": ["busy"]}
    _, nope = api.call("GET", "/api/admin/tasks?symbol=NOPE/USDT")
    assert [a["id"] for a in nope["analyses"]] == ["broke"]
    status, created = api.call("POST", "/api/admin/tasks/broke/retry")
    assert status == 202 and (created["retry_of"], created["attempt"]) == ("broke", 2)
    assert api.ports.store.get("analyses", "broke")["status"] == "failed"  # type: ignore
    assert [e.analysis_id for e in api.ports.bus.take()] == [created["id"]]  # type: ignore
    assert api.call("POST", "/api/admin/tasks/busy/retry")[0] == 409
    _, many = api.call("POST", "/api/admin/tasks/retry", {"ids": ["late", "nothing"]})
    assert "retried_as" in many["items"][0] and "does not exist" in many["items"][1]["error"]


def test_flags_are_listed_refused_when_unknown_and_switch_the_admin_api(api: Api) -> None:
    _, listed = api.call("GET", "/api/admin/features")
    assert {f["name"] for f in listed["flags"]} == {
        "FEATURE_ASYNC_ANALYSIS", "FEATURE_LIVE_NOTIFICATIONS", "FEATURE_LIVE_MARKET_SOURCES",
        "FEATURE_ADMIN_PANEL", "FEATURE_PROMPT_MANAGEMENT"}
    assert api.call("PUT", "/api/admin/features", {"flags": {"FEATURE_NOTHING": True}})[0] == 400
    api.flags(FEATURE_ADMIN_PANEL=False)
    status, refused = api.call("GET", "/api/admin/users")
    assert status == 409 and "FEATURE_ADMIN_PANEL" in refused["error"]["message"]
    assert api.call("GET", "/api/admin/health")[0] == 200
    api.flags(FEATURE_ADMIN_PANEL=True)
    assert api.call("GET", "/api/admin/users")[0] == 200


def test_prompt_management_off_refuses_changes_but_previews(api: Api) -> None:
    api.flags(FEATURE_PROMPT_MANAGEMENT=False)
    new = {"system": "s", "template": "{{ symbol }}", "language": "en"}
    assert api.call("POST", "/api/admin/prompts/analysis-en/versions", new)[0] == 409
    assert api.call("POST", "/api/admin/prompts-preview", {"template": "{{ symbol }}"})[0] == 200


def test_async_analysis_off_answers_with_the_outcome(api: Api) -> None:
    api.flags(FEATURE_ASYNC_ANALYSIS=False)
    bus: RecordingBus = api.ports.bus  # type: ignore[assignment]

    def pipeline() -> None:  # what the functions would do: fail it (no such market here)
        for _ in range(200):
            events = bus.take()
            if events:
                analyses.transition(api.ports.store, events[0].analysis_id,  # type: ignore
                                    Status.failed, error="no source")
                return
            threading.Event().wait(0.01)

    worker = threading.Thread(target=pipeline)
    worker.start()
    status, answer = api.call("POST", "/api/analysis", {"symbol": "BTC/USDT",
                                                        "timeframe": "4h"})
    worker.join()
    assert (status, answer["status"]) == (200, "failed")


class LiveSource:
    name = "binance"

    def supports(self, symbol: str, timeframe: str) -> bool:
        return True

    async def fetch_candles(self, symbol: str, timeframe: str, limit: int) -> Candles:
        raise AssertionError("a live source was called with live sources off")


def test_live_market_sources_off_leaves_only_replay(api: Api) -> None:
    api.flags(FEATURE_LIVE_MARKET_SOURCES=False)
    with pytest.raises(NoSourceAvailable):
        asyncio.run(fetch_candles(api.ports.store, [LiveSource()], ["BTC/USDT"], "4h", 300))


def test_market_sources_reorder_disable_and_show_health(api: Api) -> None:
    asyncio.run(fetch_candles(api.ports.store, api.ports.sources, ["BTC/USDT"], "4h", 300,
                              use_cache=False))
    _, view = api.call("GET", "/api/admin/market-sources")
    (replay,) = view["sources"]
    assert (replay["name"], replay["state"], replay["enabled"]) == ("replay", "closed", True)
    assert replay["success_rate"] == 1.0 and replay["latency_p50_ms"] is not None
    body = {"sources": [{"name": "binance", "enabled": False}, {"name": "replay"}]}
    status, changed = api.call("PUT", "/api/admin/market-sources", body)
    assert status == 200
    assert [(s["name"], s["enabled"]) for s in changed["sources"]] == [
        ("binance", False), ("replay", True)]


def test_moderation_lists_hidden_analyses_and_banned_users(api: Api) -> None:
    stored_analysis(api, "shown", Status.completed, seconds=5)
    api.sign_in(20)
    assert api.call("POST", "/api/mod/analysis/shown/hide", {"reason": "spam"})[0] == 200
    assert api.call("POST", "/api/mod/users/20/ban", {"reason": "abuse"})[0] == 200
    _, hidden = api.call("GET", "/api/mod/hidden")
    _, banned = api.call("GET", "/api/mod/banned")
    assert [a["id"] for a in hidden["items"]] == ["shown"]
    assert [(u["id"], u["banned_reason"]) for u in banned["items"]] == [("20", "abuse")]
    api.call("POST", "/api/mod/analysis/shown/unhide", None)
    assert api.call("GET", "/api/mod/hidden")[1]["items"] == []


def test_messages_are_validated_recorded_and_published(api: Api) -> None:
    api.sign_in(30)
    alert = {"kind": "system_alert", "title": {"en": "Hi", "ru": "Привет"},
             "body": {"en": "Maintenance", "ru": ""}}
    status, sent = api.call("POST", "/api/admin/messages", alert)
    assert status == 202 and sent["body"] == {"en": "Maintenance"}
    (event,) = api.ports.bus.take()  # type: ignore[attr-defined]
    assert isinstance(event, AdminMessage) and event.user_id is None
    assert api.call("POST", "/api/admin/messages", {**alert, "kind": "user_message"})[0] == 400
    unknown = {**alert, "kind": "user_message", "user_id": "999"}
    assert api.call("POST", "/api/admin/messages", unknown)[0] == 404
    assert [m["id"] for m in api.call("GET", "/api/admin/messages")[1]["items"]] == [sent["id"]]


def completed_with_result(api: Api, analysis_id: str) -> None:
    """A completed BTC/USDT 4h analysis whose result the analysis engine computed."""
    ports = api.ports
    (fetched,) = asyncio.run(fetch_candles(ports.store, ports.sources, ["BTC/USDT"], "4h", 300))
    assert not isinstance(fetched, Exception)
    event = MarketFetched(correlation_id=analysis_id, analysis_id=analysis_id,
                          symbol="BTC/USDT", timeframe="4h", source=fetched.source,
                          candles=fetched.candles)
    result, _ = build_result(event, ports.llm, "en")
    stored_analysis(api, analysis_id, Status.completed, seconds=3)
    ports.store.update("analyses", analysis_id, {"result": result.model_dump(mode="json")})


def test_prompt_history_and_a_preview_over_a_real_pair(api: Api) -> None:
    pair = {"symbol": "BTC/USDT", "timeframe": "4h"}
    assert api.call("POST", "/api/admin/prompts-preview", {"template": "x", **pair})[0] == 404
    completed_with_result(api, "real")
    status, history = api.call("GET", "/api/admin/prompts/analysis-en/history")
    assert status == 200 and history["versions"][0]["author"]
    assert history["active"]["version"] == history["versions"][0]["version"]
    status, preview = api.call("POST", "/api/admin/prompts-preview", {
        "template": "{{ symbol }} RSI {{ indicators.rsi_14 | num }}", "symbol": "BTC/USDT",
        "timeframe": "4h"})
    assert status == 200 and preview["context"]["analysis_id"] == "real"
    assert preview["rendered"].startswith("BTC/USDT RSI ")
    assert "n/a" not in preview["rendered"]
    status, broken = api.call("POST", "/api/admin/prompts-preview", {
        "template": "{{ nothing_here }}", "symbol": "BTC/USDT"})
    assert status == 400 and "cannot be rendered" in broken["error"]["message"]
