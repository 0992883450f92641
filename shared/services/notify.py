"""notifier's use case: a notification document for the web page, and the Telegram message.

The document id is the event id and is created only if absent, so a message delivered twice
leaves one notification; only the delivery that created it bumps the user's inbox document
(``inboxes/{user id}``: latest time and unread count), which live pages listen to. The
Telegram delivery keeps its own per-part records (``telegram_delivery``), so it runs on every
delivery and sends only what was not sent yet.
"""

from __future__ import annotations

from shared.bot.send_queue import SendQueue
from shared.clock import Clock
from shared.errors import Conflict
from shared.events import AlertTriggered, AnalysisCompleted, AnalysisFailed, Event
from shared.models import iso, utcnow
from shared.ports import BlobStore, Document, DocumentStore, Messenger
from shared.services import features, inbox, telegram_delivery

COLLECTION = inbox.COLLECTION


def _document(event: Event) -> Document:
    if isinstance(event, AnalysisCompleted):
        return {
            "user_id": event.user_id, "kind": "analysis.completed",
            "analysis_id": event.analysis_id,
            "title": f"{event.symbol} {event.timeframe}: {event.signal.value.replace('_', ' ')}",
            "body": f"Analysis ready, confidence {event.confidence:.0%}.",
        }
    if isinstance(event, AnalysisFailed):
        return {
            "user_id": event.user_id, "kind": "analysis.failed",
            "analysis_id": event.analysis_id,
            "title": f"{event.symbol} {event.timeframe}: analysis failed",
            "body": event.reason,
        }
    if isinstance(event, AlertTriggered):
        return {
            "user_id": event.user_id, "kind": "alert.triggered", "alert_id": event.alert_id,
            "title": f"{event.symbol} {event.timeframe}: alert", "body": event.message,
        }
    raise TypeError(f"the notifier does not handle {type(event).__name__}")


def notify(store: DocumentStore, event: Event, *, clock: Clock = utcnow) -> bool:
    """Write the notification; False when this event was already handled."""
    doc = _document(event)
    doc.update(event_id=event.event_id, correlation_id=event.correlation_id,
               created_at=iso(clock()), read=False)
    try:
        store.create(COLLECTION, event.event_id, doc)
    except Conflict:
        return False
    inbox.bump(store, doc["user_id"], doc["created_at"])
    return True


def notify_everywhere(store: DocumentStore, blobs: BlobStore, messenger: Messenger | None,
                      queue: SendQueue, event: Event, *, web_base_url: str | None = None) -> int:
    """The web notification, then the Telegram message when a bot is configured.

    Returns how many Telegram messages were sent now."""
    notify(store, event)
    if messenger is None:
        return 0
    if isinstance(event, AlertTriggered) and not features.enabled(
            store, "FEATURE_LIVE_NOTIFICATIONS"):
        return 0  # alerts reach the web inbox only while live notifications are off
    return telegram_delivery.deliver(store, blobs, messenger, queue, event,
                                     web_base_url=web_base_url)
