"""Property-based fuzz of the published OpenAPI spec (schemathesis), with every check it has:
no 5xx; status codes, content types, headers and bodies as documented; schema-valid requests
accepted and invalid ones refused; 405 with a matching ``Allow`` for undocumented methods;
auth not ignored. Bounded: a few derandomised examples per operation, signed in as an admin
so that every route is reached (about 340 cases; the run prints its count and time)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from shared import bootstrap
from shared.api.app import create_app
from tests.conftest import make_settings
from tests.fakes import RecordingBus

checks.load_all_checks()
CHECKS = checks.CHECKS.get_all()
EXAMPLES = 6


class Secrets:
    def get(self, name: str) -> str | None:
        return {"JWT_SIGNING_KEY": "f" * 48, "TELEGRAM_BOT_TOKEN": "1:fuzz"}.get(name)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, dict[str, str]]]:
    ports = bootstrap.Container(make_settings(Path(tmp_path_factory.mktemp("fuzz"))))
    ports.override(secrets=Secrets(), bus=RecordingBus())
    bootstrap.reset(ports)
    app = create_app()
    token = app.test_client().post("/api/auth/dev", json={"telegram_id": 1, "role": "admin"})
    yield app, {"Authorization": f"Bearer {token.json['token']}"}  # type: ignore[index]
    ports.store.close()  # type: ignore[attr-defined]
    bootstrap.reset(None)


def operations(app: object) -> list[object]:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations()]
    return [op for op in found if not op.path.endswith("/events")]  # a live stream


def test_no_server_errors_and_responses_match_the_spec(
        api: tuple[object, dict[str, str]]) -> None:
    app, headers = api
    ops = operations(app)
    assert len(ops) >= 30 and len(CHECKS) >= 10
    cases = [0]
    failures: dict[str, str] = {}
    started = time.perf_counter()
    for operation in ops:

        @given(case=operation.as_strategy())  # type: ignore[attr-defined]
        @settings(max_examples=EXAMPLES, deadline=None,
                  suppress_health_check=list(HealthCheck), derandomize=True, database=None)
        def fuzz(case: object) -> None:
            cases[0] += 1
            case.call_and_validate(headers=headers, checks=CHECKS)  # type: ignore[attr-defined]

        try:
            fuzz()
        except Exception as exc:  # every operation runs: all failures are listed at once
            failures[f"{operation.method.upper()} {operation.path}"] = str(exc)  # type: ignore[attr-defined]
    sys.stderr.write(f"\nschemathesis: {cases[0]} cases over {len(ops)} operations, "
                     f"{len(CHECKS)} checks, {time.perf_counter() - started:.1f} s\n")
    assert not failures, "\n\n".join(f"{op}:\n{text}" for op, text in failures.items())
