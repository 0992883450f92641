"""``/api/admin``: users, limits, usage and cost, market sources, feature flags.

Admins only (403 for every other role); ``admin_gate`` also honours FEATURE_ADMIN_PANEL.
System health, tasks, dead letters and messages are in ``admin_ops_routes``."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from pydantic import ConfigDict, Field

from shared.api.admin_gate import admin_gate
from shared.api.requests import body, cached_limits, query, require_admin
from shared.api.routes import USER_ID, route
from shared.basemodel import Model
from shared.bootstrap import container
from shared.models import Role, utcnow
from shared.services import (
    admin,
    features,
    moderation,
    quotas,
    source_admin,
    user_admin,
    users,
)

bp = Blueprint("admin", __name__)
bp.before_request(admin_gate)
PAGE = {"type": "object", "required": ["items", "next"],
        "properties": {"items": {"type": "array"}, "next": {"type": ["string", "null"]}}}


class UserQuery(Model):
    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(default=None, max_length=64)
    role: Role | None = None
    banned: bool | None = None
    before: str | None = Field(default=None, max_length=40,
                               pattern=r"^[0-9T:.\-+Z]{10,40}$",
                               description="the `next` of the previous page")
    limit: int = Field(default=50, ge=1, le=200)


class UsageQuery(Model):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(default=7, ge=1, le=31)


@route(bp, "GET", "/api/admin/users", "Search and page users (role, plan, use today, cost, "
       "last seen, ban)", role="admin", query=UserQuery, response=PAGE)
def search_users() -> Response:
    wanted = query(UserQuery)
    return jsonify(user_admin.page(container().store, text=wanted.q, role=wanted.role,
                                   banned=wanted.banned, before=wanted.before,
                                   limit=wanted.limit))


@route(bp, "GET", "/api/admin/users/<user_id>", "One user", role="admin",
       params={"user_id": USER_ID})
def read_user(user_id: str) -> Response:
    store = container().store
    user = users.load_user(store, user_id)
    seen = user_admin.enrich(store, user, quotas.load_limits(store), utcnow())
    return jsonify({"user": user.model_dump(mode="json"), **seen})


@route(bp, "PATCH", "/api/admin/users/<user_id>", "Change role, quota, ban, moderator",
       role="admin", body=admin.UserChange, params={"user_id": USER_ID})
def change_user(user_id: str) -> Response:
    actor = require_admin()
    wanted = body(admin.UserChange)
    user = admin.change_user(container().store, actor, user_id, wanted)
    return jsonify(user.model_dump(mode="json"))


@route(bp, "GET", "/api/admin/limits", "Per-role limits", role="admin")
def read_limits() -> Response:
    return jsonify(quotas.load_limits(container().store).model_dump(mode="json"))


@route(bp, "PUT", "/api/admin/limits", "Set per-role limits", role="admin",
       body=quotas.Limits)
def write_limits() -> Response:
    actor = require_admin()
    limits = quotas.save_limits(container().store, body(quotas.Limits), actor.id)
    cached_limits().forget()  # this instance applies it now; others within the cache's ttl
    return jsonify(limits.model_dump(mode="json"))


@route(bp, "GET", "/api/admin/usage", "Usage and LLM cost", role="admin",
       query=UsageQuery)
def usage() -> Response:
    return jsonify(admin.usage(container().store, query(UsageQuery).days))


@route(bp, "GET", "/api/admin/market-sources", "Market sources: order, enabled, breaker, "
       "last error, latency p50, success rate, ban", role="admin")
def read_sources() -> Response:
    ports = container()
    return jsonify(source_admin.view(ports.store, ports.settings.market_chain))


@route(bp, "PUT", "/api/admin/market-sources", "Set market source order and enabled (the "
       "next analysis uses it)", role="admin", body=admin.MarketSources)
def write_sources() -> Response:
    actor = require_admin()
    wanted = body(admin.MarketSources)
    ports = container()
    admin.put_settings(ports.store, "market_sources", wanted, actor)
    moderation.record(ports.store, actor, "sources", "settings:market_sources", None,
                      sources=[s.model_dump() for s in wanted.sources])
    return jsonify(source_admin.view(ports.store, ports.settings.market_chain))


@route(bp, "GET", "/api/admin/features", "Feature flags, each with its value and origin",
       role="admin")
def read_features() -> Response:
    return jsonify({"flags": features.listing(container().store)})


@route(bp, "PUT", "/api/admin/features", "Set feature flags (known flags only)",
       role="admin", body=admin.Features)
def write_features() -> Response:
    actor = require_admin()
    return jsonify(admin.set_features(container().store, body(admin.Features), actor))
