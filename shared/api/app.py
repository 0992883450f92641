"""The API's Flask application: routes, JSON errors, body limits and CORS.

Every error leaves as ``{"error": {"code", "message", "details"}}`` with a 4xx status that
says whose fault it was; an unexpected failure is a 500 with no internals in the body.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, Response, g, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from shared import errors, metrics
from shared.api.ratelimit import CachedLimits, TokenBuckets
from shared.bootstrap import container

log = logging.getLogger(__name__)

# Each module defines a Blueprint ``bp``; add a module here to serve its routes.
ROUTE_MODULES = (
    "auth_routes",
    "analysis_routes",
    "chart_routes",
    "prompt_routes",
    "health_routes",
    "watch_routes",
    "notification_routes",
    "admin_routes",
    "admin_ops_routes",
    "mod_routes",
    "docs_routes",
    "market_routes",
    "screener_routes",
    "digest_routes",
    "trackrecord_routes",
)

STATUS = {
    errors.InvalidInput: 400,
    errors.Unauthorized: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.PreconditionFailed: 412,
    errors.Conflict: 409,
    errors.RateLimited: 429,
    errors.TransientError: 503,
    errors.PermanentError: 422,
}


def error_body(code: str, message: str, details: Any = None, status: int = 400) -> Response:
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    return response


class LazyBuilderRule(Rule):
    """A rule whose URL builders are compiled when a URL is first built, not when it is added.

    werkzeug compiles two builder functions per rule (an AST, then ``compile``) as the rule is
    added: for the API's ~60 rules that was 0.05-0.1 s of every cold start, and the API never
    builds a URL while answering (no ``url_for``). Matching is untouched; building compiles the
    real builder once and replaces the stub with it (decision 0114).
    """

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_then_replace(rule: Rule, **values: Any) -> tuple[str, str]:
            real = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, attribute, real)
            return real(**values)

        return build_then_replace


def create_app(modules: Sequence[str] = ROUTE_MODULES, *,
               buckets: TokenBuckets | None = None, limits: CachedLimits | None = None) -> Flask:
    """The API with the routes of ``modules`` (all by default). Two apps given the same
    ``buckets`` and ``limits`` count each client's requests together (``shared/api/staged``)."""
    app = Flask("chartgenius_api", static_folder=None)  # no /static/<filename>
    app.url_rule_class = LazyBuilderRule
    app.config["MAX_CONTENT_LENGTH"] = container().settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["chartgenius.buckets"] = TokenBuckets() if buckets is None else buckets
    app.extensions["chartgenius.limits"] = CachedLimits() if limits is None else limits
    _count_requests(app)
    for name in modules:
        app.register_blueprint(importlib.import_module(f"shared.api.{name}").bp)

    @app.errorhandler(errors.ChartGeniusError)
    def _known(exc: errors.ChartGeniusError) -> Response:
        status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
        response = error_body(exc.code, exc.message, exc.details, status)
        if isinstance(exc, errors.RateLimited) and exc.retry_after:
            response.headers["Retry-After"] = str(int(exc.retry_after + 0.999))
        return response

    @app.errorhandler(ValidationError)
    def _invalid(exc: ValidationError) -> Response:
        details = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in exc.errors(include_url=False)
        ]
        message = "; ".join(f"{d['field'] or 'body'}: {d['message']}" for d in details)
        return error_body("invalid_input", message, {"errors": details}, 400)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        """The framework's own answers (404, 405, 413 …) as JSON, keeping ``Allow`` on 405."""
        code = (exc.name or "error").lower().replace(" ", "_")
        response = error_body(code, exc.description or exc.name, None, exc.code or 400)
        allowed = dict(exc.get_headers()).get("Allow")
        if allowed:
            response.headers["Allow"] = allowed
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.path})
        return error_body("internal", "something went wrong on our side", None, 500)

    @app.after_request
    def _cors(response: Response) -> Response:
        origin = request.headers.get("Origin")
        if origin and origin in container().settings.cors_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return app


def _count_requests(app: Flask) -> None:
    """Requests by route template and status, with durations (shared/metrics.py)."""

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.REQUESTS.inc(1.0, route, request.method, str(response.status_code))
        started = g.get("started")
        if started is not None:
            metrics.REQUEST_SECONDS.observe(time.perf_counter() - started, route, request.method)
        return response
