"""The webhook's one inline reply (a Bot API method in the HTTP answer) and the keyboards.

Telegram executes a method returned in the webhook's response body, so a command answers
without a separate Bot API call; the answer is kept short (at most one message).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.bot.html_parts import CAPTION_LIMIT, MESSAGE_LIMIT, split_html

KEYBOARD_TIMEFRAMES = (("15m", "1h", "4h"), ("1d", "1w"))
_ACTIONS = {"a": "analyze", "c": "chart"}


def message(chat_id: int, text: str, *, keyboard: dict[str, Any] | None = None) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "method": "sendMessage", "chat_id": chat_id, "text": split_html(text, MESSAGE_LIMIT)[0],
        "parse_mode": "HTML", "link_preview_options": {"is_disabled": True},
    }
    if keyboard:
        reply["reply_markup"] = keyboard
    return reply


def edit(chat_id: int, message_id: int | None, text: str, *,
         keyboard: dict[str, Any] | None = None) -> dict[str, Any]:
    """``editMessageText`` of a message the bot sent; without a keyboard its buttons go."""
    reply: dict[str, Any] = {
        "method": "editMessageText", "chat_id": chat_id, "message_id": message_id,
        "text": split_html(text, MESSAGE_LIMIT)[0], "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    if keyboard:
        reply["reply_markup"] = keyboard
    return reply


def edit_caption(chat_id: int, message_id: int | None, caption: str, *,
                 keyboard: dict[str, Any] | None = None) -> dict[str, Any]:
    """``editMessageCaption`` of a photo the bot sent (a caption holds 1,024 characters)."""
    reply: dict[str, Any] = {
        "method": "editMessageCaption", "chat_id": chat_id, "message_id": message_id,
        "caption": split_html(caption, CAPTION_LIMIT)[0], "parse_mode": "HTML",
    }
    if keyboard:
        reply["reply_markup"] = keyboard
    return reply


def callback_answer(callback_id: str, text: str | None = None) -> dict[str, Any]:
    reply: dict[str, Any] = {"method": "answerCallbackQuery", "callback_query_id": callback_id}
    if text:
        reply["text"] = text[:200]
    return reply


def timeframe_keyboard(symbol: str, action: str = "a") -> dict[str, Any]:
    """Buttons that each ask for ``symbol`` on one timeframe (``callback_data`` ≤ 64 bytes)."""
    return {"inline_keyboard": [
        [{"text": tf, "callback_data": f"tf|{action}|{symbol}|{tf}"} for tf in row]
        for row in KEYBOARD_TIMEFRAMES
    ]}


@dataclass(frozen=True)
class Choice:
    action: str  # "analyze" or "chart"
    symbol: str
    timeframe: str


def parse_choice(data: str | None) -> Choice | None:
    """The button pressed, or None for data this bot did not make."""
    parts = (data or "").split("|")
    if len(parts) != 4 or parts[0] != "tf" or parts[1] not in _ACTIONS:
        return None
    return Choice(_ACTIONS[parts[1]], parts[2], parts[3])
