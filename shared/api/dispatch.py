"""Hands a request received by functions-framework to the API's own Flask app.

functions-framework reads the body again after the function returns, so the body is read
once here (refused early when larger than the limit) and given to the inner app as a buffer.
"""

from __future__ import annotations

import io

from flask import Flask, Request, Response

from shared.api.app import error_body


def dispatch(app: Flask, request: Request) -> Response:
    limit = app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        with app.app_context():
            return error_body("request_entity_too_large",
                              f"the body is larger than {limit} bytes", None, 413)
    data = request.get_data(cache=True)
    environ = dict(request.environ)
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
    with app.request_context(environ):
        return app.full_dispatch_request()
