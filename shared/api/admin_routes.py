"""``/api/admin``: users, limits, usage and cost, tasks, market sources, feature flags.

Admins only (403 for every other role)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from pydantic import BaseModel, ConfigDict, Field

from shared.api.requests import body, cached_limits, query, require_admin
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


@bp.get("/api/admin/users")
def search_users() -> Response:
    require_admin()
    wanted = query(UserQuery)
    found = admin.search_users(container().store, wanted.q, wanted.role, wanted.limit)
    return jsonify({"items": [u.model_dump(mode="json") for u in found]})


@bp.get("/api/admin/users/<user_id>")
def read_user(user_id: str) -> Response:
    require_admin()
    store = container().store
    user = users.load_user(store, user_id)
    return jsonify({"user": user.model_dump(mode="json"),
                    "used_today": quotas.used_today(store, user.id)})


@bp.patch("/api/admin/users/<user_id>")
def change_user(user_id: str) -> Response:
    actor = require_admin()
    wanted = body(admin.UserChange)
    user = admin.change_user(container().store, actor, user_id, wanted)
    return jsonify(user.model_dump(mode="json"))


@bp.get("/api/admin/limits")
def read_limits() -> Response:
    require_admin()
    return jsonify(quotas.load_limits(container().store).model_dump(mode="json"))


@bp.put("/api/admin/limits")
def write_limits() -> Response:
    actor = require_admin()
    limits = quotas.save_limits(container().store, body(quotas.Limits), actor.id)
    cached_limits().forget()  # this instance applies it now; others within the cache's ttl
    return jsonify(limits.model_dump(mode="json"))


@bp.get("/api/admin/usage")
def usage() -> Response:
    require_admin()
    return jsonify(admin.usage(container().store, query(UsageQuery).days))


@bp.get("/api/admin/tasks")
def tasks() -> Response:
    require_admin()
    wanted = query(TaskQuery)
    return jsonify(admin.tasks(container().store, wanted.failed, wanted.limit))


@bp.post("/api/admin/tasks/<analysis_id>/retry")
def retry(analysis_id: str) -> tuple[Response, int]:
    require_admin()
    if not analysis_id.isalnum() or len(analysis_id) > 64:
        raise NotFound(f"analysis {analysis_id} does not exist")
    ports = container()
    created = admin.retry(ports.store, ports.bus, analysis_id,
                          ports.settings.analysis_deadline_seconds)
    return jsonify({"id": created.id, "status": created.status.value}), 202


@bp.get("/api/admin/market-sources")
def read_sources() -> Response:
    require_admin()
    names = container().settings.market_chain
    default = {"sources": [{"name": n, "enabled": True} for n in names]}
    return jsonify(admin.get_settings(container().store, "market_sources", default))


@bp.put("/api/admin/market-sources")
def write_sources() -> Response:
    actor = require_admin()
    wanted = body(admin.MarketSources)
    return jsonify(admin.put_settings(container().store, "market_sources", wanted, actor))


@bp.get("/api/admin/features")
def read_features() -> Response:
    require_admin()
    return jsonify(admin.get_settings(container().store, "features", {"flags": {}}))


@bp.put("/api/admin/features")
def write_features() -> Response:
    actor = require_admin()
    wanted = body(admin.Features)
    return jsonify(admin.put_settings(container().store, "features", wanted, actor))
