"""Admin use cases: change users, usage and cost, market sources, flags (users pages:
``user_admin``; tasks: ``tasks``; health: ``system_health``).

Settings documents other parts read: ``settings/market_sources`` (the market-data chain:
``sources`` in order, each ``{"name", "enabled"}``) and ``settings/features`` (``flags``:
``FEATURE_*`` → bool; ``features.enabled`` reads it, falling back to the environment and then
to the flag's default; ``shared/services/features.py`` lists the flags and their readers).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.basemodel import Model
from shared.errors import InvalidInput
from shared.models import Role, User, iso, utcnow
from shared.ports import Document, DocumentStore
from shared.services import analyses, features, moderation, quotas, users

SETTINGS = "settings"
_SOURCE = r"^[a-z0-9_]{1,32}$"
_FLAG = r"^FEATURE_[A-Z0-9_]{1,40}$"


class UserChange(Model):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    daily_quota: int | None = Field(default=None, ge=-1, le=100_000,
                                    description="-1 clears the override")
    banned: bool | None = None
    moderator: bool | None = None
    reason: str | None = Field(default=None, max_length=500)


class MarketSource(Model):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=_SOURCE)
    enabled: bool = True


class MarketSources(Model):
    model_config = ConfigDict(extra="forbid")

    sources: list[MarketSource] = Field(min_length=1, max_length=20)

    @field_validator("sources")
    @classmethod
    def _unique(cls, value: list[MarketSource]) -> list[MarketSource]:
        names = [s.name for s in value]
        if len(set(names)) != len(names):
            raise ValueError("each source may appear once")
        return value


class Features(Model):
    model_config = ConfigDict(extra="forbid")

    flags: dict[str, bool] = Field(max_length=100, json_schema_extra=lambda schema: schema.update(
        propertyNames={"enum": list(features.FLAGS)}))

    @field_validator("flags")
    @classmethod
    def _names(cls, value: dict[str, bool]) -> dict[str, bool]:
        import re

        bad = [k for k in value if not re.match(_FLAG, k)]
        if bad:
            raise ValueError(f"flag names must look like FEATURE_NAME: {bad[0]!r}")
        unknown = [k for k in value if k not in features.FLAGS]
        if unknown:
            raise ValueError(f"no code reads {unknown[0]}; known flags: "
                             f"{', '.join(features.FLAGS)}")
        return value


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
        moderation.record(store, actor, "moderator", f"user:{user_id}", wanted.reason,
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


def get_settings(store: DocumentStore, doc_id: str, default: Document) -> Document:
    doc = store.get(SETTINGS, doc_id)
    return {k: v for k, v in (doc or default).items() if k != "_id"}


def put_settings(store: DocumentStore, doc_id: str, value: BaseModel, actor: User) -> Document:
    doc = {**value.model_dump(mode="json"), "updated_by": actor.id, "updated_at": iso(utcnow())}
    store.set(SETTINGS, doc_id, doc)
    return doc


def feature_enabled(store: DocumentStore, name: str) -> bool:
    """A ``FEATURE_*`` flag (``features.enabled``)."""
    return features.enabled(store, name)


def set_features(store: DocumentStore, wanted: Features, actor: User) -> Document:
    """Set the given flags (others keep their values); returns every flag."""
    current = (store.get(SETTINGS, features.DOC) or {}).get("flags") or {}
    flags = {**current, **wanted.flags}
    store.set(SETTINGS, features.DOC, {"flags": flags, "updated_by": actor.id,
                                       "updated_at": iso(utcnow())})
    moderation.record(store, actor, "flags", "settings:features", None, flags=wanted.flags)
    return {"flags": features.listing(store)}
