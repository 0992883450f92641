"""Sign-in: Telegram Login Widget and Mini App ``initData`` → an API token (and, in
production, a Firebase custom token). The dev login exists only in local configuration."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify
from pydantic import ConfigDict, Field

from shared.api.requests import body, current_user, limit_anonymous, signing_key
from shared.api.response_schemas import ME
from shared.api.routes import route
from shared.auth import telegram, tokens
from shared.basemodel import Model
from shared.bootstrap import container
from shared.errors import TransientError
from shared.models import Language, Role, User
from shared.services import quotas
from shared.services.users import ensure_user, sign_in

bp = Blueprint("auth", __name__)


class DevLogin(Model):
    model_config = ConfigDict(extra="forbid")

    telegram_id: int = Field(gt=0, lt=2**53)
    role: Role | None = None  # omitted: a new user is a plain user, a known one keeps theirs
    language: Language | None = None


class WidgetLogin(Model):
    """The fields the Telegram Login Widget hands to its callback, unchanged.

    Not strict: the widget's redirect form gives ``id`` and ``auth_date`` as query-string
    text, and the signature (checked over the text forms) is what vouches for them."""

    model_config = ConfigDict(extra="allow", strict=False)

    id: int = Field(gt=0, lt=2**53)
    auth_date: int = Field(ge=0, lt=2**40)
    hash: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-fA-F]{64}$")
    first_name: str | None = Field(default=None, max_length=256)
    last_name: str | None = Field(default=None, max_length=256)
    username: str | None = Field(default=None, max_length=64)
    photo_url: str | None = Field(default=None, max_length=1024)


class MiniAppLogin(Model):
    model_config = ConfigDict(extra="forbid")

    init_data: str = Field(min_length=1, max_length=telegram.MAX_INIT_DATA_CHARS)


def _session(user: User) -> dict[str, Any]:
    ports = container()
    settings = ports.settings
    token = tokens.issue(signing_key(), user.id, user.role, issuer=settings.jwt_issuer,
                         audience=settings.jwt_audience, ttl_seconds=settings.jwt_ttl_seconds)
    session: dict[str, Any] = {"token": token, "user": user.model_dump(mode="json")}
    if settings.env == "production":
        from shared.auth.firebase import custom_token

        session["firebase_token"] = custom_token(settings.project, user.id, user.role)
    return session


def _bot_token() -> str:
    token = container().secrets.get("TELEGRAM_BOT_TOKEN")
    if not token:
        raise TransientError("Telegram sign-in is not configured on this server")
    return token


@route(bp, "POST", "/api/auth/dev", "Dev sign-in (local runs only; 404 elsewhere)",
       role="public", body=DevLogin)
def dev_login() -> Response:
    settings = container().settings
    if not settings.dev_auth_enabled:
        abort(404)
    login = body(DevLogin)
    user = ensure_user(container().store, login.telegram_id, role=login.role,
                       language=login.language)
    return jsonify(_session(user))


@route(bp, "POST", "/api/auth/telegram", "Sign in with Telegram Login Widget data",
       role="public", body=WidgetLogin)
def telegram_widget() -> Response:
    limit_anonymous("auth")
    login = body(WidgetLogin)
    fields = login.model_dump(mode="json", exclude_none=True)
    identity = telegram.verify_login_widget(
        fields, _bot_token(), max_age=container().settings.telegram_auth_max_age_seconds)
    return jsonify(_session(sign_in(container().store, identity)))


@route(bp, "POST", "/api/auth/telegram/webapp", "Sign in with Mini App initData",
       role="public", body=MiniAppLogin)
def telegram_webapp() -> Response:
    limit_anonymous("auth")
    login = body(MiniAppLogin)
    identity = telegram.verify_init_data(
        login.init_data, _bot_token(),
        max_age=container().settings.telegram_auth_max_age_seconds)
    return jsonify(_session(sign_in(container().store, identity)))


@route(bp, "GET", "/api/me", "The signed-in user, their plan and today's quota",
       response=ME)
def me() -> Response:
    """The signed-in user, their role and plan, and today's quota (quotas.standing).
    ``quota.daily_analyses`` and ``quota.used_today`` repeat limit and used for older pages."""
    user = current_user()
    standing = quotas.standing(container().store, user)
    quota: dict[str, Any] = dict(standing["quota"])
    quota.update(daily_analyses=quota["limit"], used_today=quota["used"])
    return jsonify({"user": user.model_dump(mode="json"), "role": user.role.value,
                    "plan": standing["plan"], "quota": quota})
