"""Bot commands, answered through the same services the API uses.

Returns the inline reply for the webhook response (one ``sendMessage``), or None.
"""

from __future__ import annotations

from typing import Any

from shared.bootstrap import Container
from shared.errors import InvalidInput
from shared.services.request_analysis import request_analysis
from shared.services.users import ensure_user

HELP = (
    "ChartGenius analyses crypto markets.\n"
    "/analyze BTC/USDT 4h — technical analysis of a pair (timeframe optional, default 4h)\n"
    "/help — this message"
)


def handle_message(ports: Container, message: dict[str, Any]) -> dict[str, Any] | None:
    text = str(message.get("text") or "").strip()
    chat_id = message.get("chat", {}).get("id")
    sender = message.get("from", {}).get("id")
    if not text.startswith("/") or chat_id is None or sender is None:
        return None
    command, *args = text.split()
    command = command.split("@", 1)[0].lower()
    if command == "/start":
        ensure_user(ports.store, int(sender))
        return reply(chat_id, "Welcome to ChartGenius. " + HELP)
    if command == "/analyze":
        return reply(chat_id, analyze(ports, int(sender), int(chat_id), args))
    return reply(chat_id, HELP)


def analyze(ports: Container, telegram_id: int, chat_id: int, args: list[str]) -> str:
    if not args:
        return "Which pair? For example: /analyze BTC/USDT 4h"
    user = ensure_user(ports.store, telegram_id)
    try:
        analysis, _ = request_analysis(
            ports.store, ports.bus, user_id=user.id, symbol=args[0],
            timeframe=args[1] if len(args) > 1 else "4h", language=user.language.value,
            deadline_seconds=ports.settings.analysis_deadline_seconds, chat_id=chat_id,
        )
    except InvalidInput as exc:
        return f"Sorry: {exc.message}"
    return f"Analysing {analysis.symbol} {analysis.timeframe}… (id {analysis.id})"


def reply(chat_id: int, text: str) -> dict[str, Any]:
    return {"method": "sendMessage", "chat_id": chat_id, "text": text[:4096]}
