"""Messages that could not be handled: failed deliveries, dead letters, and their replay.

Each instance counts for itself in production, so nothing here lives in memory:

- ``delivery_failures/{function}:{event id}``: ``shared/entry.py`` records the last error of
  a delivery that raised (it is then redelivered by Pub/Sub, or by the local bus);
- ``dead_letters/{function}:{event id}``: what reached a topic's dead-letter topic, with its
  payload, the subscriber that gave up on it, the delivery count and the last error recorded
  above. In production every dead-letter topic has a push subscription to the notifier
  (``infra/modules/topics``); locally the bus hands its dead rows to the same entry point.
  ``entry.py`` recognises the dead-letter topic by its suffix and calls ``record_dead``;
- ``rejected_messages`` (written by ``entry.py``): a message that can never succeed.

A replay publishes the stored event again on its topic; handlers are idempotent, so a replay
of something that did succeed in the meantime changes nothing.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from shared import topics
from shared.errors import Conflict, NotFound
from shared.events import EVENT_TYPES
from shared.models import iso, utcnow
from shared.ports import Bus, Document, DocumentStore

FAILURES = "delivery_failures"
DEAD = "dead_letters"
REJECTED = "rejected_messages"
SOURCE_SUBSCRIPTION = "CloudPubSubDeadLetterSourceSubscription"
DELIVERY_COUNT = "CloudPubSubDeadLetterSourceDeliveryCount"
_ID_MAX = 300


def _key(function: str, event_id: str) -> str:
    return f"{function}:{event_id}"[:_ID_MAX].replace("/", "_")


def record_failure(store: DocumentStore, function: str, topic: str, event_id: str,
                   reason: str) -> None:
    """The last error of one delivery of ``event_id`` to ``function`` (it will be retried)."""

    def change(doc: Document | None) -> Document:
        count = int((doc or {}).get("failures", 0)) + 1
        return {"function": function, "topic": topic, "event_id": event_id,
                "reason": reason[:1000], "failures": count, "at": iso(utcnow())}

    store.transact(FAILURES, _key(function, event_id), change)


def dead_topic_source(topic: str) -> str | None:
    """The topic a dead-letter topic belongs to, or None when ``topic`` is not one."""
    suffix = topics.registry().dead_letter_suffix
    if not topic.endswith(suffix):
        return None
    return topic[: -len(suffix)]


def subscriber_of(subscription: str, topic: str) -> str:
    """``projects/p/subscriptions/<topic>.<function>`` → ``function``."""
    name = subscription.rsplit("/", 1)[-1]
    return name[len(topic) + 1:] if name.startswith(topic + ".") else name


def record_dead(store: DocumentStore, topic: str, message: dict[str, Any]) -> Document:
    """Keep what reached ``topic``'s dead-letter topic (a Pub/Sub push ``message``)."""
    attributes = message.get("attributes") or {}
    raw = base64.b64decode(message.get("data") or b"")
    try:
        payload = json.loads(raw)
    except ValueError:
        payload = {"undecodable": raw[:2000].decode(errors="replace")}
    event_id = str(payload.get("event_id") or message.get("messageId") or "unknown")
    function = subscriber_of(str(attributes.get(SOURCE_SUBSCRIPTION, "")), topic)
    failure = store.get(FAILURES, _key(function, event_id)) or {}
    doc: Document = {
        "function": function, "topic": topic, "event_id": event_id, "payload": payload,
        "attempts": int(attributes.get(DELIVERY_COUNT) or failure.get("failures") or 0),
        "reason": failure.get("reason") or "delivery kept failing (no error recorded)",
        "at": iso(utcnow()), "replayed_at": None, "replays": 0,
    }
    store.set(DEAD, _key(function, event_id), doc)
    return doc


def _view(doc: Document) -> Document:
    return {"id": doc["_id"], **{k: v for k, v in doc.items() if k != "_id"}}


def recent_dead(store: DocumentStore, limit: int = 50) -> list[Document]:
    docs = store.query(DEAD, order_by="at", descending=True, limit=limit)
    return [_view(d) for d in docs]


def recent_rejected(store: DocumentStore, limit: int = 50) -> list[Document]:
    docs = store.query(REJECTED, order_by="at", descending=True, limit=limit)
    return [_view(d) for d in docs]


def replay(store: DocumentStore, bus: Bus, dead_id: str) -> Document:
    """Publish a dead letter's event again on its topic; returns the updated record."""
    doc = store.get(DEAD, dead_id) if len(dead_id) <= _ID_MAX else None
    if doc is None:
        raise NotFound(f"dead letter {dead_id} does not exist")
    cls = EVENT_TYPES.get(str(doc.get("topic")))
    if cls is None or "undecodable" in (doc.get("payload") or {}):
        raise Conflict("this dead letter has no decodable event to replay")
    event = cls.model_validate(doc["payload"])
    bus.publish(event)
    changes = {"replayed_at": iso(utcnow()), "replays": int(doc.get("replays", 0)) + 1}
    store.update(DEAD, dead_id, changes)
    return {**_view({**doc, "_id": dead_id}), **changes}
