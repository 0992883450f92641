"""``/api/analysis``: request an analysis, read it, follow it live."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, ConfigDict, Field

from shared.api.live import stream_analysis
from shared.api.requests import body, current_user
from shared.bootstrap import container
from shared.errors import NotFound
from shared.models import Analysis, Language, Role, User
from shared.services import analyses
from shared.services.request_analysis import request_analysis

bp = Blueprint("analysis", __name__)


class AnalysisRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    symbol: str = Field(min_length=1, max_length=30)
    timeframe: str = Field(min_length=1, max_length=5)
    language: Language | None = None


def owned_analysis(user: User, analysis_id: str) -> Analysis:
    """The analysis if this user may see it; 404 otherwise (no hint that it exists)."""
    if not analysis_id.isalnum() or len(analysis_id) > 64:
        raise NotFound(f"analysis {analysis_id} does not exist")
    ports = container()
    analysis = analyses.load(ports.store, analysis_id)
    if analysis.user_id != user.id and user.role is not Role.admin:
        raise NotFound(f"analysis {analysis_id} does not exist")
    return analyses.expire_if_overdue(ports.store, ports.bus, analysis)


@bp.post("/api/analysis")
def create() -> tuple[Response, int, dict[str, str]]:
    user = current_user()
    wanted = body(AnalysisRequest)
    ports = container()
    analysis, created = request_analysis(
        ports.store, ports.bus, user_id=user.id, symbol=wanted.symbol,
        timeframe=wanted.timeframe, language=(wanted.language or user.language).value,
        deadline_seconds=ports.settings.analysis_deadline_seconds,
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    location = f"/api/analysis/{analysis.id}"
    payload = {"id": analysis.id, "status": analysis.status.value,
               "links": {"self": location, "events": f"{location}/events"}}
    return jsonify(payload), 202 if created else 200, {"Location": location}


@bp.get("/api/analysis/<analysis_id>")
def read(analysis_id: str) -> Response:
    return jsonify(owned_analysis(current_user(), analysis_id).public())


@bp.get("/api/analysis/<analysis_id>/events")
def events(analysis_id: str) -> Response:
    analysis = owned_analysis(current_user(), analysis_id)
    return Response(
        stream_analysis(container().store, analysis.id),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
