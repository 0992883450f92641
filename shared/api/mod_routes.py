"""``/api/mod``: ban and unban users, flag or hide analyses, read the moderation log.

Open to admins and to users with the moderator flag; every action is logged."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from pydantic import BaseModel, ConfigDict, Field

from shared.api.requests import optional_body, query, require_moderator
from shared.bootstrap import container
from shared.errors import InvalidInput
from shared.services import moderation

bp = Blueprint("mod", __name__)
ANALYSIS_ACTIONS = ("flag", "unflag", "hide", "unhide")


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)


class LogQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=50, ge=1, le=200)
    target: str | None = Field(default=None, max_length=80)


@bp.post("/api/mod/users/<user_id>/ban")
def ban(user_id: str) -> Response:
    actor = require_moderator()
    reason = optional_body(Reason).reason
    user = moderation.set_banned(container().store, actor, user_id, True, reason)
    return jsonify(user.model_dump(mode="json"))


@bp.post("/api/mod/users/<user_id>/unban")
def unban(user_id: str) -> Response:
    actor = require_moderator()
    reason = optional_body(Reason).reason
    user = moderation.set_banned(container().store, actor, user_id, False, reason)
    return jsonify(user.model_dump(mode="json"))


@bp.post("/api/mod/analysis/<analysis_id>/<action>")
def mark(analysis_id: str, action: str) -> Response:
    actor = require_moderator()
    if action not in ANALYSIS_ACTIONS:
        raise InvalidInput(f"action must be one of {', '.join(ANALYSIS_ACTIONS)}")
    reason = optional_body(Reason).reason
    state = moderation.mark_analysis(container().store, actor, analysis_id,
                                     action, reason)  # type: ignore[arg-type]
    return jsonify({"id": analysis_id, "moderation": state})


@bp.get("/api/mod/flagged")
def flagged() -> Response:
    require_moderator()
    return jsonify({"items": moderation.flagged_analyses(container().store)})


@bp.get("/api/mod/log")
def log() -> Response:
    require_moderator()
    wanted = query(LogQuery)
    entries = moderation.recent(container().store, wanted.limit, wanted.target)
    return jsonify({"items": entries})
