"""Admins manage prompt templates over the API: versions, activation, rollback, and an edit
that lost a race gets 412 with nothing overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from shared import bootstrap
from shared.api.app import create_app
from tests.conftest import make_settings
from tests.fakes import RecordingBus

NEW = {"system": "You are terse.", "template": "Analyse {{ symbol }} on {{ timeframe }}.",
       "language": "en", "note": "shorter"}


@pytest.fixture
def admin(tmp_path: Path) -> Iterator[tuple[FlaskClient, dict[str, str]]]:
    ports = bootstrap.Container(make_settings(tmp_path / "data")).override(bus=RecordingBus())
    bootstrap.reset(ports)
    client = create_app().test_client()
    token = client.post("/api/auth/dev", json={"telegram_id": 5, "role": "admin"}).json["token"]
    yield client, {"Authorization": f"Bearer {token}"}
    bootstrap.reset(None)


def test_create_activate_and_roll_back(admin) -> None:
    client, auth = admin
    listed = client.get("/api/admin/prompts", headers=auth).json["items"]
    assert {p["name"] for p in listed} >= {"analysis-en", "analysis-ru"}
    created = client.post("/api/admin/prompts/analysis-en/versions", json=NEW, headers=auth)
    assert created.status_code == 201 and created.json["version"] == 2
    before = client.get("/api/admin/prompts/analysis-en", headers=auth).json
    assert before["version"] == 1  # creating does not activate
    generation = before["active"]["generation"]
    activated = client.post("/api/admin/prompts/analysis-en/activate", headers=auth,
                            json={"version": 2, "if_generation_match": generation})
    assert activated.status_code == 200 and activated.json["version"] == 2
    assert client.get("/api/admin/prompts/analysis-en", headers=auth).json["template"] == \
        NEW["template"]
    rolled = client.post("/api/admin/prompts/analysis-en/rollback", json={}, headers=auth)
    assert rolled.status_code == 200 and rolled.json["version"] == 1


def test_a_stale_edit_gets_412_and_changes_nothing(admin) -> None:
    client, auth = admin
    client.post("/api/admin/prompts/analysis-en/versions", json=NEW, headers=auth)
    seen = client.get("/api/admin/prompts/analysis-en", headers=auth).json["active"]["generation"]
    first = client.post("/api/admin/prompts/analysis-en/activate", headers=auth,
                        json={"version": 2, "if_generation_match": seen})
    assert first.status_code == 200
    late = client.post("/api/admin/prompts/analysis-en/rollback", headers=auth,
                       json={"if_generation_match": seen})
    assert late.status_code == 412
    assert late.json["error"]["code"] == "precondition_failed"
    assert client.get("/api/admin/prompts/analysis-en", headers=auth).json["version"] == 2


@pytest.mark.parametrize(("path", "payload", "status"), [
    ("/api/admin/prompts/analysis-en/versions", {**NEW, "template": "{{ nope.__class__ }}"},
     400),
    ("/api/admin/prompts/analysis-en/versions", {**NEW, "language": "de"}, 400),
    ("/api/admin/prompts/Bad Name/versions", NEW, 400),
    ("/api/admin/prompts/analysis-en/activate", {"version": 99}, 404),
    ("/api/admin/prompts-preview", {"template": "{% import 'os' %}"}, 400),
    ("/api/admin/prompts-preview", {"template": "{% include 'x' %}"}, 400),
    ("/api/admin/prompts-preview", {"template": "{% extends 'x' %}"}, 400),
    ("/api/admin/prompts-preview", {"template": "{{ 9**(9**9) > 1 }}"}, 400),
    ("/api/admin/prompts-preview", {"template": "{{ 'a'*1000000000 }}"}, 400),
    ("/api/admin/prompts/analysis-en/versions",
     {**NEW, "template": "{% if price > 1000 %}{% for i in range(20000) %}{% for j in "
      "range(20000) %}{% endfor %}{% endfor %}{% endif %}ok"}, 400),
])
def test_bad_templates_and_names_are_refused(admin, path: str, payload: dict,
                                             status: int) -> None:
    client, auth = admin
    reply = client.post(path, json=payload, headers=auth)
    assert reply.status_code == status, reply.json
    assert reply.json["error"]["message"]


def test_preview_renders_sample_values(admin) -> None:
    client, auth = admin
    reply = client.post("/api/admin/prompts-preview", headers=auth,
                        json={"template": "{{ symbol }} at {{ price }}"})
    assert reply.status_code == 200 and reply.json["rendered"].startswith("BTC/USDT at")
