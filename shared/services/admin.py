"""Admin use cases: find and change users, usage and cost, tasks, market sources, flags.

Settings documents other parts read: ``settings/market_sources`` (the market-data chain:
``sources`` in order, each ``{"name", "enabled"}``) and ``settings/features`` (``flags``:
``FEATURE_*`` → bool; ``feature_enabled`` reads it, falling back to the environment).
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.errors import Conflict, InvalidInput
from shared.models import Analysis, Role, Status, User, iso, utcnow
from shared.ports import Bus, Document, DocumentStore
from shared.services import analyses, moderation, quotas, users
from shared.services.request_analysis import request_analysis

SETTINGS = "settings"
_SOURCE = r"^[a-z0-9_]{1,32}$"
_FLAG = r"^FEATURE_[A-Z0-9_]{1,40}$"


class UserChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    daily_quota: int | None = Field(default=None, ge=-1, le=100_000,
                                    description="-1 clears the override")
    banned: bool | None = None
    moderator: bool | None = None
    reason: str | None = Field(default=None, max_length=500)


class MarketSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=_SOURCE)
    enabled: bool = True


class MarketSources(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[MarketSource] = Field(min_length=1, max_length=20)

    @field_validator("sources")
    @classmethod
    def _unique(cls, value: list[MarketSource]) -> list[MarketSource]:
        names = [s.name for s in value]
        if len(set(names)) != len(names):
            raise ValueError("each source may appear once")
        return value


class Features(BaseModel):
    model_config = ConfigDict(extra="forbid")

    flags: dict[str, bool] = Field(max_length=100)

    @field_validator("flags")
    @classmethod
    def _names(cls, value: dict[str, bool]) -> dict[str, bool]:
        import re

        bad = [k for k in value if not re.match(_FLAG, k)]
        if bad:
            raise ValueError(f"flag names must look like FEATURE_NAME: {bad[0]!r}")
        return value


def search_users(store: DocumentStore, text: str | None, role: Role | None,
                 limit: int) -> list[User]:
    filters = [("role", "==", role.value)] if role else []
    docs = store.query(users.COLLECTION, filters, limit=5000)  # type: ignore[arg-type]
    needle = (text or "").lower().lstrip("@")
    found = []
    for doc in docs:
        haystack = " ".join(str(doc.get(k) or "") for k in ("id", "username", "first_name"))
        if needle in haystack.lower():
            found.append(User.model_validate(doc))
    found.sort(key=lambda u: u.created_at, reverse=True)
    return found[:limit]


def change_user(store: DocumentStore, actor: User, user_id: str, wanted: UserChange) -> User:
    target = users.load_user(store, user_id)
    if target.id == actor.id and (wanted.role not in (None, Role.admin) or wanted.banned):
        raise InvalidInput("you cannot demote or ban yourself")
    if wanted.banned is not None:
        moderation.set_banned(store, actor, user_id, wanted.banned, wanted.reason)
    fields: dict[str, Any] = {}
    if wanted.role is not None:
        fields["role"] = wanted.role.value
        moderation.record(store, actor, "role", f"user:{user_id}", wanted.reason,
                          role=wanted.role.value)
    if wanted.moderator is not None:
        fields["moderator"] = wanted.moderator
        moderation.record(store, actor, "role", f"user:{user_id}", wanted.reason,
                          moderator=wanted.moderator)
    if wanted.daily_quota is not None:
        fields["daily_quota"] = None if wanted.daily_quota < 0 else wanted.daily_quota
        moderation.record(store, actor, "quota", f"user:{user_id}", wanted.reason,
                          daily_quota=fields["daily_quota"])
    return users.change_user(store, user_id, **fields) if fields else users.load_user(
        store, user_id)


def usage(store: DocumentStore, days: int) -> dict[str, Any]:
    """Analyses requested per day (quota counters) and LLM usage (``result.usage``)."""
    today = utcnow().date()
    per_day = {}
    for back in range(days):
        day = (today - timedelta(days=back)).isoformat()
        docs = store.query(quotas.USAGE, [("day", "==", day)], limit=10_000)
        per_day[day] = {"analyses": sum(int(d.get("analyses", 0)) for d in docs),
                        "users": len(docs)}
    since = iso(utcnow() - timedelta(days=days))
    recent = store.query(analyses.COLLECTION, [("created_at", ">=", since)], limit=10_000)
    statuses = Counter(str(d.get("status")) for d in recent)
    llm = [((d.get("result") or {}).get("usage") or {}) for d in recent]
    return {
        "days": per_day,
        "analyses_by_status": dict(statuses),
        "llm": {"input_tokens": sum(int(x.get("input_tokens", 0)) for x in llm),
                "output_tokens": sum(int(x.get("output_tokens", 0)) for x in llm),
                "cost_usd": round(sum(float(x.get("cost_usd", 0.0)) for x in llm), 6)},
        "sampled_analyses": len(recent),
    }


def tasks(store: DocumentStore, failed_only: bool, limit: int) -> dict[str, list[Document]]:
    filters = [("status", "==", Status.failed.value)] if failed_only else []
    docs = store.query(analyses.COLLECTION, filters,  # type: ignore[arg-type]
                       order_by="created_at", descending=True, limit=limit)
    keys = ("status", "user_id", "symbol", "timeframe", "created_at", "error")
    found = [{"id": d["_id"], **{k: d.get(k) for k in keys}} for d in docs]
    scans = store.query("scans", [], limit=limit)
    return {"analyses": found, "scans": [{"id": s["_id"], **{k: v for k, v in s.items()
                                                           if k != "_id"}} for s in scans]}


def retry(store: DocumentStore, bus: Bus, analysis_id: str, deadline_seconds: int) -> Analysis:
    """A failed analysis asked again, as a new analysis for the same user (no quota)."""
    old = analyses.load(store, analysis_id)
    if old.status is not Status.failed:
        raise Conflict("only a failed analysis can be retried")
    created, _ = request_analysis(store, bus, user_id=old.user_id, symbol=old.symbol,
                                  timeframe=old.timeframe, language=old.language.value,
                                  deadline_seconds=deadline_seconds, chat_id=old.chat_id,
                                  enforce_quota=False)
    return created


def get_settings(store: DocumentStore, doc_id: str, default: Document) -> Document:
    doc = store.get(SETTINGS, doc_id)
    return {k: v for k, v in (doc or default).items() if k != "_id"}


def put_settings(store: DocumentStore, doc_id: str, value: BaseModel, actor: User) -> Document:
    doc = {**value.model_dump(mode="json"), "updated_by": actor.id, "updated_at": iso(utcnow())}
    store.set(SETTINGS, doc_id, doc)
    return doc


def feature_enabled(store: DocumentStore, name: str) -> bool:
    """A ``FEATURE_*`` flag: the admin setting if present, else the environment variable."""
    doc = store.get(SETTINGS, "features") or {}
    flags = doc.get("flags") or {}
    if name in flags:
        return bool(flags[name])
    return os.environ.get(name, "").lower() in ("1", "true", "yes", "on")
