"""Hands a request received by functions-framework to the API's own Flask app.

The body is read here first, from the raw stream and bounded (``shared/api/body_limits``):
a declared length over the limit is refused unread, a chunked body as soon as it passes the
limit. What fits replaces the stream in the environ, so functions-framework's own read after
the function returns (it drains every body) sees only that buffer, never the rest of an
oversized upload. The inner app then gets the same buffer.
"""

from __future__ import annotations

import io

from flask import Flask, Request, Response, current_app, has_app_context
from werkzeug.exceptions import HTTPException

from shared.api.app import error_body
from shared.api.body_limits import BodyTooLarge, buffer_body


def adopt_framework_errors(app: Flask) -> None:
    """functions-framework's own app answers some paths itself (``/robots.txt``,
    ``/favicon.ico``, its ``/static/<filename>``) with HTML 404s: made JSON like the API's.
    Called while functions-framework imports the entry module (inside its app context)."""
    if not has_app_context():
        return
    outer = current_app._get_current_object()  # type: ignore[attr-defined]
    if outer is app:
        return

    def as_json(exc: HTTPException) -> Response:
        with app.app_context():
            response = error_body((exc.name or "error").lower().replace(" ", "_"),
                                  exc.description or exc.name, None, exc.code or 400)
        return response

    outer.register_error_handler(HTTPException, as_json)


def dispatch(app: Flask, request: Request) -> Response:
    limit = app.config["MAX_CONTENT_LENGTH"]
    try:
        data = buffer_body(request.environ, limit)
    except BodyTooLarge:
        with app.app_context():
            response = error_body("request_entity_too_large",
                                  f"the body is larger than {limit} bytes",
                                  {"limit_bytes": limit}, 413)
        response.headers["Connection"] = "close"
        return response
    environ = dict(request.environ)
    environ["wsgi.input"] = io.BytesIO(data)  # the inner app's own copy to read
    with app.request_context(environ):
        return app.full_dispatch_request()
