"""Admin messages: a ``system_alert`` to everyone or a ``user_message`` to one user.

The API records the message (``admin_messages/{id}``) and publishes ``admin.message``; the
notifier delivers it (``deliver``): one web notification per recipient
(``notifications/{event id}:{user id}``, created once, which bumps the live inbox) and, for
a recipient with a Telegram chat, a Telegram message through the send queue with a delivery
record per part (``telegram_delivery.send``), so a redelivered event repeats nothing. Each
recipient gets the text in their language when it was written in both.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from shared.basemodel import Model
from shared.bot.send_queue import SendQueue
from shared.errors import Conflict
from shared.events import AdminMessage
from shared.models import User, iso, utcnow
from shared.ports import Bus, Document, DocumentStore, Messenger
from shared.services import features, inbox, moderation, telegram_delivery, users

COLLECTION = "admin_messages"
PAGE = 200


def _texts(limit: int) -> dict[str, Any]:
    """What the spec promises is accepted: each text has a visible character, within the
    limit (the validator below also accepts blank ones beside a real one)."""
    return {"additionalProperties": {"type": "string", "pattern": r"\S", "maxLength": limit}}


def _kind_and_recipient(schema: dict[str, Any]) -> None:
    schema["oneOf"] = [
        {"properties": {"kind": {"const": "user_message"}, "user_id": {"type": "string"}},
         "required": ["user_id"]},
        {"properties": {"kind": {"const": "system_alert"}, "user_id": {"type": "null"}}},
    ]


class Outgoing(Model):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_kind_and_recipient)

    kind: Literal["system_alert", "user_message"]
    user_id: str | None = Field(default=None, max_length=24)
    title: dict[Literal["en", "ru"], str] = Field(min_length=1, json_schema_extra=_texts(120))
    body: dict[Literal["en", "ru"], str] = Field(min_length=1, json_schema_extra=_texts(2000))

    @model_validator(mode="after")
    def _check(self) -> Outgoing:
        if (self.kind == "user_message") != (self.user_id is not None):
            raise ValueError("a user_message needs user_id; a system_alert goes to everyone "
                             "and takes none")
        for field, limit in (("title", 120), ("body", 2000)):
            texts = {k: v.strip() for k, v in getattr(self, field).items() if v.strip()}
            if not texts:
                raise ValueError(f"{field} needs text in English or Russian")
            if any(len(v) > limit for v in texts.values()):
                raise ValueError(f"{field} is at most {limit} characters")
            setattr(self, field, texts)
        return self


def send(store: DocumentStore, bus: Bus, actor: User, wanted: Outgoing) -> Document:
    """Record the message and hand it to the notifier; returns the record."""
    if wanted.user_id is not None:
        users.load_user(store, wanted.user_id)  # 404 for an unknown recipient
    message_id = uuid.uuid4().hex
    record: Document = {"id": message_id, "kind": wanted.kind, "user_id": wanted.user_id,
                        "title": dict(wanted.title), "body": dict(wanted.body),
                        "sender_id": actor.id, "at": iso(utcnow())}
    store.create(COLLECTION, message_id, record)
    bus.publish(AdminMessage(event_id=f"{message_id}:message", correlation_id=message_id,
                             message_id=message_id, kind=wanted.kind, user_id=wanted.user_id,
                             sender_id=actor.id, title=record["title"], body=record["body"]))
    moderation.record(store, actor, "message", f"user:{wanted.user_id}" if wanted.user_id
                      else "everyone", None, kind=wanted.kind, message_id=message_id)
    return record


def recent(store: DocumentStore, limit: int = 50) -> list[Document]:
    docs = store.query(COLLECTION, order_by="at", descending=True, limit=limit)
    return [{k: v for k, v in d.items() if k != "_id"} for d in docs]


def in_language(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def recipients(store: DocumentStore, event: AdminMessage) -> Iterator[User]:
    """The one addressee, or every user, newest first, a page at a time (no cursors: the
    page boundary is a ``created_at <`` filter, which the Firestore emulator honours too)."""
    if event.user_id is not None:
        doc = store.get(users.COLLECTION, event.user_id)
        if doc is not None:
            yield User.model_validate(doc)
        return
    before: str | None = None
    while True:
        filters = [("created_at", "<", before)] if before else []
        page = store.query(users.COLLECTION, filters,  # type: ignore[arg-type]
                           order_by="created_at", descending=True, limit=PAGE)
        for doc in page:
            yield User.model_validate(doc)
        if len(page) < PAGE:
            return
        before = str(page[-1]["created_at"])


def _notify(store: DocumentStore, event: AdminMessage, user: User) -> None:
    lang = user.language.value
    doc: Document = {
        "user_id": user.id, "kind": event.kind, "title": in_language(event.title, lang),
        "body": in_language(event.body, lang), "message_id": event.message_id,
        "event_id": event.event_id, "correlation_id": event.correlation_id,
        "created_at": iso(utcnow()), "read": False}
    try:
        store.create(inbox.COLLECTION, f"{event.event_id}:{user.id}", doc)
    except Conflict:
        return  # a redelivery: this user has it already
    inbox.bump(store, user.id, doc["created_at"])


def _telegram(event: AdminMessage, user: User) -> telegram_delivery.Delivery:
    lang = user.language.value
    text = (f"<b>{html.escape(in_language(event.title, lang))}</b>\n\n"
            f"{html.escape(in_language(event.body, lang))}")
    assert user.telegram_id is not None
    return telegram_delivery.Delivery(user.telegram_id, user.id,
                                      [telegram_delivery.Part(text[:4096])])


def deliver(store: DocumentStore, messenger: Messenger | None, queue: SendQueue,
            event: AdminMessage) -> int:
    """The notifier's side: inbox for each recipient, then Telegram; returns messages sent."""
    push = messenger is not None and features.enabled(store, "FEATURE_LIVE_NOTIFICATIONS")
    sent = 0
    for user in recipients(store, event):
        if user.banned:
            continue
        _notify(store, event, user)
        if push and messenger is not None and user.telegram_id is not None and user.active:
            sent += telegram_delivery.send(store, messenger, queue, event.event_id,
                                           _telegram(event, user))
    return sent
