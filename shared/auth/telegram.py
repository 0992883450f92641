"""Telegram sign-in: Login Widget data and Mini App ``initData``, verified by HMAC-SHA256.

Login Widget: ``secret = SHA256(bot_token)``; Mini App: ``secret = HMAC_SHA256("WebAppData",
bot_token)``. In both, the data-check string is every received field except ``hash``, as
``key=value`` sorted by key and joined by newlines, and ``hash`` is its hex HMAC under the
secret. The comparison is constant-time and ``auth_date`` must be within ``max_age`` seconds
(and not in the future beyond a small clock skew).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from shared.errors import Unauthorized

CLOCK_SKEW_SECONDS = 60
MAX_INIT_DATA_CHARS = 4096


@dataclass(frozen=True)
class TelegramIdentity:
    telegram_id: int
    username: str | None = None
    first_name: str | None = None
    language_code: str | None = None


def _check_string(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def _check(fields: Mapping[str, str], secret: bytes, max_age: int, now: float | None) -> None:
    received = fields.get("hash", "")
    expected = hmac.new(secret, _check_string(fields).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), received.lower().encode()):
        raise Unauthorized("the Telegram sign-in data is not authentic")
    try:
        auth_date = int(fields.get("auth_date", ""))
    except ValueError:
        raise Unauthorized("the Telegram sign-in data has no valid auth_date") from None
    age = (time.time() if now is None else now) - auth_date
    if age > max_age:
        raise Unauthorized("the Telegram sign-in data is too old; sign in again")
    if age < -CLOCK_SKEW_SECONDS:
        raise Unauthorized("the Telegram sign-in data is dated in the future")


def _telegram_id(raw: object) -> int:
    try:
        value = int(str(raw))
    except ValueError:
        raise Unauthorized("the Telegram sign-in data has no valid user id") from None
    if not 0 < value < 2**53:
        raise Unauthorized("the Telegram sign-in data has no valid user id")
    return value


def verify_login_widget(data: Mapping[str, object], bot_token: str, *, max_age: int,
                        now: float | None = None) -> TelegramIdentity:
    """The user who signed in with the Login Widget (fields as the widget sent them)."""
    fields = {k: str(v) for k, v in data.items() if v is not None}
    _check(fields, widget_secret(bot_token), max_age, now)
    return TelegramIdentity(
        telegram_id=_telegram_id(fields.get("id")), username=fields.get("username"),
        first_name=fields.get("first_name"),
    )


def verify_init_data(init_data: str, bot_token: str, *, max_age: int,
                     now: float | None = None) -> TelegramIdentity:
    """The user of a Mini App, from the raw ``Telegram.WebApp.initData`` query string."""
    if len(init_data) > MAX_INIT_DATA_CHARS:
        raise Unauthorized("the Mini App initData is too long")
    pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=False)
    fields = dict(pairs)
    if len(fields) != len(pairs) or "hash" not in fields:
        raise Unauthorized("the Mini App initData is malformed")
    _check(fields, webapp_secret(bot_token), max_age, now)
    try:
        user = json.loads(fields.get("user", ""))
    except ValueError:
        raise Unauthorized("the Mini App initData has no user") from None
    if not isinstance(user, dict):
        raise Unauthorized("the Mini App initData has no user")
    return TelegramIdentity(
        telegram_id=_telegram_id(user.get("id")), username=_text(user.get("username")),
        first_name=_text(user.get("first_name")), language_code=_text(user.get("language_code")),
    )


def _text(value: object) -> str | None:
    return str(value)[:64] if isinstance(value, str | int) else None


def sign_for_tests(fields: Mapping[str, str], secret: bytes) -> str:
    """The hash Telegram would send for these fields (used by tests and local tools)."""
    return hmac.new(secret, _check_string(fields).encode(), hashlib.sha256).hexdigest()


def widget_secret(bot_token: str) -> bytes:
    return hashlib.sha256(bot_token.encode()).digest()


def webapp_secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
