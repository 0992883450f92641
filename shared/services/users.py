"""Users: created on first sign-in, keyed by their Telegram id."""

from __future__ import annotations

from shared.errors import Forbidden, Unauthorized
from shared.models import Language, Role, User, utcnow
from shared.ports import Document, DocumentStore

COLLECTION = "users"


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
