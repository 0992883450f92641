"""The production Bus: Cloud Pub/Sub.

``publish`` sends the same data and attributes the local bus stores (``delivery.encode``)
to the topic named by the event, and waits for the message id so that a caller knows the
message is durable before it reports success. Pub/Sub then delivers it to each
subscription's function as a binary CloudEvent, retrying and dead-lettering as the
subscription says (Terraform, from ``topics.json``).

A publish that fails for now raises ``TransientError``; one that cannot work (no such
topic, no permission) raises ``PermanentError``. The publisher is created on first use.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from google.api_core import exceptions as google_errors

from shared import delivery, topics
from shared.errors import PermanentError, TransientError
from shared.events import Event

log = logging.getLogger(__name__)

_PERMANENT = (
    google_errors.NotFound,
    google_errors.PermissionDenied,
    google_errors.Unauthenticated,
    google_errors.InvalidArgument,
)


class PubSubBus:
    def __init__(
        self, project: str, publisher: Any = None, *, timeout_seconds: float = 30.0
    ) -> None:
        self.project = project
        self._publisher = publisher
        self._timeout = timeout_seconds
        self._lock = threading.Lock()

    def _client(self) -> Any:
        if self._publisher is None:
            with self._lock:
                if self._publisher is None:
                    from google.cloud.pubsub_v1 import PublisherClient

                    self._publisher = PublisherClient()
        return self._publisher

    def topic_path(self, topic: str) -> str:
        return f"projects/{self.project}/topics/{topic}"

    def publish(self, event: Event) -> str:
        topics.registry().topic(event.topic)  # an unregistered topic is a bug: KeyError
        data, attributes = delivery.encode(event)
        path = self.topic_path(event.topic)
        try:
            future = self._client().publish(path, data, **attributes)
            message_id = str(future.result(timeout=self._timeout))
        except TimeoutError as exc:
            raise TransientError(
                f"publish to {event.topic} not confirmed within {self._timeout} s"
            ) from exc
        except _PERMANENT as exc:
            raise PermanentError(f"cannot publish to {path}: {exc.message}") from exc
        except ValueError as exc:  # the client's MessageTooLargeError and the like
            raise PermanentError(f"cannot publish to {path}: {exc}") from exc
        except google_errors.GoogleAPIError as exc:  # RetryError too
            raise TransientError(f"publish to {event.topic} failed: {exc}") from exc
        log.info(
            "published",
            extra={"topic": event.topic, "event_id": event.event_id, "message_id": message_id},
        )
        return message_id
