"""The webhook, driven with real Telegram update JSON through the local Bot API sink.

Telegram executes the method in the webhook's answer; the sink does the same, so every
assertion is on the Bot API calls the bot made.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from local.functions import load_function
from local.telegram_sink import TelegramSink
from shared.bootstrap import Container
from shared.events import AnalysisRequested
from tests.fakes import RecordingBus

SECRET = "s3cret-token"
ANN = {"id": 777, "is_bot": False, "first_name": "Ann", "username": "ann", "language_code": "en"}


@dataclass
class Bot:
    ports: Container
    bus: RecordingBus
    sink: TelegramSink
    client: Any

    def post(self, update: dict[str, Any], secret: str | None = SECRET) -> Any:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return self.client.post("/", json=update, headers=headers)

    def send(self, update: dict[str, Any]) -> dict[str, Any]:
        status, reply = self.sink.send_update(update)
        assert status == 200
        return reply

    def texts(self) -> list[str]:
        return [c["params"].get("text", "") for c in self.sink.sent()]


@pytest.fixture
def bot(ports: Container, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bot]:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    bus = RecordingBus()
    ports.override(bus=bus)
    client = load_function("telegram_webhook").test_client()

    def webhook(update: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        answer = client.post("/", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        return answer.status_code, answer.get_json(silent=True) or {}

    yield Bot(ports, bus, TelegramSink(webhook), client)


def message(update_id: int, text: str, *, chat: dict[str, Any] | None = None,
            sender: dict[str, Any] = ANN, command: bool = True) -> dict[str, Any]:
    """A message update exactly as Telegram sends it."""
    msg: dict[str, Any] = {
        "message_id": 5, "date": 1732400000, "text": text, "from": sender,
        "chat": chat or {"id": sender["id"], "first_name": sender["first_name"],
                         "username": sender.get("username"), "type": "private"},
    }
    if command:
        msg["entities"] = [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]
    return {"update_id": update_id, "message": msg}


GROUP = {"id": -1001234567890, "title": "Traders", "type": "supergroup"}


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
def test_wrong_or_missing_secret_is_401_and_nothing_happens(bot: Bot, secret) -> None:
    response = bot.post(message(1, "/analyze BTC/USDT 4h"), secret=secret)
    assert response.status_code == 401
    assert bot.bus.take() == []
    assert bot.ports.store.get("telegram_updates", "1") is None
    assert bot.ports.store.get("users", "777") is None


def test_command_is_queued_once_for_a_duplicate_update(bot: Bot) -> None:
    reply = bot.send(message(9, "/analyze eth/usdt 1d"))
    assert reply["method"] == "sendMessage" and reply["chat_id"] == 777
    assert "ETH/USDT 1d" in reply["text"]
    assert bot.send(message(9, "/analyze eth/usdt 1d")) == {}
    (requested,) = bot.bus.take()
    assert isinstance(requested, AnalysisRequested) and requested.timeframe == "1d"
    doc = bot.ports.store.get("analyses", requested.analysis_id)
    assert doc is not None and doc["chat_id"] == 777
    assert [c["method"] for c in bot.sink.sent()] == ["sendMessage"]


def test_the_dedup_record_expires_after_telegrams_retry_window(bot: Bot) -> None:
    """Firestore's TTL policy deletes telegram_updates by expire_at (infra/modules/firestore)."""
    bot.send(message(11, "/help"))
    record = bot.ports.store.get("telegram_updates", "11")
    assert record is not None
    received = datetime.fromisoformat(record["received_at"])
    assert datetime.fromisoformat(record["expire_at"]) - received == timedelta(days=2)


