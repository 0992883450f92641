"""The daily digest: users opt in, pick an hour in their own time zone, and get once a day
the screener's top movers and their watchlist's state, in their language.

Preferences live in ``digest_prefs/{user id}``. Each scheduled scan asks ``due`` who is at
their chosen hour now (the scan runs several times an hour, so every hour has a scan) and
publishes a ``DigestReady`` per user and local date. Its event id is ``digest:{user}:{date}``
and a record ``digests_sent/{user}:{date}`` is created after the publish, so a second scan in
the same hour, or the same scan delivered twice, sends nothing more; a crash in between
republishes the same event id, which the notifier's delivery records drop (decision 0123).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ConfigDict, Field

from shared.basemodel import Model
from shared.errors import Conflict
from shared.events import DigestReady
from shared.models import User, iso, utcnow
from shared.ports import Bus, DocumentStore
from shared.services import inbox, watchlist

log = logging.getLogger(__name__)
PREFS = "digest_prefs"
SENT = "digests_sent"
MOVERS = 5
RowFor = Callable[[str, str], dict[str, Any] | None]  # (symbol, timeframe) → a screener row


class DigestPrefs(Model):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    hour: int = Field(default=9, ge=0, le=23, description="local hour, 0-23")
    utc_offset_minutes: int = Field(default=0, ge=-720, le=840,
                                    description="the user's offset from UTC, e.g. 180")


def load(store: DocumentStore, user_id: str) -> DigestPrefs:
    doc = store.get(PREFS, user_id) or {}
    return DigestPrefs.model_validate({k: v for k, v in doc.items()
                                       if k in DigestPrefs.model_fields})


def save(store: DocumentStore, user_id: str, prefs: DigestPrefs) -> DigestPrefs:
    store.set(PREFS, user_id, {**prefs.model_dump(), "user_id": user_id,
                               "updated_at": iso(utcnow())})
    return prefs


def local_time(now: datetime, prefs: DigestPrefs) -> datetime:
    return now + timedelta(minutes=prefs.utc_offset_minutes)


def due(store: DocumentStore, now: datetime) -> list[tuple[str, DigestPrefs, str]]:
    """(user id, preferences, local date) of every opted-in user at their hour now."""
    found = []
    for doc in store.query(PREFS, [("enabled", "==", True)]):
        prefs = load(store, doc["_id"])
        local = local_time(now, prefs)
        if local.hour == prefs.hour:
            found.append((doc["_id"], prefs, local.date().isoformat()))
    return found


@dataclass(frozen=True)
class Pending:
    """A digest due now and not sent yet: whose, for which local date, which pairs."""

    user_id: str
    local_date: str
    pairs: list[tuple[str, str]]


def pending(store: DocumentStore, now: datetime) -> list[Pending]:
    """The digests to send in this scan (the scan fetches their watchlists' pairs too)."""
    found = []
    for user_id, _, local_date in due(store, now):
        if store.get(SENT, f"{user_id}:{local_date}") is not None:
            continue
        items = store.query(watchlist.COLLECTION, [("user_id", "==", user_id)], limit=200)
        pairs = [(str(d["symbol"]), str(d["timeframe"])) for d in items if d.get("enabled")]
        found.append(Pending(user_id, local_date, sorted(set(pairs))))
    return found


def publish(store: DocumentStore, bus: Bus, scan_id: str, timeframe: str, row_for: RowFor,
            digests: Iterable[Pending]) -> int:
    """Publish each pending digest once per user and local date; returns how many now."""
    from shared.services import screener

    movers = sorted(screener.snapshot(store, timeframe)["rows"],
                    key=lambda r: -abs(r["change_pct"]))[:MOVERS]
    published = 0
    for due_now in digests:
        key = f"{due_now.user_id}:{due_now.local_date}"
        watch = [{"symbol": s, "timeframe": tf, "row": row_for(s, tf)} for s, tf in due_now.pairs]
        event = DigestReady(event_id=f"digest:{key}", correlation_id=scan_id,
                            user_id=due_now.user_id, local_date=due_now.local_date,
                            timeframe=timeframe, movers=movers, watch=watch)
        bus.publish(event)
        try:
            store.create(SENT, key, {"user_id": due_now.user_id, "scan_id": scan_id,
                                     "local_date": due_now.local_date,
                                     "event_id": event.event_id, "created_at": iso(utcnow())})
        except Conflict:
            continue  # a concurrent scan published the same event id: the notifier drops it
        published += 1
    return published


def notify(store: DocumentStore, event: DigestReady, user: User, title: str) -> None:
    """The web notification (once per event, as every notification)."""
    created = iso(utcnow())
    doc = {"user_id": user.id, "kind": "digest", "title": title,
           "body": ", ".join(f"{m['symbol']} {m['change_pct']:+.2f}%" for m in event.movers),
           "event_id": event.event_id, "correlation_id": event.correlation_id,
           "created_at": created, "read": False}
    try:
        store.create(inbox.COLLECTION, event.event_id, doc)
    except Conflict:
        return
    inbox.bump(store, user.id, created)
