"""``/health``: is this instance able to serve (store reachable); ``/metrics``."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, jsonify, request

from shared import metrics
from shared.api.routes import route
from shared.bootstrap import container
from shared.errors import Unauthorized

bp = Blueprint("health", __name__)


@route(bp, "GET", "/health", "Health", role="public")
def health() -> tuple[Response, int]:
    ports = container()
    checks: dict[str, str] = {}
    try:
        ports.store.get("health", "probe")
        checks["store"] = "ok"
    except Exception as exc:  # report, do not raise: health must answer
        checks["store"] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if ok else "degraded", "env": ports.settings.env, "checks": checks}
    return jsonify(body), 200 if ok else 503


@route(bp, "GET", "/metrics",
       "What this one process counted since it started, in the Prometheus text format (the "
       "local view; production counts every instance of every function through log-based "
       "metrics); production: Bearer METRICS_TOKEN",
       role="public", response={"type": "string"}, content="text/plain")
def metrics_text() -> Response:
    """Prometheus text of this process's counters: API requests and durations, analyses by
    status and duration, LLM tokens and cost, source fallbacks, Telegram sends and 429s, dead
    letters. In production it needs ``Authorization: Bearer <METRICS_TOKEN>``."""
    ports = container()
    if ports.settings.env == "production":
        expected = ports.secrets.get("METRICS_TOKEN") or ""
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
            raise Unauthorized("send 'Authorization: Bearer <METRICS_TOKEN>'")
    return Response(metrics.exposition(), mimetype=metrics.CONTENT_TYPE.split(";")[0],
                    headers={"Content-Type": metrics.CONTENT_TYPE})
