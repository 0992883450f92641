"""The Bot API adapter: requests as Telegram expects them, errors translated at the edge."""

from __future__ import annotations

from typing import Any

import pytest

from shared.adapters.telegram_api import TelegramBotApi, build_messenger
from shared.config import Settings
from shared.errors import Forbidden, PermanentError, RateLimited, TransientError


class Answering:
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status, self.body = status, body
        self.requests: list[tuple[str, dict[str, Any]]] = []

    def post(self, url: str, **payload: Any) -> tuple[int, dict[str, Any]]:
        self.requests.append((url, payload))
        return self.status, self.body


def test_send_message_posts_json_to_the_configured_base() -> None:
    transport = Answering(200, {"ok": True, "result": {"message_id": 1}})
    TelegramBotApi("http://127.0.0.1:9/sink/", "123:ABC", transport=transport)\
        .send_message(5, "<b>hi</b>", parse_mode="HTML")
    url, payload = transport.requests[0]
    assert url == "http://127.0.0.1:9/sink/bot123:ABC/sendMessage"
    assert payload["json_body"]["parse_mode"] == "HTML" and payload["json_body"]["chat_id"] == 5


def test_photo_bytes_go_as_multipart() -> None:
    transport = Answering(200, {"ok": True, "result": {}})
    TelegramBotApi("http://x", "t", transport=transport).send_photo(5, b"png", caption="c")
    _, payload = transport.requests[0]
    assert payload["files"] == {"photo": b"png"} and payload["form"]["caption"] == "c"


@pytest.mark.parametrize(("status", "body", "error"), [
    (429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
           "parameters": {"retry_after": 7}}, RateLimited),
    (403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked"},
     Forbidden),
    (400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
     PermanentError),
    (502, {"ok": False, "description": "Bad Gateway"}, TransientError),
])
def test_errors_are_translated(status: int, body: dict[str, Any], error: type) -> None:
    api = TelegramBotApi("http://x", "SECRET-TOKEN", transport=Answering(status, body))
    with pytest.raises(error) as raised:
        api.send_message(1, "x")
    assert "SECRET-TOKEN" not in str(raised.value)
    if error is RateLimited:
        assert raised.value.retry_after == 7


class NoSecrets:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def get(self, name: str) -> str | None:
        return self.values.get(name)


def test_no_bot_without_token_and_no_public_api_outside_production(tmp_path) -> None:
    local = Settings(env="test", data_dir=tmp_path)
    assert build_messenger(local, NoSecrets({"TELEGRAM_BOT_TOKEN": "t"})) is None
    pointed = Settings(env="test", data_dir=tmp_path, telegram_api_base="http://127.0.0.1:1")
    assert build_messenger(pointed, NoSecrets({})) is None
    assert build_messenger(pointed, NoSecrets({"TELEGRAM_BOT_TOKEN": "t"})) is not None
