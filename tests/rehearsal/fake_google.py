"""Local stand-ins for what production reaches over HTTPS: Google's OAuth token endpoint and
the Telegram Bot API (recording every call).

The functions find their Google credentials the production way (Application Default
Credentials): a generated service-account key whose ``token_uri`` is this server, so Vertex
AI calls get a token and Firebase custom tokens are signed with the key, all offline.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class BotCall:
    method: str
    content_type: str
    body: bytes


@dataclass
class Recorder:
    calls: list[BotCall] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def methods(self) -> list[str]:
        with self.lock:
            return [call.method for call in self.calls]


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/token":
                self._answer({"access_token": "rehearsal-token", "expires_in": 3600,
                              "token_type": "Bearer"})
                return
            method = self.path.rsplit("/", 1)[-1]
            with recorder.lock:
                recorder.calls.append(BotCall(method, self.headers.get("Content-Type", ""), body))
            self._answer({"ok": True, "result": {"message_id": len(recorder.calls),
                                                 "date": 0, "chat": {"id": 1, "type": "private"}}})

        def _answer(self, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def google_and_telegram() -> Iterator[tuple[str, Recorder]]:
    """(base URL, recorder) of one server: ``/token`` and ``/bot<token>/<method>``."""
    recorder = Recorder()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", recorder
    finally:
        server.shutdown()
        server.server_close()


def service_account_key(path: Path, project: str, token_uri: str) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    path.write_text(json.dumps({
        "type": "service_account", "project_id": project, "private_key_id": "rehearsal",
        "private_key": pem, "client_email": f"api@{project}.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": token_uri,
    }))
    return path
