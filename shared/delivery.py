"""Pub/Sub push delivery as a binary-mode CloudEvent, both ways.

``to_cloudevent`` builds exactly what a Pub/Sub trigger hands a Cloud Function (``ce-*``
headers; body ``{"message": {"data", "attributes", "messageId", "publishTime"},
"subscription"}``). ``decode`` turns a received CloudEvent back into its typed event.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from pydantic import ValidationError

from shared import log
from shared.errors import PermanentError
from shared.events import EVENT_TYPES, Event

PUBLISHED_TYPE = "google.cloud.pubsub.topic.v1.messagePublished"


def encode(event: Event) -> tuple[bytes, dict[str, str]]:
    """The Pub/Sub message data and attributes for an event."""
    data = event.model_dump_json().encode()
    attributes = {
        "event_id": event.event_id,
        "correlation_id": event.correlation_id,
        "schema_version": str(event.schema_version),
    }
    parent = log.traceparent()
    if parent:  # the next function logs under the same trace
        attributes["traceparent"] = parent
    return data, attributes


def trace_headers(cloud_event: Any) -> dict[str, str]:
    """Where an event's trace travels: the CloudEvent's ``traceparent`` extension (Eventarc
    sets it), else the Pub/Sub message's ``traceparent`` attribute (``encode``)."""
    getter = getattr(cloud_event, "get", None)
    own = getter("traceparent") if callable(getter) else None
    if own:
        return {"traceparent": str(own)}
    data = getattr(cloud_event, "data", None)
    message = data.get("message") if isinstance(data, dict) else None
    attributes = message.get("attributes") if isinstance(message, dict) else None
    if isinstance(attributes, dict) and isinstance(attributes.get("traceparent"), str):
        return {"traceparent": attributes["traceparent"]}
    return {}


def to_cloudevent(
    project: str,
    topic: str,
    message_id: str,
    data: bytes,
    attributes: dict[str, str],
    published: datetime | None = None,
) -> tuple[dict[str, str], bytes]:
    """Headers and body of the binary-mode CloudEvent a Pub/Sub trigger delivers."""
    published = published or datetime.now(UTC)
    stamp = published.isoformat().replace("+00:00", "Z")
    subscription = f"projects/{project}/subscriptions/{topic_subscription(topic)}"
    body = {
        "message": {
            "data": base64.b64encode(data).decode(),
            "attributes": attributes,
            "messageId": message_id,
            "publishTime": stamp,
        },
        "subscription": subscription,
    }
    event = CloudEvent(
        {
            "type": PUBLISHED_TYPE,
            "source": f"//pubsub.googleapis.com/projects/{project}/topics/{topic}",
            "id": message_id,
            "time": stamp,
            "datacontenttype": "application/json",
        },
        body,
    )
    headers, payload = to_binary(event)
    return dict(headers), payload if isinstance(payload, bytes) else str(payload).encode()


def topic_subscription(topic: str) -> str:
    return topic.replace(".", "-") + "-sub"


def topic_of(cloud_event: Any) -> str:
    source = str(cloud_event["source"])
    marker = "/topics/"
    if marker not in source:
        raise PermanentError(f"event source {source!r} is not a Pub/Sub topic")
    return source.rsplit(marker, 1)[1]


def decode(cloud_event: Any) -> Event:
    """The typed event inside a Pub/Sub CloudEvent; PermanentError if it is not one."""
    topic = topic_of(cloud_event)
    cls = EVENT_TYPES.get(topic)
    if cls is None:
        raise PermanentError(f"no message schema for topic {topic!r}")
    try:
        message = cloud_event.data["message"]
        raw = base64.b64decode(message["data"])
        return cls.model_validate(json.loads(raw))
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise PermanentError(f"malformed {topic} message: {exc}") from exc
