"""``python -m shared.bot.set_webhook`` calls setWebhook with the secret and allowed updates."""

from __future__ import annotations

import pytest

from local.telegram_sink import SinkTransport, TelegramSink
from shared.adapters.telegram_api import TelegramBotApi
from shared.bootstrap import Container
from shared.bot.set_webhook import set_webhook
from shared.errors import ChartGeniusError


def test_set_webhook_sends_secret_and_allowed_updates(ports: Container,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "hook-secret")
    sink = TelegramSink()
    ports.override(messenger=TelegramBotApi("http://127.0.0.1:1/telegram-sink", "T",
                                            transport=SinkTransport(sink)))
    set_webhook(ports, "https://example.run.app/telegram_webhook")
    call, *commands = sink.sent()
    assert call["method"] == "setWebhook"
    assert call["params"]["secret_token"] == "hook-secret"
    assert call["params"]["url"] == "https://example.run.app/telegram_webhook"
    assert call["params"]["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    assert [c["method"] for c in commands] == ["setMyCommands", "setMyCommands"]


def test_without_a_bot_it_refuses(ports: Container) -> None:
    ports.override(messenger=None)
    with pytest.raises(ChartGeniusError):
        set_webhook(ports, "https://example.run.app/hook")
