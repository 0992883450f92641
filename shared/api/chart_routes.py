"""``GET /api/analysis/<id>/chart.png``: the analysis chart, to its owner (or an admin)."""

from __future__ import annotations

from flask import Blueprint, Response

from shared.api.analysis_routes import owned_analysis
from shared.api.requests import current_user
from shared.api.routes import ID, route
from shared.bootstrap import container
from shared.charts import chart_path
from shared.errors import NotFound

bp = Blueprint("charts", __name__)


@route(bp, "GET", "/api/analysis/<analysis_id>/chart.png", "The analysis chart (PNG)",
       params={"analysis_id": ID}, response={"type": "string", "format": "binary"},
       content="image/png")
def chart(analysis_id: str) -> Response:
    analysis = owned_analysis(current_user(), analysis_id)
    blob = container().blobs.get(chart_path(analysis.id))
    if blob is None:
        raise NotFound(f"analysis {analysis.id} has no chart (yet)",
                       details={"status": analysis.status.value})
    return Response(blob.data, mimetype="image/png",
                    headers={"Cache-Control": "private, max-age=86400",
                             "ETag": f'"{blob.generation}"'})
