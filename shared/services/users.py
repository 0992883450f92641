"""Users: created on first sign-in, keyed by their Telegram id."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.auth.telegram import TelegramIdentity
from shared.errors import Forbidden, NotFound, Unauthorized
from shared.models import Language, Role, User, iso, utcnow
from shared.ports import Document, DocumentStore

COLLECTION = "users"
# ``banned/{user id}`` exists exactly while the user is banned: the Firestore security rules
# test it with exists(), so a ban takes away a browser's read access at once, even with a
# Firebase token minted before it (infra/firestore.rules, decision 0076).
BANNED = "banned"
SEEN_EVERY = timedelta(minutes=5)


def user_id_for_telegram(telegram_id: int) -> str:
    return str(telegram_id)


def ensure_user(
    store: DocumentStore, telegram_id: int, *, role: Role | None = None,
    language: Language | None = None,
) -> User:
    """The user for this Telegram id, created if new; ``role`` is set when given."""
    user_id = user_id_for_telegram(telegram_id)

    def change(doc: Document | None) -> Document | None:
        if doc is None:
            return User(
                id=user_id, telegram_id=telegram_id, role=role or Role.user,
                language=language or Language.en, created_at=utcnow(),
            ).model_dump(mode="json")
        if role is not None and doc.get("role") != role.value:
            return {**doc, "role": role.value}
        return None

    # Nearly every call is for a known user with nothing to change: one read answers it, where
    # a transaction takes two round trips (its read, then the rollback of a change of nothing).
    known = store.get(COLLECTION, user_id)
    if known is not None and change(dict(known)) is None:
        return User.model_validate(known)
    return User.model_validate(store.transact(COLLECTION, user_id, change))


def active_user(store: DocumentStore, user_id: str) -> User:
    """The signed-in user, refused if unknown or banned."""
    doc = store.get(COLLECTION, user_id)
    if doc is None:
        raise Unauthorized("unknown user; sign in again")
    user = User.model_validate(doc)
    if user.banned:
        raise Forbidden("this account is banned")
    return user


def sign_in(store: DocumentStore, identity: TelegramIdentity) -> User:
    """The user behind a verified Telegram identity: created if new, profile refreshed;
    refused if banned."""
    user_id = user_id_for_telegram(identity.telegram_id)
    language = Language.ru if (identity.language_code or "").startswith("ru") else Language.en

    def change(doc: Document | None) -> Document | None:
        if doc is None:
            return User(
                id=user_id, telegram_id=identity.telegram_id, language=language,
                created_at=utcnow(), username=identity.username,
                first_name=identity.first_name,
            ).model_dump(mode="json")
        profile = {"username": identity.username, "first_name": identity.first_name}
        if all(doc.get(k) == v for k, v in profile.items()):
            return None
        return {**doc, **profile}

    user = User.model_validate(store.transact(COLLECTION, user_id, change))
    if user.banned:
        mark_banned(store, user)  # repairs a marker a crash may have missed
        raise Forbidden("this account is banned")
    return user


def mark_banned(store: DocumentStore, user: User) -> None:
    """Keep ``banned/{id}`` in line with ``user.banned`` (idempotent)."""
    if user.banned:
        store.set(BANNED, user.id, {"user_id": user.id, "since": user.model_dump(
            mode="json")["banned_at"]})
    else:
        store.delete(BANNED, user.id)


def load_user(store: DocumentStore, user_id: str) -> User:
    doc = store.get(COLLECTION, user_id) if user_id.isdigit() and len(user_id) < 20 else None
    if doc is None:
        raise NotFound(f"user {user_id} does not exist")
    return User.model_validate(doc)


def change_user(store: DocumentStore, user_id: str, **fields: Any) -> User:
    """Set these fields on an existing user, atomically."""
    def change(doc: Document | None) -> Document:
        if doc is None:
            raise NotFound(f"user {user_id} does not exist")
        merged = User.model_validate({**doc, **fields}).model_dump(mode="json")
        return {**doc, **merged}

    load_user(store, user_id)
    user = User.model_validate(store.transact(COLLECTION, user_id, change))
    if "banned" in fields:
        mark_banned(store, user)
    return user


def touch(store: DocumentStore, user: User, now: datetime | None = None) -> None:
    """Record that the user was seen now (at most one write per ``SEEN_EVERY``)."""
    now = now or utcnow()
    if user.last_seen_at is None or now - user.last_seen_at >= SEEN_EVERY:
        store.update(COLLECTION, user.id, {"last_seen_at": iso(now)})
