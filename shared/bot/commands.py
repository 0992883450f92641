"""Routing of messages and button presses to command handlers.

Commands are found by their ``bot_command`` entity at the start of the text. In groups only
commands addressed to this bot (``/analyze@ChartGeniusBot``) are answered; in a private chat
plain text that names a coin gets a suggestion. Banned users get no answer at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from shared.bootstrap import Container
from shared.bot import account_commands as account
from shared.bot import analysis_commands as analysis
from shared.bot import button_commands as buttons
from shared.bot.conversation import Conversation, Reply, known_user
from shared.bot.digest_commands import digest_command
from shared.bot.updates import CallbackQuery, Message

log = logging.getLogger(__name__)
Handler = Callable[[Conversation, list[str]], Reply]
COMMANDS: dict[str, Handler] = {
    "start": account.start, "help": account.help_, "analyze": analysis.analyze,
    "chart": analysis.chart, "price": account.price, "watch": account.watch,
    "alerts": account.alerts, "lang": account.lang, "plan": account.plan,
    "cancel": account.cancel, "digest": digest_command,
}
GROUP_TYPES = ("group", "supergroup")


def command_of(message: Message, bot_username: str) -> tuple[str, list[str]] | None:
    """``("analyze", ["BTC/USDT", "4h"])`` for a command to this bot, else None."""
    text = message.text or ""
    entity = next((e for e in message.entities if e.type == "bot_command" and e.offset == 0),
                  None)
    if entity is None:
        return None
    name, _, addressee = text[1:entity.length].partition("@")
    if addressee and addressee.lower() != bot_username.lower():
        return None  # a command for another bot in the same group
    if message.chat.type in GROUP_TYPES and not addressee:
        return None  # in groups the bot answers only commands addressed to it
    return name.lower(), text[entity.length:].split()


def handle_message(ports: Container, message: Message, update_id: int) -> Reply:
    sender = message.from_user
    if sender is None or sender.is_bot or message.text is None:
        return None
    command = command_of(message, ports.settings.telegram_bot_username)
    is_private = message.chat.type == "private"
    if command is None and not is_private:
        return None
    user = known_user(ports, sender.id, sender.language_code)
    if user.banned:
        log.info("ignored a banned user", extra={"user_id": user.id})
        return None
    conv = Conversation(ports, message.chat.id, user, update_id, sender.first_name)
    if command is None:
        return analysis.suggest(conv, message.text)
    name, args = command
    handler = COMMANDS.get(name)
    if handler is None:
        return conv.say("unknown", command="/" + name) if is_private else None
    return handler(conv, args)


def handle_callback(ports: Container, query: CallbackQuery, update_id: int) -> Reply:
    user = known_user(ports, query.from_user.id, query.from_user.language_code)
    if user.banned:
        return None
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    message_id = query.message.message_id if query.message is not None else None
    photo = query.message is not None and bool(query.message.photo)
    conv = Conversation(ports, chat_id, user, update_id, query.from_user.first_name,
                        message_id=message_id, pressed_photo=photo)
    return buttons.pressed(conv, query.id, query.data)
