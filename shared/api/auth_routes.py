"""Sign-in. The dev login exists only in local configuration."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify
from pydantic import BaseModel, ConfigDict, Field

from shared.api.requests import body, signing_key
from shared.auth import tokens
from shared.bootstrap import container
from shared.models import Language, Role
from shared.services.users import ensure_user

bp = Blueprint("auth", __name__)


class DevLogin(BaseModel):
    model_config = ConfigDict(extra="forbid")

    telegram_id: int = Field(gt=0, lt=2**53)
    role: Role = Role.user
    language: Language | None = None


@bp.post("/api/auth/dev")
def dev_login() -> Response:
    settings = container().settings
    if not settings.dev_auth_enabled:
        abort(404)
    login = body(DevLogin)
    user = ensure_user(container().store, login.telegram_id, role=login.role,
                       language=login.language)
    token = tokens.issue(signing_key(), user.id, user.role, issuer=settings.jwt_issuer,
                         audience=settings.jwt_audience, ttl_seconds=settings.jwt_ttl_seconds)
    return jsonify({"token": token, "user": user.model_dump(mode="json")})
