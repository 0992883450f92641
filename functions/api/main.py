"""api: the HTTP API under /api, /health (HTTP function)."""

import functions_framework
from flask import Request, Response

from shared import log
from shared.api.app import create_app
from shared.api.dispatch import dispatch

log.setup()
app = create_app()


@functions_framework.http
def api(request: Request) -> Response:
    return dispatch(app, request)
