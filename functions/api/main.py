"""api: the HTTP API under /api, /health (HTTP function)."""

import functions_framework
from flask import Request, Response

import shared.startup  # noqa: F401  (first: no garbage collection until the first answer)
from shared import log
from shared.api.dispatch import adopt_framework_errors, dispatch
from shared.api.staged_app import StagedApp
from shared.config import settings

settings()  # refuses to start without an explicit CHARTGENIUS_ENV

log.setup()
apps = StagedApp()  # the first requests' routes now, all of them after the first answer
adopt_framework_errors(apps.first)


@functions_framework.http
def api(request: Request) -> Response:
    with log.traced(request.headers):  # the trace in every line of this request
        return dispatch(apps.app_for(request.environ), request)
