"""The parts of a Telegram update this bot handles, as pydantic models (decision 0118).

Only what the handlers read is declared: the message (chat, sender, text, command entities,
whether it is a photo), the button press (its id, data and the pressed message) and the
bot's own membership change in a chat. Field names are the Bot API's (``from`` through an
alias). Every other field is ignored, so a newer Bot API shape of a handled update still
parses; an update kind the bot does not handle is never parsed at all (see
``shared.bot.webhook.parse``).
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from shared.basemodel import Model


class Part(Model):
    """An object of the Bot API: unknown fields are ignored, ``from_user`` works too."""

    model_config = ConfigDict(defer_build=True, extra="ignore", frozen=True,
                              populate_by_name=True)


class User(Part):
    id: int
    is_bot: bool
    first_name: str
    language_code: str | None = None


class Chat(Part):
    id: int
    type: str  # "private", "group", "supergroup" or "channel"


class MessageEntity(Part):
    type: str  # "bot_command", "url", "bold"…
    offset: int  # in UTF-16 code units, as Telegram counts
    length: int


class PhotoSize(Part):
    file_id: str


class Message(Part):
    """A message, or (under a button press) an inaccessible one: ``chat`` and
    ``message_id`` are always there, the rest may not be."""

    message_id: int
    chat: Chat
    from_user: User | None = Field(default=None, alias="from")
    text: str | None = None
    entities: tuple[MessageEntity, ...] = ()
    photo: tuple[PhotoSize, ...] = ()


class CallbackQuery(Part):
    id: str
    from_user: User = Field(alias="from")
    message: Message | None = None
    data: str | None = None


class ChatMember(Part):
    status: str  # "creator", "administrator", "member", "restricted", "left", "kicked"


class ChatMemberUpdated(Part):
    chat: Chat
    from_user: User = Field(alias="from")
    new_chat_member: ChatMember


class Update(Part):
    update_id: int
    message: Message | None = None
    callback_query: CallbackQuery | None = None
    my_chat_member: ChatMemberUpdated | None = None
