"""``/api/admin``: users, limits, usage and cost, tasks, market sources, feature flags.

Admins only (403 for every other role)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from pydantic import BaseModel, ConfigDict, Field

from shared.api.requests import body, cached_limits, query, require_admin
from shared.api.routes import CREATED, ID, ITEMS, USER_ID, route
from shared.bootstrap import container
from shared.errors import NotFound
from shared.models import Role
from shared.services import admin, quotas, users

bp = Blueprint("admin", __name__)


class UserQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(default=None, max_length=64)
    role: Role | None = None
    limit: int = Field(default=50, ge=1, le=200)


class UsageQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(default=7, ge=1, le=31)


class TaskQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    failed: bool = False
    limit: int = Field(default=50, ge=1, le=200)


@route(bp, "GET", "/api/admin/users", "Search users", role="admin",
       query=UserQuery, response=ITEMS)
def search_users() -> Response:
    require_admin()
    wanted = query(UserQuery)
    found = admin.search_users(container().store, wanted.q, wanted.role, wanted.limit)
    return jsonify({"items": [u.model_dump(mode="json") for u in found]})


@route(bp, "GET", "/api/admin/users/<user_id>", "One user", role="admin",
       params={"user_id": USER_ID})
def read_user(user_id: str) -> Response:
    require_admin()
    store = container().store
    user = users.load_user(store, user_id)
    return jsonify({"user": user.model_dump(mode="json"),
                    "used_today": quotas.used_today(store, user.id)})


@route(bp, "PATCH", "/api/admin/users/<user_id>", "Change role, quota, ban, moderator",
       role="admin", body=admin.UserChange, params={"user_id": USER_ID})
def change_user(user_id: str) -> Response:
    actor = require_admin()
    wanted = body(admin.UserChange)
    user = admin.change_user(container().store, actor, user_id, wanted)
    return jsonify(user.model_dump(mode="json"))


@route(bp, "GET", "/api/admin/limits", "Per-role limits", role="admin")
def read_limits() -> Response:
    require_admin()
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
    require_admin()
    return jsonify(admin.usage(container().store, query(UsageQuery).days))


@route(bp, "GET", "/api/admin/tasks", "Recent or failed analyses, and scans", role="admin",
       query=TaskQuery)
def tasks() -> Response:
    require_admin()
    wanted = query(TaskQuery)
    return jsonify(admin.tasks(container().store, wanted.failed, wanted.limit))


@route(bp, "POST", "/api/admin/tasks/<analysis_id>/retry", "Retry a failed analysis",
       role="admin", params={"analysis_id": ID}, status=202, response=CREATED)
def retry(analysis_id: str) -> tuple[Response, int]:
    require_admin()
    if not analysis_id.isalnum() or len(analysis_id) > 64:
        raise NotFound(f"analysis {analysis_id} does not exist")
    ports = container()
    created = admin.retry(ports.store, ports.bus, analysis_id,
                          ports.settings.analysis_deadline_seconds)
    return jsonify({"id": created.id, "status": created.status.value}), 202


@route(bp, "GET", "/api/admin/market-sources", "Market source order", role="admin")
def read_sources() -> Response:
    require_admin()
    names = container().settings.market_chain
    default = {"sources": [{"name": n, "enabled": True} for n in names]}
    return jsonify(admin.get_settings(container().store, "market_sources", default))


@route(bp, "PUT", "/api/admin/market-sources", "Set market source order and enabled",
       role="admin", body=admin.MarketSources)
def write_sources() -> Response:
    actor = require_admin()
    wanted = body(admin.MarketSources)
    return jsonify(admin.put_settings(container().store, "market_sources", wanted, actor))


@route(bp, "GET", "/api/admin/features", "Feature flags", role="admin")
def read_features() -> Response:
    require_admin()
    return jsonify(admin.get_settings(container().store, "features", {"flags": {}}))


@route(bp, "PUT", "/api/admin/features", "Set feature flags", role="admin",
       body=admin.Features)
def write_features() -> Response:
    actor = require_admin()
    wanted = body(admin.Features)
    return jsonify(admin.put_settings(container().store, "features", wanted, actor))
