"""The ports: small interfaces every adapter implements.

Services depend only on these. Each port has one contract test suite
(``tests/contract/``) that every adapter passes, the embedded ones and the Google ones
against local emulators.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from shared.events import Event
from shared.models import Candles

Document = dict[str, Any]
# A document's top-level field holding an ISO-8601 time after which the store may delete it
# (Firestore's TTL policy; the embedded store keeps it as a string).
EXPIRE_AT = "expire_at"
Op = Literal["==", "!=", "<", "<=", ">", ">=", "in"]
Filter = tuple[str, Op, Any]
Unsubscribe = Callable[[], None]


@runtime_checkable
class DocumentStore(Protocol):
    """Documents addressed by a collection path (``users/1/watch``) and an id."""

    def get(self, collection: str, doc_id: str) -> Document | None: ...

    def create(self, collection: str, doc_id: str, data: Document) -> None:
        """Create only if absent; raises ``errors.Conflict`` when the document exists."""

    def set(self, collection: str, doc_id: str, data: Document, *, merge: bool = False) -> None:
        ...

    def update(self, collection: str, doc_id: str, changes: Document) -> None:
        """Merge top-level fields into an existing document; ``errors.NotFound`` if absent."""

    def delete(self, collection: str, doc_id: str) -> None: ...

    def query(
        self,
        collection: str,
        filters: Sequence[Filter] = (),
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[Document]:
        """Documents matching every filter (top-level fields), each with ``_id`` set."""

    def transact(
        self,
        collection: str,
        doc_id: str,
        change: Callable[[Document | None], Document | None],
    ) -> Document | None:
        """Atomically read a document, compute its new value and write it.

        ``change`` gets the current document (or None) and returns the new one, or None
        to leave it as it is. Returns what the document is afterwards.
        """

    def listen(
        self, collection: str, doc_id: str, callback: Callable[[Document | None], None]
    ) -> Unsubscribe:
        """Call ``callback`` with the document now and after every change."""


@runtime_checkable
class Bus(Protocol):
    def publish(self, event: Event) -> str:
        """Publish on ``event.topic``; returns the message id."""


@dataclass(frozen=True)
class Blob:
    data: bytes
    content_type: str
    generation: int


@runtime_checkable
class BlobStore(Protocol):
    def put(
        self,
        path: str,
        data: bytes,
        content_type: str = "application/octet-stream",
        *,
        if_generation_match: int | None = None,
    ) -> int:
        """Write a blob and return its new generation.

        ``if_generation_match=0`` creates only if absent; another number writes only if the
        blob is at that generation. A failed precondition raises ``PreconditionFailed``.
        """

    def get(self, path: str) -> Blob | None: ...

    def delete(self, path: str) -> None: ...

    def list(self, prefix: str) -> list[str]: ...


@runtime_checkable
class Secrets(Protocol):
    def get(self, name: str) -> str | None: ...


@runtime_checkable
class MarketSource(Protocol):
    name: str

    def supports(self, symbol: str, timeframe: str) -> bool:
        """Whether the source can serve this pair and timeframe at all (no network)."""

    async def fetch_candles(self, symbol: str, timeframe: str, limit: int) -> Candles:
        """Closed and current candles, oldest first. Raises ``NoSourceAvailable`` when the
        source does not list the pair, ``TransientError`` when it failed for now."""


@dataclass(frozen=True)
class LLMRequest:
    system: str
    prompt: str
    context: dict[str, Any]
    language: str = "en"


@dataclass(frozen=True)
class LLMReply:
    text: str
    provider: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0


@runtime_checkable
class LLM(Protocol):
    name: str

    def complete(self, request: LLMRequest) -> LLMReply: ...


@runtime_checkable
class Messenger(Protocol):
    """The Telegram Bot API. Adapters raise ``RateLimited`` (with ``retry_after``) on 429,
    ``Forbidden`` when the bot is blocked or removed (403), ``PermanentError`` for a refused
    request and ``TransientError`` when Telegram could not be reached."""

    def send_message(
        self, chat_id: int, text: str, *, parse_mode: str | None = None,
        reply_markup: dict[str, Any] | None = None,
    ) -> None: ...

    def send_photo(
        self, chat_id: int, photo: bytes | str, *, caption: str = "",
        parse_mode: str | None = None, reply_markup: dict[str, Any] | None = None,
    ) -> None:
        """``photo``: the image bytes, or a URL Telegram fetches."""

    def call(self, method: str, params: dict[str, Any]) -> Any:
        """Any other Bot API method (``setWebhook``, ``answerCallbackQuery``…)."""
