"""Reading a request: the JSON body and query as pydantic models, the signed-in user, and
the checks every route makes (role, moderator, rate limit)."""

from __future__ import annotations

import json
from typing import TypeVar

from flask import current_app, g, request
from pydantic import BaseModel

from shared.api import body_limits
from shared.api.ratelimit import CachedLimits, TokenBuckets
from shared.auth import tokens
from shared.bootstrap import container
from shared.errors import Forbidden, InvalidInput, Unauthorized
from shared.models import Role, User
from shared.services.users import active_user, touch

M = TypeVar("M", bound=BaseModel)


def body(model: type[M]) -> M:
    if not request.is_json:
        raise InvalidInput("the body must be JSON (Content-Type: application/json)")
    raw = request.get_data(cache=True)
    if not raw:
        raise InvalidInput("the request needs a JSON body")
    data = body_limits.loads(raw)
    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object")
    # strict: a JSON true is not the number 1, nor 0 or "yes" a boolean, nor "5" an integer
    # (a model may opt out with strict=False in its config, saying why); 3.0 is an integer
    normal = json.dumps(body_limits.whole_numbers_as_integers(data))
    return model.model_validate_json(normal, strict=model.model_config.get("strict", True))


def optional_body(model: type[M]) -> M:
    """Like ``body``, but an empty body means the model's defaults."""
    if not request.get_data(cache=True):
        return model()
    return body(model)


def query(model: type[M]) -> M:
    """The query string as ``model`` (each parameter given once)."""
    args = request.args
    repeated = [k for k in args if len(args.getlist(k)) > 1]
    if repeated:
        raise InvalidInput(f"query parameter {repeated[0]!r} is given more than once")
    return model.model_validate(args.to_dict())


def signing_key() -> str:
    key = container().secrets.get("JWT_SIGNING_KEY")
    if not key:
        raise RuntimeError("JWT_SIGNING_KEY is not configured")
    return key


def buckets() -> TokenBuckets:
    found: TokenBuckets = current_app.extensions["chartgenius.buckets"]
    return found


def cached_limits() -> CachedLimits:
    found: CachedLimits = current_app.extensions["chartgenius.limits"]
    return found


def limit_anonymous(action: str) -> None:
    """Rate-limit a call made before sign-in (by client address)."""
    per_minute = container().settings.auth_requests_per_minute
    buckets().take(f"ip:{action}:{client_address()}", per_minute)


def client_address() -> str:
    """The caller's address. Behind Google's front end ``remote_addr`` is the proxy; the
    client's address is the entry the trusted proxies appended to X-Forwarded-For, counted
    from the end (entries before it are whatever the client sent, so never trusted)."""
    hops = container().settings.trusted_forwarded_hops
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.remote_addr or "unknown"


def current_user() -> User:
    if "user" in g:
        user: User = g.user
        return user
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send 'Authorization: Bearer <token>'")
    ports = container()
    settings = ports.settings
    claims = tokens.verify(signing_key(), token.strip(), issuer=settings.jwt_issuer,
                           audience=settings.jwt_audience)
    user = active_user(ports.store, claims.user_id)
    limits = cached_limits().get(ports.store, settings.limits_cache_seconds)
    buckets().take(f"user:{user.id}", limits.of(user.role).requests_per_minute)
    touch(ports.store, user)
    g.user = user
    return user


def require_admin() -> User:
    user = current_user()
    if user.role is not Role.admin:
        raise Forbidden("this needs the admin role")
    return user


def require_moderator() -> User:
    user = current_user()
    if user.role is not Role.admin and not user.moderator:
        raise Forbidden("this needs a moderator or an admin")
    return user
