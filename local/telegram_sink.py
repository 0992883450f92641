"""A local stand-in for Telegram: a Bot API that records every call, and a way to talk to the bot.

Served by the local host under ``/telegram-sink``:

- ``POST /telegram-sink/bot<token>/<method>`` answers like the Bot API (``{"ok": true,
  "result": …}``) and checks what Telegram checks: text ≤ 4,096 and caption ≤ 1,024 characters,
  valid HTML when ``parse_mode`` is HTML (400 "can't parse entities" otherwise);
- ``GET /telegram-sink/calls?since=N`` lists the recorded calls, ``DELETE`` forgets them;
  ``GET /telegram-sink/files/<seq>`` is the photo a ``sendPhoto`` call uploaded; an edit of a
  message the bot never sent to that chat is refused as Telegram refuses it;
- ``POST /telegram-sink/faults`` makes the next calls fail (``{"method": "sendMessage",
  "error_code": 429, "retry_after": 3, "times": 1}`` or 403 "bot was blocked by the user");
- ``POST /telegram-sink/send`` acts as a user: ``{"text": "/analyze BTC/USDT"}`` or
  ``{"callback_data": "tf|a|BTC/USDT|4h"}`` becomes a real update posted to the webhook with
  the secret token, and an inline reply in the webhook's answer is recorded as Telegram
  would execute it;
- ``GET /telegram-sink/`` is a small chat page over the above.

The endpoints that act (``send``, ``faults``, ``DELETE calls``) take JSON only and the run's
token in ``X-Sink-Token`` (written to ``<data dir>/telegram-sink.token``, 0600, and embedded in
the chat page): a web page on another origin cannot post to them, since neither a JSON body
nor the header passes without a CORS preflight the sink never grants.
"""

from __future__ import annotations

import hmac
import io
import itertools
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from secrets import token_urlsafe
from typing import Any

from flask import Flask, Response, jsonify, request

from local.telegram_updates import update_from
from shared import log
from shared.adapters.telegram_api import TOKEN_SECRET, TelegramBotApi
from shared.bot.html_parts import CAPTION_LIMIT, MESSAGE_LIMIT, check_html, units
from shared.ports import Secrets

PREFIX = "/telegram-sink"
TOKEN_FILE = "telegram-sink.token"  # noqa: S105 - a file name; holds the run's control token
PAGE = Path(__file__).with_name("telegram_sink.html")
BOT = {"id": 100000001, "is_bot": True, "first_name": "ChartGenius",
       "username": "ChartGeniusBot"}
Webhook = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]
TRUE_METHODS = {"answerCallbackQuery", "setWebhook", "deleteWebhook", "sendChatAction",
                "setMyCommands", "setChatMenuButton", "editMessageReplyMarkup"}
SENDS = ("sendMessage", "sendPhoto")
EDITS = ("editMessageText", "editMessageCaption", "editMessageReplyMarkup")


