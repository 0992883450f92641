"""Request bodies are read strictly: a JSON boolean is not a number, a number is not a
boolean, a string is not an integer — each is a 400 naming the field."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from shared.api.app import create_app
from shared.bootstrap import Container


@pytest.fixture
def admin(ports: Container) -> tuple[FlaskClient, dict[str, str]]:
    client = create_app().test_client()
    token = client.post("/api/auth/dev", json={"telegram_id": 7, "role": "admin"}).json
    return client, {"Authorization": f"Bearer {token['token']}"}  # type: ignore[index]


@pytest.mark.parametrize(("method", "path", "payload", "field"), [
    ("POST", "/api/watch", {"symbol": "BTC/USDT", "rules": [
        {"kind": "price_above", "price": True}]}, "price"),
    ("POST", "/api/watch", {"symbol": "BTC/USDT", "enabled": 0}, "enabled"),
    ("POST", "/api/watch", {"symbol": "BTC/USDT", "rules": [
        {"kind": "change_pct", "percent": 5, "window": "3"}]}, "window"),
    ("POST", "/api/watch", {"symbol": "BTC/USDT", "rules": [
        {"kind": "rsi_above", "value": 70, "period": 14.5}]}, "period"),
    ("POST", "/api/auth/dev", {"telegram_id": True}, "telegram_id"),
    ("PATCH", "/api/admin/users/7", {"banned": 1}, "banned"),
    ("PATCH", "/api/admin/users/7", {"daily_quota": False}, "daily_quota"),
    ("PUT", "/api/admin/features", {"flags": {"beta": 0}}, "flags"),
    ("POST", "/api/admin/prompts/analysis-en/activate", {"version": True}, "version"),
])
def test_lax_types_are_refused(admin: tuple[FlaskClient, dict[str, str]], method: str,
                               path: str, payload: dict[str, object], field: str) -> None:
    client, headers = admin
    answer = client.open(path, method=method, json=payload, headers=headers)
    assert answer.status_code == 400, answer.json
    assert field in answer.json["error"]["message"]  # type: ignore[index]


def test_a_price_stays_the_number_sent(admin: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = admin
    answer = client.post("/api/watch", headers=headers, json={
        "symbol": "BTC/USDT", "rules": [{"kind": "price_above", "price": 100000}]})
    assert answer.status_code == 201
    assert answer.json["rules"][0]["price"] == 100000.0  # type: ignore[index]


def test_json_integers_and_constants(admin: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = admin
    whole = client.post("/api/auth/dev", json={"telegram_id": 8.0})  # JSON Schema: an integer
    assert whole.status_code == 200 and whole.json["user"]["telegram_id"] == 8  # type: ignore
    for constant in ("NaN", "Infinity", "-Infinity"):
        answer = client.post("/api/watch", headers=headers, content_type="application/json",
                             data='{"symbol": "BTC/USDT", "rules": [{"kind": "price_above", '
                                  f'"price": {constant}}}]}}')
        assert answer.status_code == 400 and "not valid JSON" in answer.json["error"]["message"]


def test_a_well_formed_pair_no_source_has_is_not_found(
        admin: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = admin
    answer = client.get("/api/market/price?symbol=ZZZ/QQQ", headers=headers)
    assert answer.status_code == 404 and answer.is_json
