"""Secrets stay out of every log line (the local server's access log included); local
secret files are 0600 from the start in a 0700 data folder; the Telegram sink's acting
endpoints take JSON and the run's token only."""

from __future__ import annotations

import io
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from local.telegram_sink import TelegramSink
from shared import log
from shared.adapters.env_secrets import EnvSecrets
from shared.bootstrap import Container
from tests.e2e.conftest import System

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawZ"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """What the JSON formatter writes, as production logs it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(log.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield out
    root.removeHandler(handler)
    root.setLevel(previous)


def test_a_bot_token_in_a_url_path_or_a_remembered_secret_never_reaches_a_line(
        captured: io.StringIO) -> None:
    log.remember_secret("s3cret-webhook-value")
    logger = logging.getLogger("tests.secrets")
    logger.info('"POST /telegram-sink/bot%s/sendMessage HTTP/1.1" 200 -', TOKEN)
    logger.info("calling", extra={"url": f"https://api.telegram.org/bot{TOKEN}/getMe"})
    try:
        raise RuntimeError("bad secret s3cret-webhook-value")
    except RuntimeError:
        logger.exception("failed")
    text = captured.getvalue()
    assert TOKEN not in text and "s3cret-webhook-value" not in text
    assert text.count("[redacted]") >= 4


def test_the_local_servers_access_log_hides_the_bot_token(
        system: System, captured: io.StringIO) -> None:
    answer = requests.post(f"{system.url}/telegram-sink/bot{TOKEN}/getMe", json={}, timeout=5)
    assert answer.status_code == 200
    text = captured.getvalue()
    assert "/telegram-sink/bot[redacted]/getMe" in text and TOKEN not in text


def test_local_secrets_are_private_from_the_start(tmp_path: Path,
                                                  ports: Container) -> None:
    old = os.umask(0)  # whatever the umask, the modes are the code's
    try:
        folder = tmp_path / "fresh-data"
        secrets = EnvSecrets(folder / "local-secrets.json", ("JWT_SIGNING_KEY",))
        assert secrets.get("JWT_SIGNING_KEY")
        ports.settings.data_dir = folder
        ports.__dict__.pop("store", None)
        ports.store  # noqa: B018 - the embedded store creates the data folder
    finally:
        os.umask(old)
    assert stat.S_IMODE((folder / "local-secrets.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_sink_acts_only_on_json_with_this_runs_token() -> None:
    sink = TelegramSink(webhook=lambda update: (200, {}))
    client = sink.app.test_client()
    fault = '{"method": "sendMessage", "error_code": 429}'
    plain = client.post("/telegram-sink/faults", data=fault, content_type="text/plain")
    no_token = client.post("/telegram-sink/faults", data=fault,
                           content_type="application/json")
    wrong = client.post("/telegram-sink/send", json={"text": "/start"},
                        headers={"X-Sink-Token": "guess"})
    good = client.post("/telegram-sink/faults", data=fault, content_type="application/json",
                       headers={"X-Sink-Token": sink.control_token})
    assert (plain.status_code, no_token.status_code, wrong.status_code) == (415, 403, 403)
    assert good.status_code == 200 and client.delete("/telegram-sink/calls").status_code == 415
    assert sink.control_token in client.get("/telegram-sink/").get_data(as_text=True)