class TelegramSink:
    def __init__(self, webhook: Webhook | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.webhook = webhook
        self.clock = clock
        self.calls: list[dict[str, Any]] = []
        self.files: dict[int, bytes] = {}  # call seq → the uploaded photo
        self.messages: dict[int, int] = {}  # message id → chat id, of what the bot sent
        self.photos: set[int] = set()  # the message ids of photos (their caption is edited)
        self._faults: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._message_ids = itertools.count(1000)
        self._update_ids = itertools.count(int(time.time()) % 1_000_000 * 100)
        self.control_token = token_urlsafe(24)  # per run
        self.app = self._build()

    # --- the Bot API side -------------------------------------------------------------
    def bot_api(self, method: str, params: dict[str, Any],
                files: dict[str, bytes] | None = None) -> tuple[dict[str, Any], int]:
        with self._lock:
            seq = len(self.calls) + 1
            call: dict[str, Any] = {"seq": seq, "method": method, "params": params,
                    "at": self.clock()}
            self.calls.append(call)
            fault = self._take_fault(method, params.get("chat_id"))
        if fault is not None:
            call["error"] = fault[1]
            return fault
        refusal = _refusal(method, params) or self._edit_refusal(method, params)
        if refusal:
            call["error"] = 400
            return {"ok": False, "error_code": 400, "description": refusal}, 400
        if files:
            self.files[seq] = next(iter(files.values()))
        if method in SENDS:
            sent = self._sent(params)
            call["message_id"] = sent["message_id"]
            self.messages[sent["message_id"]] = int(params.get("chat_id", 0))
            if method == "sendPhoto":
                self.photos.add(sent["message_id"])
            return {"ok": True, "result": sent}, 200
        if method in ("editMessageText", "editMessageCaption"):
            return {"ok": True, "result": self._sent(params, int(params["message_id"]))}, 200
        if method == "getMe":
            return {"ok": True, "result": BOT}, 200
        if method == "getWebhookInfo":
            return {"ok": True, "result": {"url": "", "pending_update_count": 0}}, 200
        if method in TRUE_METHODS:
            return {"ok": True, "result": True}, 200
        return {"ok": False, "error_code": 404, "description": "Not Found"}, 404

    def _edit_refusal(self, method: str, params: dict[str, Any]) -> str | None:
        """Telegram edits only a message it sent to that chat."""
        if method not in EDITS:
            return None
        message_id = _int(params.get("message_id")) or -1
        known = self.messages.get(message_id)
        if known is None or known != _int(params.get("chat_id")):
            return "Bad Request: message to edit not found"
        if method == "editMessageText" and message_id in self.photos:
            return "Bad Request: there is no text in the message to edit"
        if method == "editMessageCaption" and message_id not in self.photos:
            return "Bad Request: there is no caption in the message to edit"
        return None

    def _sent(self, params: dict[str, Any], message_id: int | None = None) -> dict[str, Any]:
        chat_id = int(params.get("chat_id", 0))
        return {"message_id": message_id or next(self._message_ids), "date": int(time.time()),
                "from": BOT,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "text": params.get("text") or params.get("caption") or ""}

    def fail_next(self, method: str, error_code: int, *, retry_after: int | None = None,
                  times: int = 1, chat_id: int | None = None) -> None:
        with self._lock:
            self._faults.append({"method": method, "error_code": error_code, "times": times,
                                 "retry_after": retry_after, "chat_id": chat_id})

    def _take_fault(self, method: str, chat_id: Any) -> tuple[dict[str, Any], int] | None:
        for fault in self._faults:
            if fault["method"] == method and fault["chat_id"] in (None, _int(chat_id)):
                fault["times"] -= 1
                if fault["times"] <= 0:
                    self._faults.remove(fault)
                return _error(fault["error_code"], fault["retry_after"])
        return None

    def sent(self, method: str | None = None) -> list[dict[str, Any]]:
        """The recorded calls (of one method), oldest first."""
        with self._lock:
            return [c for c in self.calls if method is None or c["method"] == method]

    # --- the user side ------------------------------------------------------------------
    def send_update(self, update: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Post an update to the webhook as Telegram does; execute its inline reply."""
        if self.webhook is None:
            raise RuntimeError("the sink has no webhook to send updates to")
        status, reply = self.webhook(update)
        if status == 200 and isinstance(reply, dict) and reply.get("method"):
            params = {k: v for k, v in reply.items() if k != "method"}
            self.bot_api(str(reply["method"]), params)
        return status, reply

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def _refusal(self) -> tuple[Response, int] | None:
        """Why a control call is refused (not JSON, not this run's token), or None."""
        if not request.is_json:
            return jsonify({"ok": False, "description": "send JSON (application/json)"}), 415
        given = request.headers.get("X-Sink-Token", "")
        if not hmac.compare_digest(given.encode(), self.control_token.encode()):
            return jsonify({"ok": False, "description": "send this run's X-Sink-Token"}), 403
        return None

    def _build(self) -> Flask:
        app = Flask("telegram_sink", static_folder=None)

        @app.before_request
        def _control_needs_the_token() -> tuple[Response, int] | None:
            if request.method in ("POST", "DELETE") and request.endpoint in (
                    "forget", "faults", "send"):
                return self._refusal()
            return None

        @app.post(f"{PREFIX}/bot<token>/<method>")
        def bot_api(token: str, method: str) -> tuple[Response, int]:
            params, files = _params()
            body, status = self.bot_api(method, params, files)
            return jsonify(body), status

        @app.get(f"{PREFIX}/files/<int:seq>")
        def file(seq: int) -> Response:
            data = self.files.get(seq)
            if data is None:
                return Response("no such photo", status=404, mimetype="text/plain")
            return Response(data, mimetype="image/png")

        @app.get(f"{PREFIX}/calls")
        def calls() -> Response:
            since = request.args.get("since", 0, type=int)
            return jsonify({"calls": [c for c in self.sent() if c["seq"] > since]})

        @app.delete(f"{PREFIX}/calls")
        def forget() -> Response:
            with self._lock:
                self.calls.clear()
                self.files.clear()
            return jsonify({"ok": True})

        @app.post(f"{PREFIX}/faults")
        def faults() -> Response:
            spec = request.get_json(force=True)
            self.fail_next(str(spec["method"]), int(spec["error_code"]),
                           retry_after=spec.get("retry_after"), times=int(spec.get("times", 1)),
                           chat_id=spec.get("chat_id"))
            return jsonify({"ok": True})

        @app.post(f"{PREFIX}/send")
        def send() -> tuple[Response, int]:
            update = update_from(request.get_json(force=True), self.next_update_id())
            pressed = update.get("callback_query", {}).get("message", {})
            if pressed.get("message_id") in self.photos:  # as Telegram shows a photo message
                pressed["photo"] = [{"file_id": f"p{pressed['message_id']}", "width": 1280,
                                     "file_unique_id": f"u{pressed['message_id']}",
                                     "height": 720}]
                pressed.pop("text", None)
            status, reply = self.send_update(update)
            return jsonify({"status": status, "update": update, "reply": reply}), 200

        @app.get(f"{PREFIX}/")
        def page() -> Response:
            page = PAGE.read_text().replace("__SINK_TOKEN__", self.control_token)
            return Response(page, mimetype="text/html", headers={"Cache-Control": "no-store"})

        return app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.app(environ, start_response)


def messenger_for(host_url: str, secrets: Secrets) -> TelegramBotApi:
    """The bot's Bot API client pointed at the sink served by the local host."""
    token = secrets.get(TOKEN_SECRET) or f"100000001:{token_urlsafe(26)}"  # per run
    log.remember_secret(token)
    return TelegramBotApi(host_url.rstrip("/") + PREFIX, token)


class SinkTransport:
    """The Bot API adapter's transport straight into a sink, without a socket (tests)."""

    def __init__(self, sink: TelegramSink) -> None:
        self.client = sink.app.test_client()

    def post(self, url: str, *, json_body: dict[str, Any] | None = None,
             form: dict[str, str] | None = None, files: dict[str, bytes] | None = None,
             timeout: float) -> tuple[int, dict[str, Any]]:
        path = url[url.index(PREFIX):]
        if json_body is not None:
            answer = self.client.post(path, json=json_body)
        else:
            data: dict[str, Any] = dict(form or {})
            data.update({k: (io.BytesIO(v), f"{k}.png") for k, v in (files or {}).items()})
            answer = self.client.post(path, data=data, content_type="multipart/form-data")
        return answer.status_code, answer.get_json(silent=True) or {}


def _params() -> tuple[dict[str, Any], dict[str, bytes]]:
    """The call's parameters, and its uploaded files (a multipart ``sendPhoto``)."""
    if request.is_json:
        return dict(request.get_json(force=True) or {}), {}
    params: dict[str, Any] = dict(request.form)
    files: dict[str, bytes] = {}
    for name, upload in request.files.items():
        files[name] = upload.read()
        params[name] = {"file": upload.filename, "bytes": len(files[name])}
    if isinstance(params.get("reply_markup"), str):
        params["reply_markup"] = json.loads(params["reply_markup"])
    return params, files


def _refusal(method: str, params: dict[str, Any]) -> str | None:
    """What Telegram would answer 400 to."""
    if method in (*SENDS, *EDITS) and "chat_id" not in params:
        return "Bad Request: chat_id is empty"
    field, limit = ("caption", CAPTION_LIMIT) if method in ("sendPhoto", "editMessageCaption") \
        else ("text", MESSAGE_LIMIT)
    text = str(params.get(field) or "")
    if method in ("sendMessage", "editMessageText") and not text.strip():
        return "Bad Request: message text is empty"
    if units(text) > limit:
        return f"Bad Request: {field} is too long"
    if params.get("parse_mode") == "HTML" and (problems := check_html(text)):
        return f"Bad Request: can't parse entities: {problems[0]}"
    return None


def _error(code: int, retry_after: int | None) -> tuple[dict[str, Any], int]:
    if code == 429:
        wait = retry_after or 1
        return {"ok": False, "error_code": 429, "parameters": {"retry_after": wait},
                "description": f"Too Many Requests: retry after {wait}"}, 429
    if code == 403:
        return {"ok": False, "error_code": 403,
                "description": "Forbidden: bot was blocked by the user"}, 403
    return {"ok": False, "error_code": code, "description": "Injected failure"}, code


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