def test_timeframe_keyboard_then_callback_query(bot: Bot) -> None:
    reply = bot.send(message(10, "/analyze BTC"))
    buttons = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons] == ["15m", "1h", "4h", "1d", "1w"]
    assert bot.bus.take() == []
    (picker,) = bot.sink.sent()
    press = {"update_id": 11, "callback_query": {
        "id": "4382bfdwdsb323b2d9", "from": ANN, "chat_instance": "-8312349827431",
        "data": buttons[2]["callback_data"],
        "message": {"message_id": picker["message_id"], "date": 1732400001,
                    "text": "BTC/USDT: which timeframe?",
                    "from": {"id": 1, "is_bot": True, "first_name": "ChartGenius",
                             "username": "ChartGeniusBot"},
                    "chat": {"id": 777, "first_name": "Ann", "type": "private"}}}}
    answer = bot.send(press)
    # the picker becomes the notice: its keyboard goes, nothing is left to press twice
    assert answer["method"] == "editMessageText"
    assert answer["message_id"] == picker["message_id"] and "reply_markup" not in answer
    assert "BTC/USDT 4h" in answer["text"]
    (requested,) = bot.bus.take()
    assert (requested.symbol, requested.timeframe) == ("BTC/USDT", "4h")
    assert [c["method"] for c in bot.sink.sent()] == ["sendMessage", "editMessageText"]
    assert "error" not in bot.sink.sent()[1]


def test_edited_message_and_unhandled_update_types_do_nothing(bot: Bot) -> None:
    edited = message(20, "/analyze BTC/USDT 4h")
    edited["edited_message"] = {**edited.pop("message"), "edit_date": 1732400100}
    inline = {"update_id": 21, "inline_query": {"id": "88", "from": ANN, "query": "btc",
                                                "offset": ""}}
    poll = {"update_id": 22, "poll": {"id": "5", "question": "up?", "options": [
        {"text": "yes", "voter_count": 1}], "total_voter_count": 1, "is_closed": False,
        "is_anonymous": True, "type": "regular", "allows_multiple_answers": False}}
    for update in (edited, inline, poll):
        assert bot.send(update) == {}
    assert bot.bus.take() == [] and bot.sink.sent() == []


def test_group_answers_only_commands_addressed_to_the_bot(bot: Bot) -> None:
    assert bot.send(message(30, "/analyze BTC/USDT 4h", chat=GROUP)) == {}
    assert bot.send(message(31, "/analyze@OtherBot BTC/USDT 4h", chat=GROUP)) == {}
    assert bot.send(message(32, "btc", chat=GROUP, command=False)) == {}
    assert bot.bus.take() == []
    reply = bot.send(message(33, "/analyze@ChartGeniusBot BTC/USDT 4h", chat=GROUP))
    assert reply["chat_id"] == GROUP["id"]
    (requested,) = bot.bus.take()
    doc = bot.ports.store.get("analyses", requested.analysis_id)
    assert doc is not None and doc["chat_id"] == GROUP["id"]


def test_plain_text_suggests_an_analysis(bot: Bot) -> None:
    reply = bot.send(message(40, "btc", command=False))
    assert "/analyze BTC/USDT" in reply["text"] and reply["reply_markup"]["inline_keyboard"]
    assert bot.bus.take() == []


def test_banned_user_is_ignored(bot: Bot) -> None:
    bot.send(message(50, "/start"))
    bot.ports.store.update("users", "777", {"banned": True})
    assert bot.send(message(51, "/analyze BTC/USDT 4h")) == {}
    assert bot.bus.take() == [] and len(bot.sink.sent()) == 1


def test_start_registers_and_honours_a_deep_link(bot: Bot) -> None:
    ru = {**ANN, "id": 778, "language_code": "ru"}
    reply = bot.send(message(60, "/start", sender=ru))
    assert "ChartGenius" in reply["text"] and "анализ" in reply["text"]
    user = bot.ports.store.get("users", "778")
    assert user is not None and user["language"] == "ru"
    bot.send(message(61, "/start analyze_ETHUSDT_1d", sender=ru))
    (requested,) = bot.bus.take()
    assert (requested.symbol, requested.timeframe, requested.language) == (
        "ETH/USDT", "1d", "ru")


