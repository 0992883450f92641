"""Who the bot is talking to, where, and how to answer: what every command handler gets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.bootstrap import Container
from shared.bot import replies
from shared.bot.texts import say
from shared.errors import PermanentError, RateLimited
from shared.models import Analysis, Language, User
from shared.services import users
from shared.services.request_analysis import request_analysis
from shared.services.telegram_delivery import REQUESTS

Reply = dict[str, Any] | None


@dataclass(frozen=True)
class Conversation:
    ports: Container
    chat_id: int
    user: User
    update_id: int
    first_name: str = ""
    message_id: int | None = None  # the message whose button was pressed (callbacks)
    pressed_photo: bool = False  # that message is a photo: its caption is what is edited

    @property
    def lang(self) -> str:
        return self.user.language.value

    def say(self, key: str, *, keyboard: dict[str, Any] | None = None, **values: object) -> Reply:
        return replies.message(self.chat_id, say(self.lang, key, **values), keyboard=keyboard)

    def html(self, text: str, *, keyboard: dict[str, Any] | None = None) -> Reply:
        return replies.message(self.chat_id, text, keyboard=keyboard)

    def edit(self, text: str, *, keyboard: dict[str, Any] | None = None) -> Reply:
        """Replace the pressed message (text and keyboard): no button is left dangling."""
        if self.pressed_photo:
            return replies.edit_caption(self.chat_id, self.message_id, text, keyboard=keyboard)
        return replies.edit(self.chat_id, self.message_id, text, keyboard=keyboard)

    def request(self, symbol: str, timeframe: str, *, mode: str = "analyze") -> Analysis | str:
        """Queue an analysis for this chat through the same service (and quota) as the API.

        Returns the analysis, or the reason it was refused. The idempotency key is the
        update id, so Telegram redelivering the update cannot queue it twice."""
        try:
            analysis, _ = request_analysis(
                self.ports.store, self.ports.bus, user_id=self.user.id, symbol=symbol,
                timeframe=timeframe, language=self.lang,
                deadline_seconds=self.ports.settings.analysis_deadline_seconds,
                idempotency_key=f"telegram-update:{self.update_id}", chat_id=self.chat_id,
            )
        except (PermanentError, RateLimited) as exc:
            return exc.message
        if mode == "chart":  # read by the notifier when the analysis completes
            self.ports.store.set(REQUESTS, analysis.id, {"mode": "chart"})
        return analysis


def known_user(ports: Container, telegram_id: int, language_code: str | None) -> User:
    """The sender as a user (registered on first contact); a user who blocked the bot and
    writes again is active again."""
    language = Language.ru if (language_code or "").startswith("ru") else Language.en
    user = users.ensure_user(ports.store, telegram_id, language=language)
    if not user.active:
        ports.store.update(users.COLLECTION, user.id, {"active": True})
        user = user.model_copy(update={"active": True})
    return user
