"""API tokens: JWT with the algorithm pinned and ``exp``, ``iss``, ``aud`` required.

PyJWT (with ``cryptography``, ~0.07 s and more in a cold process) is imported by the first
token issued or checked, not at cold start: ``/health`` and the webhook's first update never
need it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shared.errors import Unauthorized
from shared.models import Role, utcnow

ALGORITHM = "HS256"


@dataclass(frozen=True)
class Claims:
    user_id: str
    role: Role


def issue(key: str, user_id: str, role: Role, *, issuer: str, audience: str,
          ttl_seconds: int) -> str:
    now = utcnow()
    payload = {
        "sub": user_id, "role": role.value, "iss": issuer, "aud": audience,
        "iat": now, "nbf": now, "exp": now + timedelta(seconds=ttl_seconds),
    }
    import jwt

    return jwt.encode(payload, key, algorithm=ALGORITHM)


def verify(key: str, token: str, *, issuer: str, audience: str) -> Claims:
    import jwt

    try:
        payload = jwt.decode(
            token, key, algorithms=[ALGORITHM], audience=audience, issuer=issuer,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
        return Claims(user_id=str(payload["sub"]), role=Role(payload.get("role", "user")))
    except jwt.ExpiredSignatureError:
        raise Unauthorized("the token has expired; sign in again") from None
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise Unauthorized(f"the token is not valid: {exc}") from None
