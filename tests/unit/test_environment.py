"""A deployment names its environment explicitly; the dev login exists only when a local run
asks for it, and never on Cloud Run / Cloud Functions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared import bootstrap, config
from shared.api.app import create_app
from shared.config import MissingEnvironment, Settings
from tests.conftest import ROOT, make_settings


def test_settings_refuse_to_load_without_an_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHARTGENIUS_ENV")
    config.settings.cache_clear()
    try:
        with pytest.raises(MissingEnvironment, match="CHARTGENIUS_ENV"):
            config.settings()
    finally:
        config.settings.cache_clear()


def test_an_entry_point_does_not_start_without_an_environment(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTGENIUS_")}
    env.update(PYTHONPATH=str(ROOT), CHARTGENIUS_DATA_DIR=str(tmp_path))
    started = subprocess.run(  # noqa: S603 - our own interpreter and file
        [sys.executable, "-c", "import runpy; runpy.run_path('functions/api/main.py')"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert started.returncode != 0 and "CHARTGENIUS_ENV is not set" in started.stderr


@pytest.mark.parametrize(("env", "dev_login", "k_service", "enabled"), [
    ("local", False, None, False),  # local, but not asked for
    ("local", True, None, True),
    ("test", True, None, True),
    ("local", True, "api", False),  # on Cloud Run / Functions: never
    ("production", True, None, False),
])
def test_the_dev_login_exists_only_when_enabled_for_a_local_run(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: str, dev_login: bool,
        k_service: str | None, enabled: bool) -> None:
    if k_service:
        monkeypatch.setenv("K_SERVICE", k_service)
    else:
        monkeypatch.delenv("K_SERVICE", raising=False)
    extra = {"store": "firestore"} if env == "production" else {}
    settings = Settings(env=env, dev_login=dev_login, data_dir=tmp_path, **extra)
    assert settings.dev_auth_enabled is enabled


def test_the_dev_login_route_is_404_unless_enabled(tmp_path: Path) -> None:
    ports = bootstrap.Container(make_settings(tmp_path, dev_login=False))
    bootstrap.reset(ports)
    try:
        answer = create_app().test_client().post("/api/auth/dev", json={"telegram_id": 1})
        assert answer.status_code == 404 and answer.is_json
    finally:
        ports.store.close()  # type: ignore[attr-defined]
        bootstrap.reset(None)
