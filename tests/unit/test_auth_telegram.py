"""Telegram Login Widget and Mini App initData: authentic and fresh, or refused."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest

from shared.auth import telegram
from shared.errors import Unauthorized

BOT = "123456:ABC-test-bot-token"
MAX_AGE = 3600


def widget(**overrides: str) -> dict[str, str]:
    fields = {"id": "42", "first_name": "Ada", "username": "ada",
              "auth_date": str(int(time.time()))}
    fields.update(overrides)
    fields["hash"] = telegram.sign_for_tests(fields, telegram.widget_secret(BOT))
    return fields


def init_data(auth_date: int | None = None, bot: str = BOT) -> str:
    fields = {"query_id": "AAH", "auth_date": str(auth_date or int(time.time())),
              "user": json.dumps({"id": 42, "first_name": "Ada", "language_code": "ru"})}
    fields["hash"] = telegram.sign_for_tests(fields, telegram.webapp_secret(bot))
    return urlencode(fields)


def test_widget_data_signed_by_the_bot_is_accepted() -> None:
    who = telegram.verify_login_widget(widget(), BOT, max_age=MAX_AGE)
    assert (who.telegram_id, who.username) == (42, "ada")


def test_init_data_signed_by_the_bot_is_accepted() -> None:
    who = telegram.verify_init_data(init_data(), BOT, max_age=MAX_AGE)
    assert (who.telegram_id, who.language_code) == (42, "ru")


@pytest.mark.parametrize(
    "forge",
    [
        lambda: {**widget(), "id": "43"},                       # changed after signing
        lambda: {**widget(), "hash": "0" * 64},                 # made-up hash
        lambda: {k: v for k, v in widget().items() if k != "hash"},
        lambda: widget(auth_date=str(int(time.time()) - MAX_AGE - 5)),   # stale
        lambda: widget(auth_date=str(int(time.time()) + 3600)),          # from the future
        lambda: widget(auth_date="yesterday"),
        lambda: {**widget(), "extra": "1"},                     # field added after signing
    ],
    ids=["tampered-id", "fake-hash", "no-hash", "stale", "future", "bad-date", "added-field"],
)
def test_tampered_or_stale_widget_data_is_refused(forge) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Unauthorized):
        telegram.verify_login_widget(forge(), BOT, max_age=MAX_AGE)


def test_widget_hash_from_another_bot_is_refused() -> None:
    fields = {"id": "42", "auth_date": str(int(time.time()))}
    fields["hash"] = telegram.sign_for_tests(fields, telegram.widget_secret("999:OTHER"))
    with pytest.raises(Unauthorized):
        telegram.verify_login_widget(fields, BOT, max_age=MAX_AGE)


@pytest.mark.parametrize(
    "forge",
    [
        lambda: init_data().replace("Ada", "Eve"),
        lambda: init_data(auth_date=int(time.time()) - MAX_AGE - 5),
        lambda: init_data(bot="999:OTHER"),
        lambda: init_data() + "&hash=" + "0" * 64,              # duplicate key
        lambda: init_data().replace("hash=", "hush="),
        lambda: "garbage",
        lambda: "x" * 5000,
        lambda: widget_secret_used_for_webapp(),
    ],
    ids=["tampered-user", "stale", "other-bot", "duplicate-hash", "no-hash", "garbage",
         "too-long", "widget-secret"],
)
def test_tampered_or_stale_init_data_is_refused(forge) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Unauthorized):
        telegram.verify_init_data(forge(), BOT, max_age=MAX_AGE)


def widget_secret_used_for_webapp() -> str:
    """Mini App data signed with the Login Widget's key derivation must not pass."""
    fields = {"auth_date": str(int(time.time())), "user": json.dumps({"id": 42})}
    fields["hash"] = telegram.sign_for_tests(fields, telegram.widget_secret(BOT))
    return urlencode(fields)


def test_init_data_without_a_user_is_refused() -> None:
    fields = {"auth_date": str(int(time.time()))}
    fields["hash"] = telegram.sign_for_tests(fields, telegram.webapp_secret(BOT))
    with pytest.raises(Unauthorized):
        telegram.verify_init_data(urlencode(fields), BOT, max_age=MAX_AGE)
