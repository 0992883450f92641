"""A user's watchlist over the API: add, list, read, replace, delete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from shared import bootstrap
from shared.api.app import create_app
from tests.conftest import make_settings
from tests.fakes import RecordingBus


@pytest.fixture
def user(tmp_path: Path) -> Iterator[tuple[FlaskClient, dict[str, str]]]:
    ports = bootstrap.Container(make_settings(tmp_path / "data")).override(bus=RecordingBus())
    bootstrap.reset(ports)
    client = create_app().test_client()
    token = client.post("/api/auth/dev", json={"telegram_id": 8}).json["token"]
    yield client, {"Authorization": f"Bearer {token}"}
    bootstrap.reset(None)


def test_watchlist_round_trip(user) -> None:
    client, auth = user
    rules = [{"kind": "price_above", "price": 120000}, {"kind": "rsi_below", "value": 30}]
    made = client.post("/api/watch", json={"symbol": "btc/usdt", "rules": rules}, headers=auth)
    assert made.status_code == 201, made.json
    item_id = made.json["id"]
    listed = client.get("/api/watch", headers=auth)
    assert listed.status_code == 200, listed.json
    assert [i["symbol"] for i in listed.json["items"]] == ["BTC/USDT"]
    assert client.get(f"/api/watch/{item_id}", headers=auth).json["rules"][0]["price"] == 120000
    replaced = client.put(f"/api/watch/{item_id}", headers=auth,
                          json={"symbol": "ETH/USDT", "rules": rules[:1]})
    assert replaced.status_code == 200 and replaced.json["symbol"] == "ETH/USDT"
    assert client.delete(f"/api/watch/{item_id}", headers=auth).status_code in (200, 204)
    assert client.get("/api/watch", headers=auth).json["items"] == []
    assert client.get(f"/api/watch/{item_id}", headers=auth).status_code == 404