def test_language_plan_and_shared_quota(bot: Bot) -> None:
    assert "English" in bot.send(message(70, "/lang en"))["text"]
    assert "русский" in bot.send(message(71, "/lang ru"))["text"]
    assert "Тариф: <b>user</b>" in bot.send(message(72, "/plan"))["text"]
    for n in range(5):
        bot.send(message(80 + n, f"/analyze BTC/USDT {['1h', '4h', '1d', '1w', '2h'][n]}"))
    assert len(bot.bus.take()) == 5
    refused = bot.send(message(90, "/analyze BTC/USDT 1d"))
    assert refused["text"].startswith("Не получилось") and bot.bus.take() == []
    assert "<b>0</b>" in bot.send(message(91, "/plan"))["text"]


def test_watchlist_commands(bot: Bot) -> None:
    assert "BTC/USDT" in bot.send(message(100, "/watch add btc"))["text"]
    assert "BTC/USDT 4h" in bot.send(message(101, "/watch list"))["text"]
    bot.send(message(102, "/watch remove BTC/USDT"))
    assert "empty" in bot.send(message(103, "/watch list"))["text"]
    assert "/watch add" in bot.send(message(104, "/watch nonsense"))["text"]


def test_cancel_fails_running_analyses(bot: Bot) -> None:
    bot.send(message(110, "/analyze BTC/USDT 4h"))
    (requested,) = bot.bus.take()
    assert "1" in bot.send(message(111, "/cancel"))["text"]
    doc = bot.ports.store.get("analyses", requested.analysis_id)
    assert doc is not None and doc["status"] == "failed" and "cancelled" in doc["error"]
    assert [e.topic for e in bot.bus.take()] == ["analysis.failed"]


def test_blocking_the_bot_marks_the_user_inactive(bot: Bot) -> None:
    bot.send(message(120, "/start"))
    blocked = {"update_id": 121, "my_chat_member": {
        "chat": {"id": 777, "first_name": "Ann", "type": "private"}, "from": ANN,
        "date": 1732400200,
        "old_chat_member": {"user": {"id": 1, "is_bot": True, "first_name": "ChartGenius"},
                            "status": "member"},
        "new_chat_member": {"user": {"id": 1, "is_bot": True, "first_name": "ChartGenius"},
                            "status": "kicked", "until_date": 0}}}
    assert bot.send(blocked) == {}
    user = bot.ports.store.get("users", "777")
    assert user is not None and user["active"] is False


def test_an_unparseable_message_is_acknowledged_and_nothing_happens(bot: Bot) -> None:
    broken = message(130, "/analyze BTC/USDT 4h")
    del broken["message"]["chat"]
    assert bot.send(broken) == {}
    assert bot.bus.take() == [] and bot.sink.sent() == []
    assert bot.ports.store.get("users", "777") is None


def test_an_update_without_an_update_id_is_400(bot: Bot) -> None:
    update = message(131, "/start")
    del update["update_id"]
    response = bot.post(update)
    assert response.status_code == 400 and "update_id" in response.get_json()["error"]["message"]
    assert bot.ports.store.get("users", "777") is None


def test_not_an_update_is_400(bot: Bot) -> None:
    response = bot.client.post("/", data="nope", headers={
        "X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"})
    assert response.status_code == 400


def test_an_endless_chunked_body_is_refused_before_the_secret_is_read(bot: Bot) -> None:
    from tests.integration.test_body_limits import EndlessUpload

    upload = EndlessUpload()
    answer = bot.client.post("/", content_type="application/json", environ_overrides={
        "wsgi.input": upload, "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input_terminated": True})
    assert answer.status_code == 413 and upload.read_bytes <= 128 * 1024
    assert bot.bus.take() == []


def test_deeply_nested_json_is_a_400_not_a_500(bot: Bot) -> None:
    answer = bot.client.post("/", data=b"[" * 5000 + b"]" * 5000,
                             content_type="application/json",
                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert answer.status_code == 400 and "nests deeper" in answer.get_json()["error"]["message"]
