"""notifier: notifications for finished analyses and triggered alerts (Pub/Sub).

Each event becomes a notification document for the web page and, when the user asked from
Telegram (or owns the alert), Telegram messages sent through the send queue, whose slots
every instance shares in the store (decision 0113).
An admin message reaches each recipient's inbox and Telegram chat, a daily digest its user's.
A dead letter pushed here from a dead-letter topic is kept for the admin (``shared/entry.py``).
"""

import functions_framework

import shared.startup  # noqa: F401  (first: no garbage collection until the first answer)
from shared.bootstrap import Container
from shared.bot import send_queue
from shared.config import settings
from shared.entry import handle_cloud_event
from shared.events import (
    AdminMessage,
    AlertTriggered,
    AnalysisCompleted,
    AnalysisFailed,
    DigestReady,
    Event,
)
from shared.services.notify import notify_everywhere

settings()  # refuses to start without an explicit CHARTGENIUS_ENV


def _queue(ports: Container) -> send_queue.SendQueue:
    return send_queue.instance(ports.settings, ports.store)


def _notify(ports: Container, event: Event) -> None:
    notify_everywhere(ports.store, ports.blobs, ports.messenger, _queue(ports), event,
                      web_base_url=ports.settings.web_base_url)


# Admin messages and digests are imported by their first event: most instances start on a
# finished analysis or an alert, and the digest's modules (with the watchlist's rule models)
# were ~0.03 s of that cold start.
def _message(ports: Container, event: AdminMessage) -> None:
    from shared.services import messages

    messages.deliver(ports.store, ports.messenger, _queue(ports), event)


def _digest(ports: Container, event: DigestReady) -> None:
    from shared.services import digest_delivery

    digest_delivery.deliver(ports.store, ports.messenger, _queue(ports), event)


ROUTES = {AnalysisCompleted: _notify, AnalysisFailed: _notify, AlertTriggered: _notify,
          AdminMessage: _message, DigestReady: _digest}


@functions_framework.cloud_event
def notifier(cloud_event):  # type: ignore[no-untyped-def]
    handle_cloud_event("notifier", cloud_event, ROUTES)
