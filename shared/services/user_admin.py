"""Users as an admin sees them: search, pages, and each one's use today.

Paging needs no cursor support (the Firestore emulator ignores cursors and offsets): a page
is the newest users created before the last one shown, ``created_at <`` as a filter, which
both stores honour. A text query matches the id exactly or a name (username or first name)
by substring over the newest ``SCAN`` users; Firestore has no substring search, so a larger
user base would need a search index (decision 0091).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.llm.pricing import usage_of
from shared.models import Role, User, utcnow
from shared.ports import Document, DocumentStore
from shared.services import quotas, users

SCAN = 5000


def enrich(store: DocumentStore, user: User, limits: quotas.Limits,
           now: datetime) -> dict[str, Any]:
    """The user with today's quota use, LLM cost, and their limit."""
    day = quotas.day_key(now)
    spent = usage_of(store, user.id, day) or {}
    return {**user.model_dump(mode="json"),
            "used_today": quotas.used_today(store, user.id, now),
            "daily_limit": quotas.daily_limit(limits, user),
            "cost_today_usd": round(float(spent.get("cost_usd", 0.0)), 6),
            "tokens_today": int(spent.get("input_tokens", 0)) + int(spent.get("output_tokens", 0))}


def _matches(doc: Document, needle: str) -> bool:
    names = " ".join(str(doc.get(k) or "") for k in ("username", "first_name")).lower()
    return needle in names or str(doc.get("id")) == needle


def page(store: DocumentStore, *, text: str | None, role: Role | None, banned: bool | None,
         before: str | None, limit: int, now: datetime | None = None) -> dict[str, Any]:
    """One page of users, newest first; ``next`` is the ``before`` of the following page."""
    now = now or utcnow()
    filters: list[Any] = []
    if role is not None:
        filters.append(("role", "==", role.value))
    if banned is not None and role is None:  # one equality per index (infra/modules/firestore)
        filters.append(("banned", "==", banned))
    if before:
        filters.append(("created_at", "<", before))
    needle = (text or "").strip().lower().lstrip("@")
    if needle:
        exact = store.get(users.COLLECTION, needle) if needle.isdigit() else None
        docs = store.query(users.COLLECTION, filters, order_by="created_at", descending=True,
                           limit=SCAN)
        found = [d for d in docs if _matches(d, needle)]
        if exact is not None and all(d.get("id") != needle for d in found) and not before:
            found.insert(0, exact)
    else:
        found = store.query(users.COLLECTION, filters, order_by="created_at", descending=True,
                            limit=limit + 1)
    if banned is not None and role is not None:
        found = [d for d in found if bool(d.get("banned")) is banned]
    shown = found[:limit]
    limits = quotas.load_limits(store)
    items = [enrich(store, User.model_validate(d), limits, now) for d in shown]
    more = len(found) > limit
    return {"items": items, "next": str(shown[-1]["created_at"]) if more and shown else None}
