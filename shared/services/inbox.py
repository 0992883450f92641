"""A user's web notifications: list, mark read, and the per-user inbox document.

``notifications/{event id}`` are written by the notifier (``notify``). Next to them each user
has one ``inboxes/{user id}`` document, ``{"user_id", "latest_at", "unread"}``: the notifier
bumps it after each notification it creates, so a live page listens to one document per user
(Firestore ``onSnapshot`` in production, the API's SSE stream locally) and queries the new
notifications only when it changes. Reading keeps ``unread`` right: a notification's ``read``
flag is flipped in a transaction, and only a flip that happened decrements the counter
(decision 0061).
"""

from __future__ import annotations

from typing import Any

from shared.errors import NotFound
from shared.models import iso, utcnow
from shared.ports import Document, DocumentStore

COLLECTION = "notifications"
INBOXES = "inboxes"
PUBLIC_FIELDS = ("kind", "title", "body", "created_at", "read", "analysis_id", "alert_id")
READ_ALL_BATCH = 200


def public(doc: Document) -> dict[str, Any]:
    """What the API shows of a notification document."""
    view: dict[str, Any] = {"id": doc.get("_id") or doc.get("event_id")}
    view.update({key: doc[key] for key in PUBLIC_FIELDS if doc.get(key) is not None})
    view["read"] = bool(doc.get("read"))
    return view


def bump(store: DocumentStore, user_id: str, created_at: str) -> None:
    """One more unread notification for the user (called once per created notification)."""

    def change(current: Document | None) -> Document:
        inbox = dict(current or {})
        inbox["user_id"] = user_id
        inbox["unread"] = int(inbox.get("unread") or 0) + 1
        inbox["latest_at"] = max(str(inbox.get("latest_at") or ""), created_at)
        return inbox

    store.transact(INBOXES, user_id, change)


def unread(store: DocumentStore, user_id: str) -> int:
    doc = store.get(INBOXES, user_id)
    return max(0, int((doc or {}).get("unread") or 0))


def list_mine(store: DocumentStore, user_id: str, *, unread_only: bool = False,
              limit: int = 20) -> list[dict[str, Any]]:
    """The user's notifications, newest first."""
    filters: list[Any] = [("user_id", "==", user_id)]
    if unread_only:
        filters.append(("read", "==", False))
    docs = store.query(COLLECTION, filters, order_by="created_at", descending=True, limit=limit)
    return [public(doc) for doc in docs]


def since(store: DocumentStore, user_id: str, created_at: str,
          limit: int = 50) -> list[dict[str, Any]]:
    """The user's notifications created at or after ``created_at``, oldest first."""
    docs = store.query(COLLECTION, [("user_id", "==", user_id), ("created_at", ">=", created_at)],
                       order_by="created_at", descending=True, limit=limit)
    return [public(doc) for doc in reversed(docs)]


def owned(store: DocumentStore, user_id: str, notification_id: str) -> Document:
    """The notification if it is this user's; ``NotFound`` otherwise (no hint it exists)."""
    doc = store.get(COLLECTION, notification_id)
    if doc is None or doc.get("user_id") != user_id:
        raise NotFound(f"notification {notification_id} does not exist")
    return {**doc, "_id": notification_id}


def _flip(store: DocumentStore, notification_id: str) -> bool:
    """Mark one notification read; True only if this call changed it from unread."""
    flipped = False

    def change(current: Document | None) -> Document | None:
        nonlocal flipped  # set on every attempt: the committed attempt's value wins
        flipped = current is not None and not current.get("read")
        if not flipped:
            return None
        return {**current, "read": True, "read_at": iso(utcnow())}  # type: ignore[dict-item]

    store.transact(COLLECTION, notification_id, change)
    return flipped


def _decrement(store: DocumentStore, user_id: str, count: int) -> int:
    def change(current: Document | None) -> Document | None:
        if current is None:
            return None
        return {**current, "unread": max(0, int(current.get("unread") or 0) - count)}

    after = store.transact(INBOXES, user_id, change) if count else store.get(INBOXES, user_id)
    return max(0, int((after or {}).get("unread") or 0))


def mark_read(store: DocumentStore, user_id: str, notification_id: str) -> tuple[Document, int]:
    """Mark the user's notification read; returns it and the unread count after."""
    doc = owned(store, user_id, notification_id)
    count = _decrement(store, user_id, 1 if _flip(store, notification_id) else 0)
    return {**doc, "read": True}, count


def mark_all_read(store: DocumentStore, user_id: str) -> tuple[int, int]:
    """Mark every unread notification of the user read; returns (marked now, unread after)."""
    marked = 0
    for _ in range(50):  # bounded: 50 batches of 200
        batch = store.query(COLLECTION, [("user_id", "==", user_id), ("read", "==", False)],
                            limit=READ_ALL_BATCH)
        if not batch:
            break
        marked += sum(_flip(store, doc["_id"]) for doc in batch)
    return marked, _decrement(store, user_id, marked)
