"""notifier: notifications for finished analyses and triggered alerts (Pub/Sub).

Each event becomes a notification document for the web page and, when the user asked from
Telegram (or owns the alert), Telegram messages sent through this instance's send queue.
"""

import functions_framework

from shared.bootstrap import Container
from shared.bot import send_queue
from shared.entry import handle_cloud_event
from shared.events import AlertTriggered, AnalysisCompleted, AnalysisFailed, Event
from shared.services.notify import notify_everywhere


def _notify(ports: Container, event: Event) -> None:
    notify_everywhere(ports.store, ports.blobs, ports.messenger,
                      send_queue.instance(ports.settings), event,
                      web_base_url=ports.settings.web_base_url)


ROUTES = {AnalysisCompleted: _notify, AnalysisFailed: _notify, AlertTriggered: _notify}


@functions_framework.cloud_event
def notifier(cloud_event):  # type: ignore[no-untyped-def]
    handle_cloud_event("notifier", cloud_event, ROUTES)
