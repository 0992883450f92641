"""The Bot API's HTTP transport on a real socket: JSON and multipart bodies as Telegram reads
them, keep-alive, and an unreachable Telegram as TransientError without the token."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP

import pytest

from shared.adapters.telegram_api import TelegramBotApi
from shared.errors import RateLimited, TransientError
from tests.loopback_http import JsonHandler, LoopbackHttp

TOKEN = "123:SECRET"  # noqa: S105 (a test token)


class BotApi:
    """Records each call (path, content type, body); answers ok, or 429 for ``limited``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, bytes]] = []
        self.connections: set[int] = set()
        recorder = self

        class Handler(JsonHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                recorder.calls.append((self.path, self.headers["Content-Type"], body))
                recorder.connections.add(self.client_address[1])
                limited = self.path.endswith("/limited")
                answer = ({"ok": False, "error_code": 429, "description": "Too Many Requests",
                           "parameters": {"retry_after": 3}} if limited
                          else {"ok": True, "result": {"message_id": len(recorder.calls)}})
                self.reply(429 if limited else 200, answer)

        self._http = LoopbackHttp(Handler)
        self.url, self.stop = self._http.url, self._http.stop


@pytest.fixture
def bot_api() -> Iterator[BotApi]:
    server = BotApi()
    yield server
    server.stop()


def test_messages_go_as_json_on_one_kept_alive_connection(bot_api: BotApi) -> None:
    api = TelegramBotApi(bot_api.url, TOKEN)
    api.send_message(5, "<b>hi</b> ✓", parse_mode="HTML")
    api.call("answerCallbackQuery", {"callback_query_id": "q"})
    (path, kind, body), (second, _, _) = bot_api.calls
    assert path == f"/bot{TOKEN}/sendMessage" and kind == "application/json"
    assert json.loads(body)["text"] == "<b>hi</b> ✓" and json.loads(body)["chat_id"] == 5
    assert second == f"/bot{TOKEN}/answerCallbackQuery"
    assert len(bot_api.connections) == 1


def test_a_photo_goes_as_multipart_form_data(bot_api: BotApi) -> None:
    png = b"\x89PNG\r\n\x1a\n--not-a-boundary\r\n" + bytes(range(256))
    TelegramBotApi(bot_api.url, TOKEN).send_photo(
        5, png, caption="BTC/USDT · 4h", parse_mode="HTML",
        reply_markup={"inline_keyboard": [[{"text": "Open", "url": "https://x"}]]})
    _, kind, body = bot_api.calls[0]
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {kind}\r\n\r\n".encode() + body)
    parts = {part.get_param("name", header="content-disposition"): part
             for part in message.iter_parts()}
    text = {name: part.get_payload(decode=True).decode() for name, part in parts.items()
            if name != "photo"}  # form fields are UTF-8, as browsers and requests send them
    assert text["chat_id"] == "5" and text["caption"] == "BTC/USDT · 4h"
    assert text["parse_mode"] == "HTML"
    assert json.loads(text["reply_markup"])["inline_keyboard"][0][0]["text"] == "Open"
    assert parts["photo"].get_content_type() == "image/png"
    assert parts["photo"].get_filename() == "photo.png"
    assert parts["photo"].get_payload(decode=True) == png


def test_a_429_is_rate_limited_with_its_wait(bot_api: BotApi) -> None:
    with pytest.raises(RateLimited) as raised:
        TelegramBotApi(bot_api.url, TOKEN).call("limited", {})
    assert raised.value.retry_after == 3


def test_an_unreachable_telegram_is_transient_and_keeps_the_token_out() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientError) as raised:
        TelegramBotApi(f"http://127.0.0.1:{port}", TOKEN).send_message(1, "x")
    assert "SECRET" not in str(raised.value)
