"""The sign-in rate limit keys on the client's address as Google's front end reports it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from shared import bootstrap
from shared.api.app import create_app
from tests.conftest import make_settings


def client_for(tmp_path: Path, **settings: object) -> Iterator[FlaskClient]:
    ports = bootstrap.Container(make_settings(tmp_path, auth_requests_per_minute=2, **settings))
    bootstrap.reset(ports)
    yield create_app().test_client()
    bootstrap.reset(None)


@pytest.fixture
def behind_google(tmp_path: Path) -> Iterator[FlaskClient]:
    yield from client_for(tmp_path, forwarded_hops=1)


def sign_in(client: FlaskClient, forwarded_for: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/api/auth/telegram", json={}, headers=headers).status_code


def test_each_client_behind_the_front_end_has_its_own_limit(behind_google) -> None:
    assert [sign_in(behind_google, "203.0.113.7") for _ in range(3)][-1] == 429
    assert sign_in(behind_google, "198.51.100.9") != 429  # another client, same proxy


def test_a_client_cannot_escape_its_limit_with_a_forged_header(behind_google) -> None:
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        status = sign_in(behind_google, f"{forged}, 203.0.113.7")  # the front end appends
    assert status == 429


def test_locally_the_socket_address_counts(tmp_path: Path) -> None:
    client = next(client_for(tmp_path))  # env "test": no proxy is trusted
    statuses = [sign_in(client, f"10.0.0.{n}") for n in range(3)]
    assert statuses[-1] == 429
    bootstrap.reset(None)
