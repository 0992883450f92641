"""``/api/notifications``: the signed-in user's web notifications, marking them read, and a
live stream of the unread count and new notifications (Server-Sent Events).

The stream listens to the one ``inboxes/{user id}`` document the notifier bumps (no polling)
and, when it changes, queries the notifications created since the stream opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from flask import Blueprint, Response, jsonify
from pydantic import ConfigDict, Field

from shared.api.live import KEEP_ALIVE, RETRY, STREAMS, Quiet, event, follow
from shared.api.requests import current_user, query
from shared.api.routes import ITEMS, route
from shared.basemodel import Model
from shared.bootstrap import container
from shared.errors import NotFound
from shared.ports import DocumentStore
from shared.services import inbox

bp = Blueprint("notifications", __name__)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$")


class NotificationQuery(Model):
    model_config = ConfigDict(extra="forbid")

    unread: bool = False
    limit: int = Field(default=20, ge=1, le=100)


@route(bp, "GET", "/api/notifications", "My notifications, newest first, and the unread count",
       query=NotificationQuery, response=ITEMS)
def list_mine() -> Response:
    user = current_user()
    wanted = query(NotificationQuery)
    store = container().store
    items = inbox.list_mine(store, user.id, unread_only=wanted.unread, limit=wanted.limit)
    return jsonify({"items": items, "unread": inbox.unread(store, user.id)})


@route(bp, "POST", "/api/notifications/<notification_id>/read", "Mark one notification read",
       params={"notification_id": {"type": "string", "pattern": _ID.pattern}})
def read(notification_id: str) -> Response:
    user = current_user()
    if not _ID.match(notification_id):
        raise NotFound(f"notification {notification_id} does not exist")
    doc, unread = inbox.mark_read(container().store, user.id, notification_id)
    return jsonify({"notification": inbox.public(doc), "unread": unread})


@route(bp, "POST", "/api/notifications/read-all", "Mark all my notifications read")
def read_all() -> Response:
    user = current_user()
    marked, unread = inbox.mark_all_read(container().store, user.id)
    return jsonify({"marked": marked, "unread": unread})


@route(bp, "GET", "/api/notifications/events",
       "Live unread count and new notifications (SSE)", response=None,
       content="text/event-stream")
def events() -> Response:
    user = current_user()
    return Response(
        STREAMS.open(user.id, stream_inbox(container().store, user.id)),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def stream_inbox(store: DocumentStore, user_id: str) -> Iterator[str]:
    """``unread`` ({"unread": n}) first and whenever it changes; ``notification`` (the public
    view) for each notification created after the stream opened, oldest first."""
    docs = follow(store, inbox.INBOXES, user_id)
    opened_at: str | None = None  # the inbox's latest_at when the stream opened
    sent: set[str] = set()
    last_unread: int | None = None
    try:
        yield RETRY
        for doc in docs:
            if isinstance(doc, Quiet):
                yield KEEP_ALIVE
                continue
            latest = str((doc or {}).get("latest_at") or "")
            if opened_at is None:
                opened_at = latest  # what exists now the page lists with GET
            elif latest > opened_at:
                for item in inbox.since(store, user_id, opened_at):
                    if item["id"] not in sent and item["created_at"] > opened_at:
                        sent.add(item["id"])
                        yield event("notification", item)
            unread = max(0, int((doc or {}).get("unread") or 0))
            if unread != last_unread:
                last_unread = unread
                yield event("unread", {"unread": unread})
    finally:
        docs.close()
