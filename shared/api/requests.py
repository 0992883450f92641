"""Reading a request: the JSON body as a pydantic model, and the signed-in user."""

from __future__ import annotations

from typing import TypeVar

from flask import request
from pydantic import BaseModel

from shared.auth import tokens
from shared.bootstrap import container
from shared.errors import InvalidInput, Unauthorized
from shared.models import User
from shared.services.users import active_user

M = TypeVar("M", bound=BaseModel)


def body(model: type[M]) -> M:
    if not request.is_json:
        raise InvalidInput("the body must be JSON (Content-Type: application/json)")
    if not request.get_data(cache=True):
        raise InvalidInput("the request needs a JSON body")
    data = request.get_json(silent=True)
    if data is None:
        raise InvalidInput("the body is not valid JSON")
    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object")
    return model.model_validate(data)


def signing_key() -> str:
    key = container().secrets.get("JWT_SIGNING_KEY")
    if not key:
        raise RuntimeError("JWT_SIGNING_KEY is not configured")
    return key


def current_user() -> User:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send 'Authorization: Bearer <token>'")
    settings = container().settings
    claims = tokens.verify(signing_key(), token.strip(), issuer=settings.jwt_issuer,
                           audience=settings.jwt_audience)
    return active_user(container().store, claims.user_id)
