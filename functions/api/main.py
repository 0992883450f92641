"""api: the HTTP API under /api, /health (HTTP function)."""

import functions_framework
from flask import Request, Response

import shared.startup  # noqa: F401  (first: no garbage collection until the first answer)
from shared import log
from shared.api.app import create_app
from shared.api.dispatch import adopt_framework_errors, dispatch
from shared.config import settings

settings()  # refuses to start without an explicit CHARTGENIUS_ENV

log.setup()
app = create_app()
adopt_framework_errors(app)


@functions_framework.http
def api(request: Request) -> Response:
    with log.traced(request.headers):  # the trace in every line of this request
        return dispatch(app, request)
