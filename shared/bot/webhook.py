"""The webhook's checks: the secret token, one handling per ``update_id``."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from shared.bootstrap import Container
from shared.bot.commands import handle_message
from shared.errors import Conflict, InvalidInput, Unauthorized
from shared.models import iso, utcnow

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def check_secret(ports: Container, presented: str | None) -> None:
    expected = ports.secrets.get("TELEGRAM_WEBHOOK_SECRET")
    if not expected or not presented or not hmac.compare_digest(
        presented.encode(), expected.encode()
    ):
        raise Unauthorized("wrong or missing webhook secret")


def handle_update(ports: Container, update: Any) -> dict[str, Any] | None:
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        raise InvalidInput("not a Telegram update: it has no integer update_id")
    try:
        ports.store.create("telegram_updates", str(update["update_id"]),
                           {"received_at": iso(utcnow())})
    except Conflict:
        log.info("duplicate update", extra={"update_id": update["update_id"]})
        return None
    message = update.get("message")
    if isinstance(message, dict):
        return handle_message(ports, message)
    return None
