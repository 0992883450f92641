"""A local fake speaking the providers' real HTTP APIs, scripted per test.

One ``http.server`` on 127.0.0.1 answers every path; each POST takes the next scripted
``Answer`` (status, JSON body or raw text, delay) and records the request, so a test can
say "first a 429, then a valid reply" and check what the client sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    body: Any = None
    status: int = 200
    raw: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Script:
    answers: list[Answer] = field(default_factory=list)
    requests: list[tuple[str, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> Answer:
        with self.lock:
            self.requests.append((path, body, headers))
            return self.answers.pop(0) if self.answers else Answer({"error": "unscripted"}, 500)


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            answer = script.next(self.path, body, dict(self.headers))
            time.sleep(answer.delay)
            data = (answer.raw if answer.raw is not None else json.dumps(answer.body)).encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

    return Handler


@contextmanager
def fake_server() -> Iterator[tuple[str, Script]]:
    script = Script()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()


def openai_reply(text: str | None, *, refusal: str | None = None, finish: str = "stop",
                 tokens: tuple[int, int] = (900, 300)) -> dict[str, Any]:
    return {"id": "c1", "object": "chat.completion", "model": "gpt-4o-mini-2024-07-18",
            "choices": [{"index": 0, "finish_reason": finish, "message": {
                "role": "assistant", "content": text, "refusal": refusal}}],
            "usage": {"prompt_tokens": tokens[0], "completion_tokens": tokens[1],
                      "total_tokens": sum(tokens)}}


def gemini_reply(text: str, *, finish: str = "STOP",
                 tokens: tuple[int, int] = (1000, 350)) -> dict[str, Any]:
    return {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                            "finishReason": finish, "index": 0}],
            "usageMetadata": {"promptTokenCount": tokens[0], "candidatesTokenCount": tokens[1],
                              "totalTokenCount": sum(tokens)},
            "modelVersion": "gemini-2.5-flash"}


def hf_reply(text: str, generated: int = 280) -> list[dict[str, Any]]:
    return [{"generated_text": text, "details": {"finish_reason": "eos_token",
                                                 "generated_tokens": generated}}]
