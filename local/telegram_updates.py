"""Telegram updates as Telegram sends them, for the local sink, the CLI and the benchmark."""

from __future__ import annotations

import time
from typing import Any

DEFAULT_USER: dict[str, Any] = {"id": 4242, "is_bot": False, "first_name": "Local",
                                "username": "local_user", "language_code": "en"}


def message_update(update_id: int, text: str, *, chat_id: int | None = None,
                   sender: dict[str, Any] | None = None, chat_type: str = "private",
                   message_id: int = 1) -> dict[str, Any]:
    sender = sender or DEFAULT_USER
    chat: dict[str, Any] = {"id": chat_id if chat_id is not None else sender["id"],
                            "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = sender["first_name"]
    else:
        chat["title"] = "Local group"
    message: dict[str, Any] = {"message_id": message_id, "from": sender, "chat": chat,
                               "date": int(time.time()), "text": text}
    if text.startswith("/"):
        message["entities"] = [{"offset": 0, "length": len(text.split()[0]),
                                "type": "bot_command"}]
    return {"update_id": update_id, "message": message}


def callback_update(update_id: int, data: str, *, chat_id: int | None = None,
                    sender: dict[str, Any] | None = None,
                    message_id: int = 2) -> dict[str, Any]:
    """A press on a button of the bot's message ``message_id``."""
    sender = sender or DEFAULT_USER
    chat_id = chat_id if chat_id is not None else int(sender["id"])
    return {"update_id": update_id, "callback_query": {
        "id": f"{update_id}77", "from": sender, "chat_instance": "-5512345", "data": data,
        "message": {"message_id": message_id, "date": int(time.time()), "text": "Pick a timeframe",
                    "from": {"id": 100000001, "is_bot": True, "first_name": "ChartGenius",
                             "username": "ChartGeniusBot"},
                    "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}},
    }}


def update_from(spec: dict[str, Any], update_id: int) -> dict[str, Any]:
    """``{"text": …}`` or ``{"callback_data": …}`` (with optional ``chat_id``, ``user_id``,
    ``first_name``, ``language_code``, ``chat_type``; a press names the ``message_id`` whose
    button it was) as a Telegram update."""
    sender = {**DEFAULT_USER}
    if spec.get("user_id"):
        sender["id"] = int(spec["user_id"])
    for key in ("first_name", "language_code"):
        if spec.get(key):
            sender[key] = str(spec[key])
    chat_id = int(spec["chat_id"]) if spec.get("chat_id") else None
    if spec.get("callback_data"):
        return callback_update(update_id, str(spec["callback_data"]), chat_id=chat_id,
                               sender=sender, message_id=int(spec.get("message_id") or 2))
    return message_update(update_id, str(spec.get("text", "")), chat_id=chat_id, sender=sender,
                          chat_type=str(spec.get("chat_type", "private")))
