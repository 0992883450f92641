"""notifier: notifications for finished analyses and triggered alerts (Pub/Sub)."""

import functions_framework

from shared.entry import handle_cloud_event
from shared.events import AlertTriggered, AnalysisCompleted, AnalysisFailed
from shared.services.notify import notify

ROUTES = {
    AnalysisCompleted: lambda c, e: notify(c.store, e),
    AnalysisFailed: lambda c, e: notify(c.store, e),
    AlertTriggered: lambda c, e: notify(c.store, e),
}


@functions_framework.cloud_event
def notifier(cloud_event):  # type: ignore[no-untyped-def]
    handle_cloud_event("notifier", cloud_event, ROUTES)
