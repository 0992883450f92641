"""The webhook's checks and dispatch: the secret token, one handling per ``update_id``.

An update is parsed into the bot's own models of the parts it handles (``shared.bot.updates``,
decision 0118). Its ``update_id`` is recorded with create-if-absent before anything happens,
so Telegram redelivering it changes nothing; if the handling fails the record is removed
again, the webhook answers 500 and Telegram's retry is handled afresh (requests are
idempotent by update id, so nothing is queued twice).
"""

from __future__ import annotations

import hmac
import logging
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from shared.bootstrap import Container
from shared.bot.commands import handle_callback, handle_message
from shared.bot.conversation import Reply
from shared.bot.updates import Update
from shared.errors import Conflict, InvalidInput, Unauthorized
from shared.models import iso, utcnow
from shared.ports import EXPIRE_AT
from shared.services import users

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
SECRET_NAME = "TELEGRAM_WEBHOOK_SECRET"  # noqa: S105 (a secret's name)
UPDATES = "telegram_updates"
# Telegram retries an unanswered update for up to a day; Firestore's TTL policy on
# telegram_updates.expire_at deletes the dedup record after this (infra/modules/firestore).
UPDATE_RECORD_TTL = timedelta(days=2)
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")


def check_secret(ports: Container, presented: str | None) -> None:
    expected = ports.secrets.get(SECRET_NAME)
    if not expected or not presented or not hmac.compare_digest(
        presented.encode(), expected.encode()
    ):
        raise Unauthorized("wrong or missing webhook secret")


def parse(payload: Any) -> Update | None:
    """The update's parts this bot handles, typed; None when there are none.

    Only the handled fields are parsed, so an update type the bot ignores can never fail on
    a newer Bot API shape; one that cannot be parsed is acknowledged (a retry cannot help)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
        raise InvalidInput("not a Telegram update: it has no integer update_id")
    handled = {key: payload[key] for key in ALLOWED_UPDATES if isinstance(payload.get(key), dict)}
    if not handled:
        return None
    try:
        return Update.model_validate({"update_id": payload["update_id"], **handled})
    except ValidationError as exc:
        where = [".".join(str(part) for part in error["loc"]) for error in exc.errors()]
        log.warning("unparseable update acknowledged",
                    extra={"update_id": payload["update_id"], "fields": where[:5]})
        return None


def handle_update(ports: Container, payload: Any) -> Reply:
    """The inline reply for the webhook's answer, or None."""
    update = parse(payload)
    if update is None:
        return None
    key = str(update.update_id)
    try:
        now = utcnow()
        ports.store.create(UPDATES, key, {"received_at": iso(now),
                                          EXPIRE_AT: iso(now + UPDATE_RECORD_TTL)})
    except Conflict:
        log.info("duplicate update", extra={"update_id": update.update_id})
        return None
    try:
        return route(ports, update)
    except Exception:
        ports.store.delete(UPDATES, key)
        raise


def route(ports: Container, update: Update) -> Reply:
    if update.message is not None:
        return handle_message(ports, update.message, update.update_id)
    if update.callback_query is not None:
        return handle_callback(ports, update.callback_query, update.update_id)
    if update.my_chat_member is not None:
        member_changed(ports, update)
        return None
    return None  # edited messages, channel posts, inline queries…: nothing to do


def member_changed(ports: Container, update: Update) -> None:
    """A user who blocks the bot in a private chat is inactive; unblocking reactivates."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    user_id = users.user_id_for_telegram(change.from_user.id)
    if ports.store.get(users.COLLECTION, user_id) is None:
        return
    active = change.new_chat_member.status not in ("kicked", "left")
    ports.store.update(users.COLLECTION, user_id, {"active": active})
