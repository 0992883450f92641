"""The API's routes in two steps: the ones a new instance is first asked for, then all of them.

Importing all fifteen route modules (with the services, models and market code behind them) was
about 0.1 s of every api cold start, while an instance's first request is nearly always a
health check, a sign-in, ``/api/me`` or an analysis. So an instance starts with an app of the
``FIRST`` modules only. Once its first answer has been sent, a thread builds the app with every
module, and from then on that app serves everything. A request the first app cannot route (any
404, 405 or redirect of its own) goes to the complete app at once, built there and then if the
thread has not finished it (waiting for the thread if it is building), so no request ever sees
a route missing.

Both apps share the per-client rate-limit buckets and the cached limits, so a client's
requests are counted together. ``tests/unit/test_staged_app.py`` checks that every request the
first app routes is routed to the same endpoint by the complete app (decision 0124).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from shared.api.app import ROUTE_MODULES, create_app
from shared.api.ratelimit import CachedLimits, TokenBuckets

log = logging.getLogger(__name__)

FIRST = ("health_routes", "auth_routes", "analysis_routes", "chart_routes")
Start = Callable[[Callable[[], object]], None]


def in_thread(work: Callable[[], object]) -> None:
    threading.Thread(target=work, name="api-routes", daemon=True).start()


class StagedApp:
    def __init__(self, first: Sequence[str] = FIRST, *, complete: Sequence[str] = ROUTE_MODULES,
                 start: Start = in_thread) -> None:
        self._buckets, self._limits = TokenBuckets(), CachedLimits()
        self._modules = complete
        self.first = create_app(first, buckets=self._buckets, limits=self._limits)
        self.first.after_request(self._complete_once_answered)
        self._complete: Flask | None = None
        self._lock = threading.Lock()
        self._start = start
        self._started = False

    @property
    def completed(self) -> bool:
        return self._complete is not None

    def app_for(self, environ: dict[str, Any]) -> Flask:
        """The app that serves this request: the complete one once it exists, else the first
        one if it routes the request, else the complete one, built now."""
        complete = self._complete
        if complete is not None:
            return complete
        try:
            self.first.url_map.bind_to_environ(environ).match()
        except HTTPException:  # its 404, 405, or a redirect (RequestRedirect is one too)
            return self.complete()
        return self.first

    def complete(self) -> Flask:
        with self._lock:
            if self._complete is None:
                started = time.perf_counter()
                self._complete = create_app(self._modules, buckets=self._buckets,
                                            limits=self._limits)
                log.info("api routes complete", extra={
                    "seconds": round(time.perf_counter() - started, 3)})
            return self._complete

    def _complete_once_answered(self, response: Response) -> Response:
        if not self._started:
            self._started = True
            response.call_on_close(lambda: self._start(self._complete_in_background))
        return response

    def _complete_in_background(self) -> None:
        """A failure here (an import that raised) is logged; the next request the first app
        cannot route builds the complete app itself and answers with that error if it recurs."""
        try:
            self.complete()
        except Exception:
            log.exception("api routes not completed in the background")
