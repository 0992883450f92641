"""notifier's Telegram side: one delivery per (event, chat), within Telegram's limits.

An event becomes a list of parts (the chart photo with its caption, then the report cut at
4,096 characters). Each part has a delivery record ``telegram_deliveries/<event>:<chat>:<n>``
claimed in a store transaction before it is sent and marked ``sent`` after:

- ``sent`` → skipped, so a redelivered event sends nothing twice;
- ``sending`` younger than the lease → another delivery is sending it now: ``TransientError``,
  Pub/Sub retries later and then finds it sent;
- ``sending`` older than the lease → the sender died between the send and the mark; the part
  is sent again (at least once: Telegram has no idempotency key, and a lost part is worse than
  a repeated one). Decision 0053.

A 403 marks a private chat's user inactive and stops without retrying; a 429 is handled by
the send queue; anything else propagates (transient → redelivery).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared import metrics
from shared.bot import keyboards, reports
from shared.bot.alert_messages import alert_text
from shared.bot.html_parts import split_html
from shared.bot.send_queue import SendQueue, is_group
from shared.charts import chart_path
from shared.errors import Forbidden, NotFound, TransientError
from shared.events import AlertTriggered, AnalysisCompleted, AnalysisFailed, Event
from shared.models import Analysis, User, iso, utcnow
from shared.ports import BlobStore, Document, DocumentStore, Messenger
from shared.services import analyses, daily_counts

log = logging.getLogger(__name__)
COLLECTION = "telegram_deliveries"
STATS = "telegram"  # daily_counts: sent, errors, rate_limited (what the admin health shows)
REQUESTS = "telegram_requests"  # per analysis: how the bot was asked (``mode: chart``)
LEASE = timedelta(seconds=120)


@dataclass(frozen=True)
class Part:
    text: str
    photo: bytes | str | None = None  # bytes from the blob store, or a URL; text = caption
    keyboard: dict[str, Any] | None = None  # an inline keyboard under the message


@dataclass(frozen=True)
class Delivery:
    chat_id: int
    user_id: str
    parts: list[Part]


def deliver(store: DocumentStore, blobs: BlobStore, messenger: Messenger, queue: SendQueue,
            event: Event, *, web_base_url: str | None = None) -> int:
    """Send the event to its chat; returns how many parts were sent now."""
    delivery = plan(store, blobs, event, web_base_url=web_base_url)
    if delivery is None:
        return 0
    return send(store, messenger, queue, event.event_id, delivery)


def send(store: DocumentStore, messenger: Messenger, queue: SendQueue, event_id: str,
         delivery: Delivery) -> int:
    """Send ``delivery``'s parts not sent yet for ``event_id``; returns how many now."""
    user = _user(store, delivery.user_id)
    if user is not None and (user.banned or not user.active):
        log.info("not delivered: user inactive or banned", extra={"user_id": user.id})
        return 0
    sent = 0
    for index, part in enumerate(delivery.parts):
        key = f"{event_id}:{delivery.chat_id}:{index}"
        if not _claim(store, key):
            continue
        try:
            queue.send(delivery.chat_id, _sender(messenger, delivery.chat_id, part),
                       on_rate_limited=lambda: daily_counts.add(store, STATS, rate_limited=1))
        except Forbidden as exc:
            metrics.TELEGRAM_SENDS.inc(1.0, "error")
            daily_counts.add(store, STATS, errors=1)
            _blocked(store, key, delivery, exc)
            return sent
        except Exception:
            store.delete(COLLECTION, key)  # not sent: the redelivery sends it
            daily_counts.add(store, STATS, errors=1)
            raise
        store.update(COLLECTION, key, {"status": "sent", "sent_at": iso(utcnow())})
        metrics.TELEGRAM_SENDS.inc(1.0, "ok")
        daily_counts.add(store, STATS, sent=1)
        sent += 1
    return sent


