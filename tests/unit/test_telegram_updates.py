"""The webhook's parser: Telegram updates as the Bot API documents them, into the bot's models."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from shared.bot.webhook import parse
from shared.errors import InvalidInput

ADA = {"id": 111222333, "is_bot": False, "first_name": "Ada", "last_name": "Lovelace",
       "username": "ada", "language_code": "ru", "is_premium": True}
PRIVATE = {"id": 111222333, "first_name": "Ada", "username": "ada", "type": "private"}
BOT = {"id": 100000001, "is_bot": True, "first_name": "ChartGenius",
       "username": "ChartGeniusBot"}


def command_update() -> dict[str, Any]:
    """A private /analyze as the Bot API delivers it (getUpdates / webhook body)."""
    return {"update_id": 10000, "message": {
        "message_id": 1365, "from": ADA, "chat": PRIVATE, "date": 1441645532,
        "text": "/analyze@ChartGeniusBot BTC/USDT 4h",
        "entities": [{"offset": 0, "length": 23, "type": "bot_command"}]}}


def test_a_message_with_a_command_entity() -> None:
    update = parse(command_update())
    assert update is not None and update.update_id == 10000
    message = update.message
    assert message is not None and update.callback_query is None
    assert (message.message_id, message.chat.id, message.chat.type) == (
        1365, 111222333, "private")
    assert message.from_user is not None
    assert (message.from_user.id, message.from_user.is_bot, message.from_user.first_name,
            message.from_user.language_code) == (111222333, False, "Ada", "ru")
    assert message.text == "/analyze@ChartGeniusBot BTC/USDT 4h"
    (entity,) = message.entities
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 23)
    assert message.photo == ()


def test_a_message_without_text_or_entities_parses() -> None:
    update = parse({"update_id": 1, "message": {
        "message_id": 2, "date": 1441645532, "chat": PRIVATE, "from": ADA,
        "sticker": {"file_id": "x", "file_unique_id": "y", "width": 512, "height": 512}}})
    assert update is not None and update.message is not None
    assert update.message.text is None and update.message.entities == ()


def test_a_button_press_under_a_photo() -> None:
    update = parse({"update_id": 10001, "callback_query": {
        "id": "4382bfdwdsb323b2d9", "from": ADA, "chat_instance": "-8312349827431",
        "data": "tf:BTC/USDT:4h",
        "message": {"message_id": 77, "from": BOT, "chat": PRIVATE, "date": 1441645600,
                    "caption": "BTC/USDT 4h",
                    "photo": [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90,
                               "height": 51, "file_size": 1101}]}}})
    assert update is not None and update.message is None
    query = update.callback_query
    assert query is not None and query.id == "4382bfdwdsb323b2d9"
    assert query.data == "tf:BTC/USDT:4h" and query.from_user.id == 111222333
    assert query.message is not None and query.message.message_id == 77
    assert query.message.chat.id == 111222333 and len(query.message.photo) == 1
    assert query.message.from_user is not None and query.message.from_user.is_bot


def test_a_press_on_an_inaccessible_message_keeps_its_chat_and_id() -> None:
    """Bot API 7.0: a message older than 48 hours comes as InaccessibleMessage (date 0)."""
    update = parse({"update_id": 5, "callback_query": {
        "id": "9", "from": ADA, "chat_instance": "-1", "data": "x",
        "message": {"chat": PRIVATE, "message_id": 3, "date": 0}}})
    assert update is not None and update.callback_query is not None
    pressed = update.callback_query.message
    assert pressed is not None and (pressed.chat.id, pressed.message_id) == (111222333, 3)
    assert pressed.from_user is None and pressed.photo == ()


def test_the_bot_blocked_in_a_private_chat() -> None:
    update = parse({"update_id": 10002, "my_chat_member": {
        "chat": PRIVATE, "from": ADA, "date": 1732400200,
        "old_chat_member": {"user": BOT, "status": "member"},
        "new_chat_member": {"user": BOT, "status": "kicked", "until_date": 0}}})
    assert update is not None and update.my_chat_member is not None
    change = update.my_chat_member
    assert (change.chat.type, change.from_user.id, change.new_chat_member.status) == (
        "private", 111222333, "kicked")


def test_fields_a_newer_bot_api_adds_are_ignored() -> None:
    update = command_update()
    update["message"]["chat"]["is_forum"] = False
    update["message"]["link_preview_options"] = {"is_disabled": True}
    update["message"]["reply_to_story"] = {"chat": PRIVATE, "id": 1, "future": [1, 2]}
    update["message"]["entities"][0]["unknown_flag"] = True
    update["business_connection"] = {"id": "b", "user": ADA, "date": 1}
    parsed = parse(update)
    assert parsed is not None and parsed.message is not None
    assert parsed.message.entities[0].length == 23
    assert parsed.model_dump(by_alias=True)["message"]["from"]["id"] == 111222333


def test_update_kinds_the_bot_does_not_handle_are_not_parsed() -> None:
    """A poll without persistent_id (which a stricter parser once refused) is never read."""
    poll = {"update_id": 22, "poll": {"id": "5", "question": "up?", "options": "not a list"}}
    assert parse(poll) is None
    assert parse({"update_id": 23, "edited_message": command_update()["message"]}) is None
    assert parse({"update_id": 24, "message": "not an object"}) is None


@pytest.mark.parametrize("broken", [
    {"text": "/help", "from": ADA, "message_id": 1, "date": 1},  # no chat
    {"text": "/help", "from": ADA, "chat": {"id": "not-a-number", "type": "private"},
     "message_id": 1, "date": 1},
    {"text": "/help", "from": {"id": 5}, "chat": PRIVATE, "message_id": 1, "date": 1},
    {"text": ["/help"], "from": ADA, "chat": PRIVATE, "message_id": 1, "date": 1},
])
def test_a_malformed_handled_part_is_acknowledged_with_a_warning(
        broken: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="shared.bot.webhook"):
        assert parse({"update_id": 30, "message": broken}) is None
    (record,) = [r for r in caplog.records if r.name == "shared.bot.webhook"]
    assert record.levelno == logging.WARNING and record.getMessage() == (
        "unparseable update acknowledged")
    assert getattr(record, "update_id", None) == 30
    assert all(field.startswith("message") for field in getattr(record, "fields", ["?"]))


@pytest.mark.parametrize("payload", [
    None, [], "update", {}, {"message": command_update()["message"]},
    {"update_id": "10000", "message": command_update()["message"]}, {"update_id": 1.5},
])
def test_without_an_integer_update_id_it_is_invalid_input(payload: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(payload)
    assert refused.value.code == "invalid_input" and "update_id" in refused.value.message
