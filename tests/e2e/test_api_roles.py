"""Every endpoint × every role: object-level (404) and function-level (401/403)
authorisation, moderator actions logged, Telegram sign-in and tampered tokens refused.

One API app (the Flask app the ``api`` function serves) per module, driven in-process.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import jwt
import pytest
from flask.testing import FlaskClient

from shared import bootstrap
from shared.api.app import create_app
from shared.auth import telegram, tokens
from shared.events import AnalysisFailed
from shared.models import Role
from shared.services.notify import notify
from shared.services.users import change_user
from tests.conftest import make_settings
from tests.fakes import RecordingBus

BOT = "123456:test-bot-token"
ROLES = ("anonymous", "user", "premium", "vip", "moderator", "admin")


class Secrets:
    def __init__(self) -> None:
        self.values = {"JWT_SIGNING_KEY": "s" * 48, "TELEGRAM_BOT_TOKEN": BOT}

    def get(self, name: str) -> str | None:
        return self.values.get(name)


class World:
    def __init__(self, client: FlaskClient, ports: bootstrap.Container) -> None:
        self.client, self.ports = client, ports
        self.tokens: dict[str, str] = {}

    def sign_in(self, telegram_id: int, role: str) -> str:
        reply = self.client.post("/api/auth/dev", json={"telegram_id": telegram_id,
                                                        "role": role})
        return str(reply.json["token"])  # type: ignore[index]

    def call(self, role: str, method: str, path: str, body: object = None) -> int:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}
        reply = self.client.open(path, method=method, json=body, headers=headers)
        assert reply.status_code < 500, reply.data
        if reply.status_code >= 400:
            assert set(reply.json["error"]) == {"code", "message", "details"}  # type: ignore
        return reply.status_code


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data = Path(tmp_path_factory.mktemp("roles"))
    ports = bootstrap.Container(make_settings(data)).override(secrets=Secrets(),
                                                              bus=RecordingBus())
    bootstrap.reset(ports)
    app = create_app()
    world = World(app.test_client(), ports)
    for number, role in enumerate(ROLES[1:], start=100):
        world.tokens[role] = world.sign_in(number, "user" if role == "moderator" else role)
    change_user(ports.store, "103", moderator=True)
    owner = world.sign_in(900, "user")
    world.tokens["owner"] = owner
    made = world.client.post("/api/analysis", json={"symbol": "BTC/USDT", "timeframe": "1d"},
                             headers={"Authorization": f"Bearer {owner}"})
    world.ports.__dict__["owner_analysis"] = made.json["id"]  # type: ignore[index]
    world.ports.__dict__["owner_done"] = _completed(ports, "900")
    item = world.client.post("/api/watch", json={"symbol": "BTC/USDT", "rules": [
        {"kind": "price_above", "price": 100000}]}, headers={"Authorization": f"Bearer {owner}"})
    world.ports.__dict__["owner_item"] = item.json["id"]  # type: ignore[index]
    notify(ports.store, AnalysisFailed(event_id="owned:failed", correlation_id="owned",
                                       analysis_id="owned", user_id="900", symbol="XRP/USDT",
                                       timeframe="1d", reason="no source has it"))
    yield world
    ports.store.close()  # type: ignore[attr-defined]
    bootstrap.reset(None)


def _completed(ports: bootstrap.Container, user_id: str) -> str:
    """A completed analysis of this user, with its stored candles; its chart is a stand-in
    PNG (drawing one is test_chart's business, this matrix checks who may read it)."""
    from shared.charts import chart_path
    from shared.events import MarketFetched
    from shared.market.replay import ReplaySource
    from shared.services.analyze import analyze
    from shared.services.request_analysis import request_analysis

    made, _ = request_analysis(ports.store, RecordingBus(), user_id=user_id, symbol="BTC/USDT",
                               timeframe="1d", deadline_seconds=600, enforce_quota=False)
    candles = ReplaySource(ports.settings.replay_dir).candles("BTC/USDT", "1d", 300)
    analyze(ports.store, RecordingBus(), ports.llm, MarketFetched(
        correlation_id=made.id, analysis_id=made.id, symbol="BTC/USDT", timeframe="1d",
        source="replay", candles=candles), blobs=ports.blobs, charts=False)
    ports.blobs.put(chart_path(made.id), b"\x89PNG\r\n\x1a\n", "image/png")
    return made.id


ADMIN_ENDPOINTS = [
    ("GET", "/api/admin/users", None), ("GET", "/api/admin/users/900", None),
    ("PATCH", "/api/admin/users/900", {"daily_quota": 7}), ("GET", "/api/admin/limits", None),
    ("PUT", "/api/admin/limits", {}), ("GET", "/api/admin/usage", None),
    ("GET", "/api/admin/tasks", None), ("POST", "/api/admin/tasks/abc/retry", None),
    ("GET", "/api/admin/market-sources", None),
    ("PUT", "/api/admin/market-sources", {"sources": [{"name": "replay"}]}),
    ("GET", "/api/admin/features", None),
    ("PUT", "/api/admin/features", {"flags": {"FEATURE_ADMIN_PANEL": True}}),
    ("GET", "/api/admin/health", None), ("GET", "/api/admin/tasks?state=failed", None),
    ("POST", "/api/admin/tasks/retry", {"ids": ["abc"]}),
    ("GET", "/api/admin/dead-letters", None),
    ("POST", "/api/admin/dead-letters/nothing/replay", None),
    ("GET", "/api/admin/messages", None),
    ("POST", "/api/admin/messages", {"kind": "user_message", "user_id": "900",
                                     "title": {"en": "Hi"}, "body": {"en": "Matrix"}}),
    ("GET", "/api/admin/prompts/analysis-en/history", None),
    ("GET", "/api/admin/prompts", None),
    ("GET", "/api/admin/prompts/analysis-en", None),
    ("POST", "/api/admin/prompts/analysis-en/versions",
     {"system": "s", "template": "{{ symbol }}", "language": "en"}),
    ("POST", "/api/admin/prompts/analysis-en/activate", {"version": 1}),
    ("POST", "/api/admin/prompts/analysis-en/rollback", {}),
    ("POST", "/api/admin/prompts-preview", {"template": "{{ symbol }}"}),
]
MOD_ENDPOINTS = [
    ("GET", "/api/mod/log", None), ("GET", "/api/mod/flagged", None),
    ("GET", "/api/mod/hidden", None), ("GET", "/api/mod/banned", None),
    ("POST", "/api/mod/users/900/unban", {"reason": "matrix"}),
    ("POST", "/api/mod/analysis/{analysis}/unflag", {"reason": "matrix"}),
]
OWNED_ENDPOINTS = [
    ("GET", "/api/analysis/{analysis}", None), ("GET", "/api/analysis/{analysis}/events", None),
    ("GET", "/api/analysis/{done}/candles", None), ("GET", "/api/analysis/{done}/chart.png", None),
    ("POST", "/api/analysis/{analysis}/cancel", None), ("GET", "/api/watch/{item}", None),
    ("PUT", "/api/watch/{item}", {"symbol": "ETH/USDT"}), ("DELETE", "/api/watch/{item}", None),
    ("POST", "/api/notifications/owned:failed/read", None),
]
OWN_ENDPOINTS = [
    ("GET", "/api/me", None), ("GET", "/api/analysis", None), ("GET", "/api/watch", None),
    ("GET", "/api/analysis?symbol=BTC/USDT&limit=5", None), ("GET", "/api/market/pairs", None),
    ("POST", "/api/watch", {"symbol": "ETH/USDT", "rules": [{"kind": "rsi_below",
                                                             "value": 30}]}),
    ("POST", "/api/analysis", {"symbol": "ETH/USDT", "timeframe": "4h"}),
    ("GET", "/api/notifications", None), ("GET", "/api/notifications?unread=true", None),
    ("GET", "/api/screener", None), ("GET", "/api/screener?sort=move&timeframe=1d", None),
    ("GET", "/api/digest", None),
    ("PUT", "/api/digest", {"enabled": True, "hour": 8, "utc_offset_minutes": 180}),
    ("POST", "/api/notifications/read-all", None),
]


def fill(world: World, path: str) -> str:
    return path.format(analysis=world.ports.__dict__["owner_analysis"],
                       item=world.ports.__dict__["owner_item"],
                       done=world.ports.__dict__["owner_done"])


@pytest.mark.parametrize("role", ROLES)
def test_admin_endpoints_need_the_admin_role(world: World, role: str) -> None:
    want = {"anonymous": 401, "admin": None}.get(role, 403)
    for method, path, body in ADMIN_ENDPOINTS:
        status = world.call(role, method, path, body)
        if want is None:
            assert status not in (401, 403), (method, path, status)
        else:
            assert status == want, (method, path, status)


@pytest.mark.parametrize("role", ROLES)
def test_mod_endpoints_need_a_moderator_or_admin(world: World, role: str) -> None:
    want = {"anonymous": 401, "admin": None, "moderator": None}.get(role, 403)
    for method, path, body in MOD_ENDPOINTS:
        status = world.call(role, method, fill(world, path), body)
        assert status == want if want else status not in (401, 403), (method, path, status)


@pytest.mark.parametrize("role", ROLES)
def test_another_users_analysis_and_watch_items_are_not_found(world: World,
                                                               role: str) -> None:
    for method, path, body in OWNED_ENDPOINTS:
        status = world.call(role, method, fill(world, path), body)
        staff_reads_analysis = role in ("admin", "moderator") and "/api/analysis/" in path
        if role == "anonymous":
            assert status == 401
        elif staff_reads_analysis and method == "GET":
            assert status == 200, (method, path)
        elif not staff_reads_analysis:
            assert status == 404, (role, method, path, status)


@pytest.mark.parametrize("role", ROLES)
def test_own_endpoints_answer_every_signed_in_role(world: World, role: str) -> None:
    for method, path, body in OWN_ENDPOINTS:
        status = world.call(role, method, path, body)
        assert status == 401 if role == "anonymous" else status in (200, 201, 202), path


def test_the_owner_reads_what_others_are_refused(world: World) -> None:
    for method, path, _ in OWNED_ENDPOINTS:
        if method == "GET" and not path.endswith("/events"):
            assert world.call("owner", method, fill(world, path)) == 200, path


def test_the_log_names_a_role_change_and_a_moderator_change_apart(world: World) -> None:
    world.sign_in(951, "user")
    for change in ({"role": "premium", "reason": "paid"}, {"moderator": True, "reason": "help"}):
        assert world.call("admin", "PATCH", "/api/admin/users/951", change) == 200
    log = world.client.get("/api/mod/log?target=user:951",
                           headers={"Authorization": f"Bearer {world.tokens['admin']}"}).json
    entries = [(e["action"], e["reason"], e["details"]) for e in log["items"]]  # type: ignore[index]
    assert entries == [("moderator", "help", {"moderator": True}),
                       ("role", "paid", {"role": "premium"})]


def test_a_moderator_action_is_logged_and_takes_effect(world: World) -> None:
    victim = world.sign_in(950, "user")
    world.tokens["victim"] = victim
    assert world.call("moderator", "POST", "/api/mod/users/950/ban", {"reason": "spam"}) == 200
    assert world.call("victim", "GET", "/api/me") == 403
    log = world.client.get("/api/mod/log?target=user:950",
                           headers={"Authorization": f"Bearer {world.tokens['admin']}"}).json
    entry = log["items"][0]  # type: ignore[index]
    assert (entry["action"], entry["actor_id"], entry["reason"]) == ("ban", "103", "spam")
    assert world.call("moderator", "POST", "/api/mod/users/102/ban", None) == 200  # a vip
    assert world.call("moderator", "POST", "/api/mod/users/104/ban", None) == 403  # an admin


def test_moderator_actions_on_analyses_follow_the_may_act_rule_and_are_logged(
        world: World) -> None:
    def analysis_of(token: str) -> str:
        made = world.client.post("/api/analysis", json={"symbol": "ETH/USDT", "timeframe": "1d"},
                                 headers={"Authorization": f"Bearer {token}"}).json
        return str(made["id"])  # type: ignore[index]

    admins = analysis_of(world.tokens["admin"])
    for action in ("cancel", "flag", "hide"):
        path = (f"/api/analysis/{admins}/cancel" if action == "cancel"
                else f"/api/mod/analysis/{admins}/{action}")
        assert world.call("moderator", "POST", path) == 403, action  # not an admin's
    assert world.call("admin", "GET", f"/api/analysis/{admins}") == 200
    users = analysis_of(world.sign_in(980, "user"))
    assert world.call("moderator", "POST", f"/api/analysis/{users}/cancel") == 200
    log = world.client.get(f"/api/mod/log?target=analysis:{users}",
                           headers={"Authorization": f"Bearer {world.tokens['admin']}"}).json
    entry = log["items"][0]  # type: ignore[index]
    assert (entry["action"], entry["actor_id"], entry["details"]["owner"]) == (
        "cancel", "103", "980")
    assert world.client.get(f"/api/analysis/{users}", headers={
        "Authorization": f"Bearer {world.tokens['admin']}"}).json["error"] == (  # type: ignore
        "cancelled by a moderator")


def test_a_hidden_analysis_disappears_for_its_owner(world: World) -> None:
    owner = world.sign_in(960, "user")
    made = world.client.post("/api/analysis", json={"symbol": "BTC/USDT", "timeframe": "1d"},
                             headers={"Authorization": f"Bearer {owner}"}).json
    world.tokens["owner960"] = owner
    path = f"/api/analysis/{made['id']}"  # type: ignore[index]
    assert world.call("moderator", "POST", f"/api/mod/analysis/{made['id']}/hide",  # type: ignore
                      {"reason": "abuse"}) == 200
    assert world.call("owner960", "GET", path) == 404
    assert world.call("admin", "GET", path) == 200


def test_the_daily_quota_answers_429_with_retry_after(world: World) -> None:
    token = world.sign_in(970, "user")
    headers = {"Authorization": f"Bearer {token}"}
    codes = [world.client.post("/api/analysis", json={"symbol": "BTC/USDT", "timeframe": "1d"},
                               headers=headers) for _ in range(6)]
    assert [r.status_code for r in codes] == [202] * 5 + [429]
    assert int(codes[-1].headers["Retry-After"]) > 0
    assert "daily limit" in codes[-1].json["error"]["message"]  # type: ignore[index]


def _signed_widget(**fields: str) -> dict[str, str]:
    fields = {"id": "4242", "first_name": "Ada", "auth_date": str(int(time.time())), **fields}
    return {**fields, "hash": telegram.sign_for_tests(fields, telegram.widget_secret(BOT))}


def test_telegram_sign_in_gives_an_api_token(world: World) -> None:
    widget = world.client.post("/api/auth/telegram", json=_signed_widget())
    assert widget.status_code == 200 and widget.json["user"]["id"] == "4242"  # type: ignore
    user = {"id": 4343, "first_name": "Bo"}
    fields = {"auth_date": str(int(time.time())), "user": json.dumps(user)}
    fields["hash"] = telegram.sign_for_tests(fields, telegram.webapp_secret(BOT))
    app = world.client.post("/api/auth/telegram/webapp", json={"init_data": urlencode(fields)})
    assert app.status_code == 200
    me = world.client.get("/api/me", headers={"Authorization": f"Bearer {app.json['token']}"})
    assert me.json["user"]["telegram_id"] == 4343  # type: ignore[index]


@pytest.mark.parametrize("payload", [
    _signed_widget(auth_date=str(int(time.time()) - 10 * 86400)),
    {**_signed_widget(), "id": "1"}, {**_signed_widget(), "hash": "a" * 64},
])
def test_tampered_or_stale_widget_data_gets_401(world: World, payload: dict) -> None:
    assert world.client.post("/api/auth/telegram", json=payload).status_code == 401


def _forged(kind: str) -> str:
    claims = {"sub": "104", "role": "admin", "iss": "chartgenius", "aud": "chartgenius-api",
              "exp": int(time.time()) + 600}
    if kind == "alg-none":
        return jwt.encode(claims, None, algorithm="none")
    if kind == "wrong-key":
        return tokens.issue("w" * 48, "104", Role.admin, issuer="chartgenius",
                            audience="chartgenius-api", ttl_seconds=600)
    if kind == "expired":
        return tokens.issue("s" * 48, "104", Role.admin, issuer="chartgenius",
                            audience="chartgenius-api", ttl_seconds=-10)
    return tokens.issue("s" * 48, "104", Role.admin, issuer="chartgenius",
                        audience="another-api", ttl_seconds=600)


@pytest.mark.parametrize("kind", ["alg-none", "wrong-key", "expired", "wrong-aud"])
def test_tampered_tokens_get_401(world: World, kind: str) -> None:
    reply = world.client.get("/api/admin/users",
                             headers={"Authorization": f"Bearer {_forged(kind)}"})
    assert reply.status_code == 401


def test_metrics_count_requests_by_route_and_status(world: World) -> None:
    text = world.client.get("/metrics").data.decode()
    assert 'route="/api/analysis/<analysis_id>"' in text and 'status="404"' in text
    assert "chartgenius_http_request_duration_seconds_bucket" in text


def test_cors_only_for_configured_origins(world: World) -> None:
    world.ports.settings.cors_origins = ["https://app.example"]
    good = world.client.get("/health", headers={"Origin": "https://app.example"})
    bad = world.client.get("/health", headers={"Origin": "https://evil.example"})
    assert good.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert "Access-Control-Allow-Origin" not in bad.headers


def test_docs_page_is_self_contained(world: World) -> None:
    page = world.client.get("/api/docs")
    assert page.status_code == 200 and b"/api/openapi.json" in page.data
    assert b"https://" not in page.data and b"http://" not in page.data
    spec = world.client.get("/api/openapi.json").json
    assert "/api/watch/{item_id}" in spec["paths"]  # type: ignore[index]
