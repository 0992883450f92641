"""What every Pub/Sub-triggered entry point does around its service call.

Decode the CloudEvent into its typed message, tag the logs with the correlation id, call
the service, and map errors to Pub/Sub semantics: a ``PermanentError`` is logged, kept in
``rejected_messages`` and acknowledged; anything else is recorded as the delivery's last
error (``delivery_failures``) and propagates so the message is redelivered (with backoff,
then the dead-letter topic). A message from a dead-letter topic is kept in ``dead_letters``
with that last error and acknowledged (``shared/services/dead_letters.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from shared import delivery, log, metrics
from shared.bootstrap import Container, container
from shared.errors import PermanentError
from shared.events import Event
from shared.models import iso, utcnow
from shared.services import dead_letters

logger = logging.getLogger(__name__)
E = TypeVar("E", bound=Event)
Route = dict[type[Event], Callable[[Container, Any], object]]


def handle_cloud_event(function: str, cloud_event: Any, routes: Route) -> None:
    log.setup()
    with log.traced(delivery.trace_headers(cloud_event)):
        _handle(function, cloud_event, routes)


def _handle(function: str, cloud_event: Any, routes: Route) -> None:
    ports = container()
    try:
        if _dead_letter(ports, cloud_event):
            return
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
    except Exception as exc:
        dead_letters.record_failure(ports.store, function, event.topic, event.event_id,
                                    f"{type(exc).__name__}: {exc}")
        raise
    finally:
        log.correlation_id.reset(token)


def _dead_letter(ports: Container, cloud_event: Any) -> bool:
    """Keep a message that reached a dead-letter topic; True when it was one."""
    source = dead_letters.dead_topic_source(delivery.topic_of(cloud_event))
    if source is None:
        return False
    data = cloud_event.data if isinstance(cloud_event.data, dict) else {}
    kept = dead_letters.record_dead(ports.store, source, data.get("message") or {})
    metrics.DEAD_LETTERS.inc(1.0, source)
    logger.error("dead letter kept", extra={"topic": source, "function": kept["function"],
                                            "event_id": kept["event_id"]})
    return True


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
