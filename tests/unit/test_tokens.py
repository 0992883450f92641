from __future__ import annotations

import jwt
import pytest

from shared.auth import tokens
from shared.errors import Unauthorized
from shared.models import Role

KEY = "k" * 48
OPTS = {"issuer": "chartgenius", "audience": "chartgenius-api"}


def test_round_trip() -> None:
    token = tokens.issue(KEY, "42", Role.vip, ttl_seconds=60, **OPTS)
    assert tokens.verify(KEY, token, **OPTS) == tokens.Claims("42", Role.vip)


@pytest.mark.parametrize(
    "forge",
    [
        lambda: jwt.encode({"sub": "1", "iss": "chartgenius", "aud": "chartgenius-api",
                            "exp": 2**40}, None, algorithm="none"),
        lambda: tokens.issue("w" * 48, "1", Role.admin, ttl_seconds=60, **OPTS),
        lambda: tokens.issue(KEY, "1", Role.user, ttl_seconds=-5, **OPTS),
        lambda: tokens.issue(KEY, "1", Role.user, ttl_seconds=60, issuer="chartgenius",
                             audience="someone-else"),
        lambda: tokens.issue(KEY, "1", Role.user, ttl_seconds=60, issuer="evil",
                             audience="chartgenius-api"),
        lambda: "not-a-token",
    ],
    ids=["alg-none", "wrong-key", "expired", "wrong-audience", "wrong-issuer", "garbage"],
)
def test_tampered_tokens_are_refused(forge) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Unauthorized):
        tokens.verify(KEY, forge(), **OPTS)