def plan(store: DocumentStore, blobs: BlobStore, event: Event, *,
         web_base_url: str | None = None) -> Delivery | None:
    """The chat and the parts to send for this event, or None when it goes to no chat."""
    if isinstance(event, AlertTriggered):
        user = _user(store, event.user_id)
        if user is None or user.telegram_id is None:
            return None
        return Delivery(user.telegram_id, user.id, [_alert_part(blobs, user, event)])
    if not isinstance(event, AnalysisCompleted | AnalysisFailed):
        return None
    try:
        analysis = analyses.load(store, event.analysis_id)
    except NotFound:
        log.warning("no analysis to deliver", extra={"analysis_id": event.analysis_id})
        return None
    if analysis.chat_id is None:
        return None  # asked for on the web: the notification document is enough
    if isinstance(event, AnalysisFailed) or analysis.result is None:
        parts = [Part(p) for p in split_html(reports.failure(analysis))]
    else:
        parts = _analysis_parts(store, blobs, analysis, web_base_url)
    return Delivery(analysis.chat_id, analysis.user_id, parts)


def _analysis_parts(store: DocumentStore, blobs: BlobStore, analysis: Analysis,
                    web_base_url: str | None) -> list[Part]:
    """The chart with a caption of its own, then the one-message report with its buttons."""
    result = analysis.result
    assert result is not None and analysis.chat_id is not None
    chart = _chart(blobs, analysis.id) if result.chart_url else None
    asked = store.get(REQUESTS, analysis.id) or {}
    photo = [Part(reports.caption(analysis, result), chart)] if chart is not None else []
    if photo and asked.get("mode") == "chart":
        return photo
    lang = analysis.language.value
    buttons = keyboards.report_keyboard(lang, analysis.id, web_base_url,
                                        private=not is_group(analysis.chat_id))
    return [*photo, Part(reports.report(analysis, result), keyboard=buttons)]


def _alert_part(blobs: BlobStore, user: User, event: AlertTriggered) -> Part:
    """One message: the chart with the alert as its caption (or the alert alone), and the
    snooze and mute buttons."""
    lang = user.language.value
    text = alert_text(event, lang, event.note)
    buttons = keyboards.alert_keyboard(lang, event.alert_id)
    blob = blobs.get(event.chart) if event.chart else None
    return Part(text, blob.data if blob is not None else None, keyboard=buttons)


def _chart(blobs: BlobStore, analysis_id: str) -> bytes | None:
    """The chart PNG the analyzer stored (decision 0035), or None if it is not there."""
    path = chart_path(analysis_id)
    blob = blobs.get(path)
    if blob is None:
        log.warning("chart missing from the blob store; sending the report only",
                    extra={"path": path})
        return None
    return blob.data


def _sender(messenger: Messenger, chat_id: int, part: Part) -> Callable[[], None]:
    def send() -> None:
        if part.photo is not None:
            messenger.send_photo(chat_id, part.photo, caption=part.text, parse_mode="HTML",
                                 reply_markup=part.keyboard)
        else:
            messenger.send_message(chat_id, part.text, parse_mode="HTML",
                                   reply_markup=part.keyboard)

    return send


def _claim(store: DocumentStore, key: str) -> bool:
    """True when this part is ours to send now; False when it was sent already."""
    now = utcnow()
    state = {"claimed": False}

    def change(doc: Document | None) -> Document | None:
        if doc is not None and doc.get("status") == "sent":
            return None
        if doc is not None and doc.get("status") == "blocked":
            return None
        if doc is not None and datetime.fromisoformat(doc["claimed_at"]) > now - LEASE:
            raise TransientError(f"delivery {key} is being sent by another attempt")
        state["claimed"] = True
        attempt = int((doc or {}).get("attempt", 0)) + 1
        return {"status": "sending", "claimed_at": iso(now), "attempt": attempt}

    store.transact(COLLECTION, key, change)
    return state["claimed"]


def _blocked(store: DocumentStore, key: str, delivery: Delivery, exc: Forbidden) -> None:
    log.warning("the bot may not write to this chat", extra={"chat_id": delivery.chat_id,
                                                              "reason": exc.message})
    store.update(COLLECTION, key, {"status": "blocked", "reason": exc.message})
    if not is_group(delivery.chat_id) and _user(store, delivery.user_id) is not None:
        store.update("users", delivery.user_id, {"active": False})


def _user(store: DocumentStore, user_id: str) -> User | None:
    doc = store.get("users", user_id)
    return User.model_validate(doc) if doc is not None else None
