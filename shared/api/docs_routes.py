"""``/api/openapi.json`` and ``/api/docs``: the spec and a self-contained page to try it
(no CDN: the page and its script are served from here)."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify

from shared.api.routes import route

bp = Blueprint("docs", __name__)
PAGE = Path(__file__).with_name("docs.html")


@cache
def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


@route(bp, "GET", "/api/openapi.json", "This OpenAPI document", role="public")
def openapi() -> Response:
    from shared.api.openapi import spec  # built on first request, not at cold start

    return jsonify(spec(current_app))


@route(bp, "GET", "/api/docs", "A page to read and try the API", role="public",
       response={"type": "string"}, content="text/html")
def docs() -> Response:
    nonce = secrets.token_urlsafe(16)
    csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
           "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
    return Response(_page().replace("__NONCE__", nonce), mimetype="text/html",
                    headers={"Content-Security-Policy": csp})
