"""``/api/mod``: ban and unban users, flag or hide analyses, read the moderation log.

Open to admins and to users with the moderator flag; every action is logged."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from pydantic import ConfigDict, Field

from shared.api.requests import optional_body, query, require_moderator
from shared.api.routes import ID, ITEMS, USER_ID, route
from shared.basemodel import Model
from shared.bootstrap import container
from shared.errors import InvalidInput
from shared.services import moderation

bp = Blueprint("mod", __name__)
ANALYSIS_ACTIONS = ("flag", "unflag", "hide", "unhide")
ACTION = {"type": "string", "enum": list(ANALYSIS_ACTIONS)}


class Reason(Model):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)


class LogQuery(Model):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=50, ge=1, le=200)
    target: str | None = Field(default=None, max_length=80)


@route(bp, "POST", "/api/mod/users/<user_id>/ban", "Ban a user", role="moderator",
       body=Reason, body_required=False, params={"user_id": USER_ID})
def ban(user_id: str) -> Response:
    actor = require_moderator()
    reason = optional_body(Reason).reason
    user = moderation.set_banned(container().store, actor, user_id, True, reason)
    return jsonify(user.model_dump(mode="json"))


@route(bp, "POST", "/api/mod/users/<user_id>/unban", "Unban a user", role="moderator",
       body=Reason, body_required=False, params={"user_id": USER_ID})
def unban(user_id: str) -> Response:
    actor = require_moderator()
    reason = optional_body(Reason).reason
    user = moderation.set_banned(container().store, actor, user_id, False, reason)
    return jsonify(user.model_dump(mode="json"))


@route(bp, "POST", "/api/mod/analysis/<analysis_id>/<action>",
       "Flag, unflag, hide or unhide an analysis", role="moderator", body=Reason,
       body_required=False, params={"analysis_id": ID, "action": ACTION})
def mark(analysis_id: str, action: str) -> Response:
    actor = require_moderator()
    if action not in ANALYSIS_ACTIONS:
        raise InvalidInput(f"action must be one of {', '.join(ANALYSIS_ACTIONS)}")
    reason = optional_body(Reason).reason
    state = moderation.mark_analysis(container().store, actor, analysis_id,
                                     action, reason)  # type: ignore[arg-type]
    return jsonify({"id": analysis_id, "moderation": state})


@route(bp, "GET", "/api/mod/flagged", "Flagged analyses", role="moderator", response=ITEMS)
def flagged() -> Response:
    require_moderator()
    return jsonify({"items": moderation.flagged_analyses(container().store)})


@route(bp, "GET", "/api/mod/log", "The moderation log", role="moderator", query=LogQuery,
       response=ITEMS)
def log() -> Response:
    require_moderator()
    wanted = query(LogQuery)
    entries = moderation.recent(container().store, wanted.limit, wanted.target)
    return jsonify({"items": entries})


@route(bp, "GET", "/api/mod/hidden", "Analyses hidden by moderation", role="moderator",
       response=ITEMS)
def hidden() -> Response:
    require_moderator()
    return jsonify({"items": moderation.hidden_analyses(container().store)})


@route(bp, "GET", "/api/mod/banned", "Banned users", role="moderator", response=ITEMS)
def banned() -> Response:
    require_moderator()
    return jsonify({"items": moderation.banned_users(container().store)})
