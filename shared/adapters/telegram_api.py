"""The Messenger port over the Telegram Bot API, as plain HTTPS calls.

``requests`` (imported on the first call, not at import time) rather than python-telegram-bot's
``Bot``: the Bot is asyncio-only and pulls in httpx, which would cost the notifier ~130 ms of
cold import and an event loop per call (decision 0051). Library errors are translated here:
429 → ``RateLimited`` with ``retry_after``, 403 → ``Forbidden``, other 4xx →
``PermanentError``, 5xx and network failures → ``TransientError``. The token is part of the
URL, so no URL or library message is ever put into an error or a log line.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any, Protocol

from shared.config import Settings
from shared.errors import Forbidden, PermanentError, RateLimited, TransientError
from shared.ports import Secrets

log = logging.getLogger(__name__)
PUBLIC_API = "https://api.telegram.org"
TOKEN_SECRET = "TELEGRAM_BOT_TOKEN"  # noqa: S105 (a secret's name, not a secret)


class Transport(Protocol):
    def post(
        self, url: str, *, json_body: dict[str, Any] | None = None,
        form: dict[str, str] | None = None, files: dict[str, bytes] | None = None,
        timeout: float,
    ) -> tuple[int, dict[str, Any]]:
        """POST and return the status code and the decoded JSON body."""


class RequestsTransport:
    """One keep-alive ``requests.Session`` per instance, created on first use."""

    def __init__(self) -> None:
        self._session: Any = None
        self._lock = threading.Lock()

    def _get_session(self) -> Any:
        with self._lock:
            if self._session is None:
                import requests

                self._session = requests.Session()
            return self._session

    def post(
        self, url: str, *, json_body: dict[str, Any] | None = None,
        form: dict[str, str] | None = None, files: dict[str, bytes] | None = None,
        timeout: float,
    ) -> tuple[int, dict[str, Any]]:
        import requests

        try:
            response = self._get_session().post(
                url, json=json_body, data=form,
                files={k: (k + ".png", v, "image/png") for k, v in (files or {}).items()}
                or None, timeout=timeout,
            )
        except requests.RequestException as exc:
            raise TransientError(f"Telegram unreachable ({type(exc).__name__})") from None
        try:
            body = response.json()
        except ValueError:
            body = {"ok": False, "description": "not JSON"}
        return response.status_code, body if isinstance(body, dict) else {}


class TelegramBotApi:
    def __init__(self, base_url: str, token: str, *, transport: Transport | None = None,
                 timeout: float = 10.0) -> None:
        self._base = f"{base_url.rstrip('/')}/bot{token}/"
        self._transport = transport or RequestsTransport()
        self._timeout = timeout

    def send_message(
        self, chat_id: int, text: str, *, parse_mode: str | None = None,
        reply_markup: dict[str, Any] | None = None,
    ) -> None:
        params: dict[str, Any] = {"chat_id": chat_id, "text": text,
                                  "link_preview_options": {"is_disabled": True}}
        if parse_mode:
            params["parse_mode"] = parse_mode
        if reply_markup:
            params["reply_markup"] = reply_markup
        self.call("sendMessage", params)

    def send_photo(
        self, chat_id: int, photo: bytes | str, *, caption: str = "",
        parse_mode: str | None = None, reply_markup: dict[str, Any] | None = None,
    ) -> None:
        form = {"chat_id": str(chat_id), "caption": caption}
        if parse_mode:
            form["parse_mode"] = parse_mode
        if reply_markup:  # a multipart form carries it as JSON text
            form["reply_markup"] = json.dumps(reply_markup)
        if isinstance(photo, str):
            self.call("sendPhoto", {**form, "chat_id": chat_id, "photo": photo})
        else:
            self._request("sendPhoto", form=form, files={"photo": photo})

    def call(self, method: str, params: dict[str, Any]) -> Any:
        return self._request(method, json_body=params)

    def _request(self, method: str, **payload: Any) -> Any:
        status, body = self._transport.post(self._base + method, timeout=self._timeout,
                                            **payload)
        if status == 200 and body.get("ok"):
            return body.get("result")
        raise translate(method, status, body)


def translate(method: str, status: int, body: dict[str, Any]) -> Exception:
    """The product error for a refused Bot API call."""
    description = str(body.get("description") or f"HTTP {status}")[:200]
    code = int(body.get("error_code") or status)
    if code == 429:
        retry_after = (body.get("parameters") or {}).get("retry_after")
        return RateLimited(f"{method}: {description}",
                           retry_after=float(retry_after) if retry_after else None)
    if code == 403:
        return Forbidden(f"{method}: {description}")
    if 400 <= code < 500:
        return PermanentError(f"{method}: {description}")
    return TransientError(f"{method}: {description}")


def build_messenger(settings: Settings, secrets: Secrets) -> TelegramBotApi | None:
    """The configured bot, or None: no token, or no Bot API URL outside production."""
    base = settings.telegram_api_base or (PUBLIC_API if settings.env == "production" else None)
    token = secrets.get(TOKEN_SECRET)
    if not base or not token:
        log.info("no Telegram bot configured: messages are not sent")
        return None
    return TelegramBotApi(base, token)
