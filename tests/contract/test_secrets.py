"""The Secrets contract: environment variables locally, Secret Manager in production.

Secret Manager has no emulator; its adapter gets a fake client through its constructor that
answers ``access_secret_version`` the way the real one does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from google.api_core import exceptions as google_errors

from shared.adapters.env_secrets import EnvSecrets
from shared.adapters.secret_manager import SecretManagerSecrets
from shared.errors import TransientError
from shared.ports import Secrets

PROJECT = "chartgenius-test"
# Names no machine sets, so the environment of the test run cannot leak in.
TOKEN, MISSING = "CG_CONTRACT_BOT_TOKEN", "CG_CONTRACT_NOT_SET"


class FakeSecretManager:
    """Stands in for ``secretmanager.SecretManagerServiceClient``."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self.secrets = secrets
        self.requests: list[str] = []
        self.fail_with: Exception | None = None

    def access_secret_version(self, *, name: str, timeout: float | None = None) -> Any:
        self.requests.append(name)
        if self.fail_with is not None:
            raise self.fail_with
        secret_id = name.split("/")[3]
        if (
            name != f"projects/{PROJECT}/secrets/{secret_id}/versions/latest"
            or secret_id not in self.secrets
        ):
            raise google_errors.NotFound(f"Secret [{name}] not found or has no versions.")
        return SimpleNamespace(payload=SimpleNamespace(data=self.secrets[secret_id].encode()))


# A factory takes the secrets that exist and returns the adapter that serves them.
Factory = Callable[[dict[str, str]], Secrets]


@pytest.fixture(params=["env", "secret_manager"])
def make_secrets(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Factory:
    monkeypatch.delenv(TOKEN, raising=False)
    monkeypatch.delenv(MISSING, raising=False)

    def env(stored: dict[str, str]) -> Secrets:
        for name, value in stored.items():
            monkeypatch.setenv(name, value)
        return EnvSecrets(tmp_path / "local-secrets.json")

    def secret_manager(stored: dict[str, str]) -> Secrets:
        return SecretManagerSecrets(PROJECT, client=FakeSecretManager(stored))

    return env if request.param == "env" else secret_manager


def test_adapter_implements_the_port(make_secrets: Factory) -> None:
    assert isinstance(make_secrets({}), Secrets)


def test_a_stored_secret_is_returned(make_secrets: Factory) -> None:
    secrets = make_secrets({TOKEN: "123:abc ünïcode"})
    assert secrets.get(TOKEN) == "123:abc ünïcode"
    assert secrets.get(TOKEN) == "123:abc ünïcode"


def test_a_missing_secret_is_none(make_secrets: Factory) -> None:
    assert make_secrets({TOKEN: "x"}).get(MISSING) is None


def test_a_secret_environment_variable_wins(
    make_secrets: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = make_secrets({TOKEN: "stored"})
    monkeypatch.setenv(TOKEN, "mounted")  # how Cloud Functions hands a function its secrets
    assert secrets.get(TOKEN) == "mounted"


def test_an_empty_environment_variable_is_not_a_secret(
    make_secrets: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = make_secrets({})
    monkeypatch.setenv(MISSING, "")
    assert secrets.get(MISSING) is None


# -- Secret Manager specifics --------------------------------------------------------------
def test_secret_manager_reads_latest_once_per_instance(caplog: pytest.LogCaptureFixture) -> None:
    client = FakeSecretManager({TOKEN: "s3cr3t-value"})
    secrets = SecretManagerSecrets(PROJECT, client=client)
    caplog.set_level(logging.DEBUG)
    assert [secrets.get(TOKEN) for _ in range(3)] == ["s3cr3t-value"] * 3
    assert [secrets.get(MISSING) for _ in range(2)] == [None, None]
    assert client.requests == [
        f"projects/{PROJECT}/secrets/{TOKEN}/versions/latest",
        f"projects/{PROJECT}/secrets/{MISSING}/versions/latest",
    ]
    assert "s3cr3t-value" not in caplog.text


def test_secret_manager_unreadable_secret_is_none(caplog: pytest.LogCaptureFixture) -> None:
    client = FakeSecretManager({TOKEN: "x"})
    client.fail_with = google_errors.PermissionDenied("not granted")
    assert SecretManagerSecrets(PROJECT, client=client).get(TOKEN) is None


def test_secret_manager_outage_is_transient_and_not_cached() -> None:
    client = FakeSecretManager({TOKEN: "value"})
    secrets = SecretManagerSecrets(PROJECT, client=client)
    client.fail_with = google_errors.ServiceUnavailable("down")
    with pytest.raises(TransientError):
        secrets.get(TOKEN)
    client.fail_with = None
    assert secrets.get(TOKEN) == "value"


def test_env_secrets_generates_a_local_secret_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN, raising=False)
    file = tmp_path / "local-secrets.json"
    first = EnvSecrets(file, generate=(TOKEN,)).get(TOKEN)
    assert first and len(first) >= 32
    assert EnvSecrets(file, generate=(TOKEN,)).get(TOKEN) == first  # survives a restart
    assert file.stat().st_mode & 0o077 == 0
