"""The Messenger port over the Telegram Bot API, as plain HTTPS calls.

Keep-alive ``http.client`` connections (``http_connections``) rather than python-telegram-bot's
``Bot``, which is asyncio-only and pulls in httpx (decision 0051), or ``requests``, whose import
alone costs the notifier's first message ~0.12 s (decision 0117). Errors are translated here:
429 → ``RateLimited`` with ``retry_after``, 403 → ``Forbidden``, other 4xx → ``PermanentError``,
5xx and network failures → ``TransientError``. The token is part of the
URL, so no URL or library message is ever put into an error or a log line.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

from shared.adapters.http_connections import Connections
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


class HttpTransport:
    """Keep-alive connections per Bot API origin (``http_connections``), created on first use:
    no ``requests`` import, which would cost the notifier's cold start ~0.12 s (decision 0117).
    """

    def __init__(self) -> None:
        self._pools: dict[str, Connections] = {}
        self._lock = threading.Lock()

    def _pool(self, origin: str, timeout: float) -> Connections:
        with self._lock:
            if origin not in self._pools:
                self._pools[origin] = Connections(origin, timeout=timeout)
            return self._pools[origin]

    def post(
        self, url: str, *, json_body: dict[str, Any] | None = None,
        form: dict[str, str] | None = None, files: dict[str, bytes] | None = None,
        timeout: float,
    ) -> tuple[int, dict[str, Any]]:
        parts = urlsplit(url)
        if files:
            boundary = uuid.uuid4().hex
            body = multipart(form or {}, files, boundary)
            content_type = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            body, content_type = urlencode(form).encode(), "application/x-www-form-urlencoded"
        else:
            body, content_type = json.dumps(json_body or {}).encode(), "application/json"
        try:
            reply = self._pool(f"{parts.scheme}://{parts.netloc}", timeout).request(
                "POST", parts.path, body=body, headers={"Content-Type": content_type})
        except TransientError:
            raise TransientError("Telegram unreachable") from None  # the URL holds the token
        try:
            decoded = json.loads(reply.body)
        except ValueError:
            decoded = {"ok": False, "description": "not JSON"}
        return reply.status, decoded if isinstance(decoded, dict) else {}


def multipart(form: dict[str, str], files: dict[str, bytes], boundary: str) -> bytes:
    """A ``multipart/form-data`` body: the text fields, then each file as ``<name>.png``."""
    chunks: list[bytes] = []
    for name, value in form.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                      .encode() + value.encode() + b"\r\n")
    for name, data in files.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                      f'filename="{name}.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
                      + data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks)


class TelegramBotApi:
    def __init__(self, base_url: str, token: str, *, transport: Transport | None = None,
                 timeout: float = 10.0) -> None:
        self._base = f"{base_url.rstrip('/')}/bot{token}/"
        self._transport = transport or HttpTransport()
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
