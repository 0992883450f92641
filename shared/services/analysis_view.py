"""``analyses_public/{id}``: the part of an analysis a browser may read (decision 0076).

The analysis document holds what only the server may see (``chat_id``, ``moderation``,
``deadline_at``, delivery flags). Its public view holds ``Analysis.public()`` and the owner's
``user_id`` (the security rules compare it with ``request.auth.uid``), and exists only while
moderation has not hidden the analysis. Every writer of an analysis calls ``sync`` with the
document it left behind; ``sync`` is idempotent, and a view never goes back to an older
``updated_at`` than it shows, so two racing writers cannot leave a stale state visible.
"""

from __future__ import annotations

from typing import Any

from shared.models import Analysis
from shared.ports import Document, DocumentStore

VIEWS = "analyses_public"


def project(doc: Document) -> dict[str, Any] | None:
    """The public view of an analysis document, or None when moderation hides it."""
    if (doc.get("moderation") or {}).get("hidden"):
        return None
    analysis = Analysis.model_validate(doc)
    return {**analysis.public(), "user_id": analysis.user_id}


def sync(store: DocumentStore, doc: Document | None) -> None:
    """Bring the view in line with ``doc`` (the analysis document as written)."""
    if doc is None:
        return
    analysis_id = str(doc.get("_id") or doc["id"])
    view = project(doc)
    if view is None:
        store.delete(VIEWS, analysis_id)
        return

    def change(current: Document | None) -> Document | None:
        if current is not None and str(current.get("updated_at", "")) > view["updated_at"]:
            return None  # a later state is already shown
        return view

    store.transact(VIEWS, analysis_id, change)
