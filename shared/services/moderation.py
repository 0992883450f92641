"""Moderation: ban and unban users, flag or hide analyses; every action is logged.

The log is the collection ``moderation_log`` (one document per action, never changed). An
analysis's moderation state is the ``moderation`` field of its document (the pipeline's
writes keep fields they do not know). Moderators cannot act on admins or other moderators:
the same rule holds for users (ban) and for their analyses (flag, hide, cancel).
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from shared.errors import Forbidden, NotFound
from shared.models import Role, User, iso, utcnow
from shared.ports import Document, DocumentStore
from shared.services import analysis_view, users

LOG = "moderation_log"
ANALYSES = "analyses"
Action = Literal["ban", "unban", "flag", "unflag", "hide", "unhide", "cancel", "role",
                 "moderator", "quota", "flags", "sources", "message", "retry", "replay"]


def record(store: DocumentStore, actor: User, action: Action, target: str,
           reason: str | None = None, **details: Any) -> Document:
    now = utcnow()
    entry_id = uuid.uuid4().hex
    entry: Document = {"id": entry_id, "at": iso(now), "actor_id": actor.id,
             "actor_role": actor.role.value, "action": action, "target": target,
             "reason": reason, "details": details}
    store.create(LOG, entry_id, entry)
    return entry


def recent(store: DocumentStore, limit: int = 50, target: str | None = None) -> list[Document]:
    filters = [("target", "==", target)] if target else []
    docs = store.query(LOG, filters, order_by="at", descending=True,  # type: ignore[arg-type]
                       limit=limit)
    return [{k: v for k, v in d.items() if k != "_id"} for d in docs]


def _check_may_act(actor: User, target: User) -> None:
    if actor.id == target.id:
        raise Forbidden("you cannot moderate yourself")
    if actor.role is not Role.admin and (target.role is Role.admin or target.moderator):
        raise Forbidden("only an admin can act on an admin or a moderator")


def check_may_act_on_owner(store: DocumentStore, actor: User, owner_id: str) -> None:
    """The may-act rule for an analysis, judged against the user who owns it: an admin may
    act on any analysis; a moderator not on an admin's, a moderator's or their own."""
    if actor.role is Role.admin:
        return
    try:
        owner = users.load_user(store, owner_id)
    except NotFound:
        raise Forbidden("only an admin can act on an analysis without a known owner") from None
    _check_may_act(actor, owner)


def set_banned(store: DocumentStore, actor: User, user_id: str, banned: bool,
               reason: str | None) -> User:
    target = users.load_user(store, user_id)
    _check_may_act(actor, target)
    fields: dict[str, Any] = {"banned": banned, "banned_reason": reason if banned else None,
                              "banned_at": iso(utcnow()) if banned else None}
    changed = users.change_user(store, user_id, **fields)
    record(store, actor, "ban" if banned else "unban", f"user:{user_id}", reason)
    return changed


def mark_analysis(store: DocumentStore, actor: User, analysis_id: str, action: Action,
                  reason: str | None) -> Document:
    """``flag``/``unflag``/``hide``/``unhide`` an analysis; returns its moderation state."""
    if not analysis_id.isalnum() or len(analysis_id) > 64:
        raise NotFound(f"analysis {analysis_id} does not exist")
    key, value = {"flag": ("flagged", True), "unflag": ("flagged", False),
                  "hide": ("hidden", True), "unhide": ("hidden", False)}[action]
    state: Document = {}
    found = store.get(ANALYSES, analysis_id)
    if found is None:
        raise NotFound(f"analysis {analysis_id} does not exist")
    check_may_act_on_owner(store, actor, str(found.get("user_id") or ""))

    def change(doc: Document | None) -> Document:
        if doc is None:
            raise NotFound(f"analysis {analysis_id} does not exist")
        state.update(doc.get("moderation") or {"flagged": False, "hidden": False})
        state.update({key: value, "reason": reason, "by": actor.id, "at": iso(utcnow())})
        return {**doc, "moderation": dict(state), "moderation_flagged": bool(state["flagged"]),
                "moderation_hidden": bool(state["hidden"])}

    analysis_view.sync(store, store.transact(ANALYSES, analysis_id, change))
    record(store, actor, action, f"analysis:{analysis_id}", reason)
    return state


def _analysis_view(doc: Document) -> Document:
    return {"id": doc["_id"], "user_id": doc.get("user_id"), "symbol": doc.get("symbol"),
            "timeframe": doc.get("timeframe"), "created_at": doc.get("created_at"),
            "moderation": doc.get("moderation")}


def flagged_analyses(store: DocumentStore, limit: int = 50) -> list[Document]:
    docs = store.query(ANALYSES, [("moderation_flagged", "==", True)], limit=limit)
    return [_analysis_view(d) for d in docs]


def hidden_analyses(store: DocumentStore, limit: int = 50) -> list[Document]:
    """Analyses hidden from their owners (the top-level ``moderation_hidden`` copy makes
    them queryable: Firestore's emulator cannot filter on nested fields)."""
    docs = store.query(ANALYSES, [("moderation_hidden", "==", True)], limit=limit)
    return [_analysis_view(d) for d in docs]


def banned_users(store: DocumentStore, limit: int = 100) -> list[Document]:
    docs = store.query(users.COLLECTION, [("banned", "==", True)], limit=limit)
    keys = ("id", "username", "first_name", "role", "banned_at", "banned_reason")
    return [{k: d.get(k) for k in keys} for d in docs]
