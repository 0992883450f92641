"""What every Pub/Sub-triggered entry point does around its service call.

Decode the CloudEvent into its typed message, tag the logs with the correlation id, call
the service, and map errors to Pub/Sub semantics: a ``PermanentError`` is logged, kept in
``rejected_messages`` and acknowledged; anything else propagates so the message is
redelivered (with backoff, then the dead-letter topic).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from shared import delivery, log
from shared.bootstrap import Container, container
from shared.errors import PermanentError
from shared.events import Event
from shared.models import iso, utcnow

logger = logging.getLogger(__name__)
E = TypeVar("E", bound=Event)
Route = dict[type[Event], Callable[[Container, Any], object]]


def handle_cloud_event(function: str, cloud_event: Any, routes: Route) -> None:
    log.setup()
    ports = container()
    try:
        event = delivery.decode(cloud_event)
    except PermanentError as exc:
        _reject(ports, function, cloud_event, exc)
        return
    token = log.correlation_id.set(event.correlation_id)
    try:
        handler = routes.get(type(event))
        if handler is None:
            raise PermanentError(f"{function} does not handle {type(event).__name__}")
        handler(ports, event)
        logger.info("handled", extra={"function": function, "topic": event.topic,
                                      "event_id": event.event_id})
    except PermanentError as exc:
        _reject(ports, function, cloud_event, exc)
    finally:
        log.correlation_id.reset(token)


def _reject(ports: Container, function: str, cloud_event: Any, exc: PermanentError) -> None:
    """Keep a message that can never succeed, with the reason, and acknowledge it."""
    message_id = str(cloud_event["id"])
    logger.warning("rejected message", extra={"function": function, "reason": exc.message,
                                              "message_id": message_id})
    ports.store.set(
        "rejected_messages", f"{function}:{message_id}",
        {"function": function, "source": str(cloud_event["source"]), "reason": exc.message,
         "data": cloud_event.data if isinstance(cloud_event.data, dict) else None,
         "at": iso(utcnow())},
    )
