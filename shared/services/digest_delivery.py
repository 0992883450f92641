"""The notifier's side of the digest: the web notification, then the Telegram message."""

from __future__ import annotations

import re

from shared.bot.digest_messages import digest_text
from shared.bot.send_queue import SendQueue
from shared.events import DigestReady
from shared.models import User
from shared.ports import DocumentStore, Messenger
from shared.services import digest, telegram_delivery

_TAGS = re.compile(r"<[^>]+>")


def deliver(store: DocumentStore, messenger: Messenger | None, queue: SendQueue,
            event: DigestReady) -> int:
    doc = store.get("users", event.user_id)
    if doc is None:
        return 0
    user = User.model_validate(doc)
    if user.banned:
        return 0
    text = digest_text(event, user.language.value)
    digest.notify(store, event, user, _TAGS.sub("", text.split("\n")[0]))
    if messenger is None or user.telegram_id is None or not user.active:
        return 0
    delivery = telegram_delivery.Delivery(user.telegram_id, user.id,
                                          [telegram_delivery.Part(text)])
    return telegram_delivery.send(store, messenger, queue, event.event_id, delivery)
