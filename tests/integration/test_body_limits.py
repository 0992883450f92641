"""Bodies are bounded on the stream, for every transfer encoding, before parsing or sign-in;
JSON is bounded in depth. Through functions-framework exactly as production serves the API."""

from __future__ import annotations

import io
import json

import pytest
from flask import Flask

from local.functions import load_function
from shared.api.body_limits import CHUNK, BodyLimit, json_depth
from shared.bootstrap import Container


class EndlessUpload(io.RawIOBase):
    """A client that never stops sending: counts what the server reads."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        size = len(buffer)
        buffer[:size] = b"a" * size
        self.read_bytes += size
        return size


@pytest.fixture
def api(ports: Container) -> Flask:
    return load_function("api")


def chunked(stream: io.RawIOBase) -> dict[str, object]:
    return {"wsgi.input": stream, "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input_terminated": True}


@pytest.mark.parametrize("path", ["/api/auth/dev", "/api/analysis", "/api/watch", "/health"])
def test_a_chunked_body_is_refused_once_it_passes_the_limit(api: Flask, path: str) -> None:
    upload = EndlessUpload()
    answer = api.test_client().post(path, environ_overrides=chunked(upload),
                                    content_type="application/json")
    limit = 64 * 1024
    assert answer.status_code == 413
    assert answer.get_json()["error"]["code"] == "request_entity_too_large"
    assert upload.read_bytes <= limit + CHUNK  # not read in full, and nothing after the 413


def test_a_declared_length_over_the_limit_is_refused_unread(api: Flask) -> None:
    upload = EndlessUpload()
    answer = api.test_client().post("/api/auth/dev", environ_overrides={
        "wsgi.input": upload, "CONTENT_LENGTH": str(10**9)}, content_type="application/json")
    assert answer.status_code == 413 and upload.read_bytes == 0


def test_a_small_chunked_body_still_works(api: Flask) -> None:
    body = io.BytesIO(json.dumps({"telegram_id": 5}).encode())
    answer = api.test_client().post("/api/auth/dev", environ_overrides=chunked(body),
                                    content_type="application/json")
    assert answer.status_code == 200 and answer.get_json()["user"]["telegram_id"] == 5


@pytest.mark.parametrize("payload", [b"[" * 5000 + b"]" * 5000,
                                     b'{"telegram_id": 1, "x": ' + b"[" * 2000 + b"]" * 2000
                                     + b"}", b"{" * 3000])
def test_deeply_nested_json_is_a_400_with_the_reason(api: Flask, payload: bytes) -> None:
    answer = api.test_client().post("/api/auth/dev", data=payload,
                                    content_type="application/json")
    assert answer.status_code == 400
    assert "nests deeper than" in answer.get_json()["error"]["message"]


def test_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth(b'{"a": "[[[[{{{{\\"[[["}') == 1
    assert json_depth(b'[[1], {"b": [2]}]') == 3


def test_the_middleware_bounds_any_wsgi_app() -> None:
    seen: list[bytes] = []

    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        seen.append(environ["wsgi.input"].read())  # type: ignore[attr-defined]
        start_response("200 OK", [])  # type: ignore[operator]
        return [b"ok"]

    limited = BodyLimit(app, lambda path: 10 if path == "/small" else 1000)
    statuses: list[str] = []
    upload = EndlessUpload()
    limited({"PATH_INFO": "/small", **chunked(upload)},
            lambda status, headers: statuses.append(status))
    limited({"PATH_INFO": "/big", **chunked(io.BytesIO(b"x" * 500))},
            lambda status, headers: statuses.append(status))
    assert statuses[0].startswith("413") and upload.read_bytes <= 10 + CHUNK
    assert statuses[1].startswith("200") and seen == [b"x" * 500]


@pytest.mark.parametrize("path", ["/robots.txt", "/favicon.ico", "/static/app.js"])
def test_the_frameworks_own_answers_are_json_too(api: Flask, path: str) -> None:
    answer = api.test_client().get(path)
    assert answer.status_code == 404 and answer.is_json
    assert answer.get_json()["error"]["code"] == "not_found"
