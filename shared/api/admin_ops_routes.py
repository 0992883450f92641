"""``/api/admin``: system health, the task monitor (analyses, retries, dead letters and
their replay, scans) and admin messages. Admins only, behind ``admin_gate``."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from pydantic import ConfigDict, Field

from shared.api.admin_gate import admin_gate
from shared.api.requests import body, query, require_admin
from shared.api.routes import CREATED, ID, ITEMS, route
from shared.basemodel import Model
from shared.bootstrap import container
from shared.errors import NotFound
from shared.services import dead_letters, messages, moderation, source_admin, system_health
from shared.services import tasks as task_service

bp = Blueprint("admin_ops", __name__)
bp.before_request(admin_gate)
DEAD_ID = {"type": "string", "maxLength": 300}


class TaskQuery(Model):
    model_config = ConfigDict(extra="forbid")

    state: task_service.State = "all"
    symbol: str | None = Field(default=None, max_length=30,
                               pattern=r"^[A-Z0-9]{1,12}/[A-Z0-9]{1,12}$")
    limit: int = Field(default=50, ge=1, le=200)


class RetryMany(Model):
    model_config = ConfigDict(extra="forbid")

    ids: list[str] = Field(min_length=1, max_length=50)


class ListQuery(Model):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=50, ge=1, le=200)


@route(bp, "GET", "/api/admin/health", "System health: pipeline counts and times, LLM and "
       "Telegram today, rejected and dead-lettered messages, market sources", role="admin")
def health() -> Response:
    """Pipeline counts and times, LLM and Telegram today, problems, market sources."""
    ports = container()
    summary = system_health.summary(ports.store)
    summary["market_sources"] = source_admin.view(ports.store,
                                                  ports.settings.market_chain)["sources"]
    summary["env"] = ports.settings.env
    return jsonify(summary)


@route(bp, "GET", "/api/admin/tasks", "Analyses by state (in progress, failed, timed out) "
       "and the scheduled scans", role="admin", query=TaskQuery)
def tasks() -> Response:
    wanted = query(TaskQuery)
    store = container().store
    return jsonify({
        "analyses": task_service.analyses_in(store, wanted.state, symbol=wanted.symbol,
                                             limit=wanted.limit),
        "scans": task_service.scans(store),
    })


def _check_id(analysis_id: str) -> None:
    if not analysis_id.isalnum() or len(analysis_id) > 64:
        raise NotFound(f"analysis {analysis_id} does not exist")


@route(bp, "POST", "/api/admin/tasks/<analysis_id>/retry", "Retry a failed analysis (a new "
       "attempt)", role="admin", params={"analysis_id": ID}, status=202, response=CREATED)
def retry(analysis_id: str) -> tuple[Response, int]:
    actor = require_admin()
    _check_id(analysis_id)
    ports = container()
    created = task_service.retry(ports.store, ports.bus, analysis_id,
                                 ports.settings.analysis_deadline_seconds)
    moderation.record(ports.store, actor, "retry", f"analysis:{analysis_id}", None,
                      retried_as=created.id)
    return jsonify({"id": created.id, "status": created.status.value,
                    "retry_of": created.retry_of, "attempt": created.attempt}), 202


@route(bp, "POST", "/api/admin/tasks/retry", "Retry several failed analyses", role="admin",
       body=RetryMany, response=ITEMS)
def retry_many() -> Response:
    actor = require_admin()
    ports = container()
    wanted = body(RetryMany)
    outcome = task_service.retry_many(ports.store, ports.bus, wanted.ids,
                                      ports.settings.analysis_deadline_seconds)
    for item in outcome:
        if "retried_as" in item:
            moderation.record(ports.store, actor, "retry", f"analysis:{item['id']}", None,
                              retried_as=item["retried_as"])
    return jsonify({"items": outcome})


@route(bp, "GET", "/api/admin/dead-letters", "Dead letters with payload, and rejected "
       "messages", role="admin", query=ListQuery, response=ITEMS)
def dead() -> Response:
    store = container().store
    limit = query(ListQuery).limit
    return jsonify({"items": dead_letters.recent_dead(store, limit),
                    "rejected": dead_letters.recent_rejected(store, limit)})


@route(bp, "POST", "/api/admin/dead-letters/<dead_id>/replay", "Publish a dead letter "
       "again", role="admin", params={"dead_id": DEAD_ID})
def replay(dead_id: str) -> Response:
    actor = require_admin()
    ports = container()
    replayed = dead_letters.replay(ports.store, ports.bus, dead_id)
    moderation.record(ports.store, actor, "replay", f"dead_letter:{dead_id}", None,
                      topic=replayed.get("topic"))
    return jsonify(replayed)


@route(bp, "GET", "/api/admin/messages", "Messages admins sent", role="admin",
       query=ListQuery, response=ITEMS)
def sent_messages() -> Response:
    return jsonify({"items": messages.recent(container().store, query(ListQuery).limit)})


@route(bp, "POST", "/api/admin/messages", "Send a system_alert to everyone or a "
       "user_message to one user", role="admin", body=messages.Outgoing, status=202)
def send_message() -> tuple[Response, int]:
    actor = require_admin()
    ports = container()
    record = messages.send(ports.store, ports.bus, actor, body(messages.Outgoing))
    return jsonify(record), 202
