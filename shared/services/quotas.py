"""Per-role limits and the daily analysis quota, enforced atomically.

The limits live in the settings document ``settings/limits`` (admins edit it through the API);
without it the defaults below apply. A user's ``daily_quota`` overrides their role's.

The quota is a counter document ``usage/{user_id}:{YYYY-MM-DD}`` (UTC day) changed only in a
store transaction: read the count, refuse at the limit, otherwise add one. Concurrent
requests therefore cannot overspend it; the API and the Telegram bot share it because both go
through ``request_analysis``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import ConfigDict, Field

from shared.basemodel import Model
from shared.errors import RateLimited
from shared.models import Role, User, iso, utcnow
from shared.ports import Document, DocumentStore

SETTINGS = "settings"
LIMITS_ID = "limits"
USAGE = "usage"


class RoleLimits(Model):
    model_config = ConfigDict(extra="forbid")

    daily_analyses: int | None = Field(default=5, ge=0, le=100_000,
                                       description="null means no daily limit")
    requests_per_minute: int = Field(default=600, ge=1, le=100_000)
    watch_items: int = Field(default=10, ge=0, le=10_000)


class Limits(Model):
    model_config = ConfigDict(extra="forbid")

    user: RoleLimits = RoleLimits(daily_analyses=5, requests_per_minute=600, watch_items=10)
    premium: RoleLimits = RoleLimits(daily_analyses=30, requests_per_minute=1200, watch_items=30)
    vip: RoleLimits = RoleLimits(daily_analyses=100, requests_per_minute=3000, watch_items=100)
    admin: RoleLimits = RoleLimits(daily_analyses=None, requests_per_minute=6000,
                                   watch_items=200)

    def of(self, role: Role) -> RoleLimits:
        limits: RoleLimits = getattr(self, role.value)
        return limits


def load_limits(store: DocumentStore) -> Limits:
    doc = store.get(SETTINGS, LIMITS_ID)
    if doc is None:
        return Limits()
    return Limits.model_validate({k: v for k, v in doc.items() if k in Limits.model_fields})


def save_limits(store: DocumentStore, limits: Limits, actor: str) -> Limits:
    store.set(SETTINGS, LIMITS_ID,
              {**limits.model_dump(mode="json"), "updated_by": actor, "updated_at": iso(utcnow())})
    return limits


def daily_limit(limits: Limits, user: User) -> int | None:
    return user.daily_quota if user.daily_quota is not None else limits.of(user.role).daily_analyses


def day_key(now: datetime) -> str:
    return now.date().isoformat()


def seconds_to_next_day(now: datetime) -> float:
    tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    return max(1.0, (tomorrow - now).total_seconds())


def consume(store: DocumentStore, user_id: str, limit: int | None,
            now: datetime | None = None) -> str:
    """Count one analysis for today; raises ``RateLimited`` when ``limit`` is reached.

    Returns the usage document id (give it to ``refund`` if the analysis is not created)."""
    now = now or utcnow()
    usage_id = f"{user_id}:{day_key(now)}"

    def change(doc: Document | None) -> Document:
        used = int((doc or {}).get("analyses", 0))
        if limit is not None and used >= limit:
            raise RateLimited(
                f"the daily limit of {limit} analyses is used up; it resets at 00:00 UTC",
                retry_after=seconds_to_next_day(now),
                details={"limit": limit, "used": used, "resets": "00:00 UTC"},
            )
        return {"user_id": user_id, "day": day_key(now), "analyses": used + 1,
                "updated_at": iso(now)}

    store.transact(USAGE, usage_id, change)
    return usage_id


def refund(store: DocumentStore, usage_id: str) -> None:
    def change(doc: Document | None) -> Document | None:
        if doc is None or int(doc.get("analyses", 0)) <= 0:
            return None
        return {**doc, "analyses": int(doc["analyses"]) - 1}

    store.transact(USAGE, usage_id, change)


def charge_analysis(store: DocumentStore, user_id: str, now: datetime | None = None) -> str:
    """Consume one of this user's analyses for today under their role's (or own) limit."""
    doc = store.get("users", user_id)
    limits = load_limits(store)
    if doc is None:
        limit = limits.user.daily_analyses
    else:
        limit = daily_limit(limits, User.model_validate(doc))
    return consume(store, user_id, limit, now)


def used_today(store: DocumentStore, user_id: str, now: datetime | None = None) -> int:
    doc = store.get(USAGE, f"{user_id}:{day_key(now or utcnow())}")
    return int(doc.get("analyses", 0)) if doc else 0


def standing(store: DocumentStore, user: User, now: datetime | None = None) -> dict[str, Any]:
    """The user's plan (their role's limits, with their own quota override) and today's
    analysis quota: ``limit`` and ``remaining`` are None when there is no daily limit."""
    now = now or utcnow()
    limits = load_limits(store)
    role = limits.of(user.role)
    limit = daily_limit(limits, user)
    used = used_today(store, user.id, now)
    tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    return {
        "plan": {"name": user.role.value, "daily_analyses": limit,
                 "watch_items": role.watch_items,
                 "requests_per_minute": role.requests_per_minute},
        "quota": {"used": used, "limit": limit,
                  "remaining": None if limit is None else max(0, limit - used),
                  "resets_at": iso(tomorrow)},
    }
