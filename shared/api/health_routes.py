"""``/health``: is this instance able to serve (store reachable)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from shared.bootstrap import container

bp = Blueprint("health", __name__)


@bp.get("/health")
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
