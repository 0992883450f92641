"""The webhook refuses a wrong secret, handles an update once, and queues /analyze."""

from __future__ import annotations

import pytest
from flask import Flask

from local.functions import load_function
from shared.bootstrap import Container
from tests.fakes import RecordingBus

SECRET = "s3cret-token"


@pytest.fixture
def webhook(ports: Container, monkeypatch: pytest.MonkeyPatch) -> tuple[Flask, RecordingBus]:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    bus = RecordingBus()
    ports.override(bus=bus)
    return load_function("telegram_webhook"), bus


def update(update_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": 5, "date": 1732400000, "text": text,
        "chat": {"id": 777, "type": "private"},
        "from": {"id": 777, "is_bot": False, "first_name": "Ann"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}}


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
def test_wrong_or_missing_secret_is_401_and_nothing_is_published(webhook, secret) -> None:
    app, bus = webhook
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    response = app.test_client().post("/", json=update(1, "/analyze BTC/USDT"), headers=headers)
    assert response.status_code == 401
    assert bus.take() == []


def test_analyze_is_queued_once_for_a_duplicate_update(webhook) -> None:
    app, bus = webhook
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    first = app.test_client().post("/", json=update(9, "/analyze eth/usdt 1d"), headers=headers)
    assert first.status_code == 200
    assert first.json["method"] == "sendMessage" and "ETH/USDT 1d" in first.json["text"]
    again = app.test_client().post("/", json=update(9, "/analyze eth/usdt 1d"), headers=headers)
    assert again.status_code == 200 and again.json == {}
    published = bus.take()
    assert [e.topic for e in published] == ["analysis.requested"]


def test_not_an_update_is_400(webhook) -> None:
    app, _ = webhook
    response = app.test_client().post("/", data="nope", headers={
        "X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"})
    assert response.status_code == 400
