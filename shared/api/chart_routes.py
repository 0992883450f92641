"""An analysis's chart: ``chart.png`` (for Telegram and sharing) and ``candles`` (the arrays
the web chart draws, shape in shared/charts/series.py), to its owner (or an admin)."""

from __future__ import annotations

from flask import Blueprint, Response

from shared.api.analysis_routes import owned_analysis
from shared.api.requests import current_user
from shared.api.response_schemas import CANDLES
from shared.api.routes import ID, route
from shared.bootstrap import container
from shared.charts import candles_path, chart_path
from shared.errors import NotFound
from shared.models import Status

bp = Blueprint("charts", __name__)
# Both blobs are written once per analysis and never change after it completed.
_CACHE = "private, max-age=86400"


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
                    headers={"Cache-Control": _CACHE, "ETag": f'"{blob.generation}"'})


@route(bp, "GET", "/api/analysis/<analysis_id>/candles", "The candles and overlays the "
       "analysis used, for the web chart (404 with a reason until it has completed)",
       params={"analysis_id": ID}, response=CANDLES)
def candles(analysis_id: str) -> Response:
    analysis = owned_analysis(current_user(), analysis_id)
    details = {"status": analysis.status.value, "reason": "not_completed"}
    if analysis.status is not Status.completed:
        raise NotFound(f"analysis {analysis.id} is {analysis.status.value}: its candles are "
                       "served once it has completed", details=details)
    blob = container().blobs.get(candles_path(analysis.id))
    if blob is None:
        details["reason"] = "not_stored"
        raise NotFound(f"analysis {analysis.id} has no stored candles (it was made before "
                       "candles were kept)", details=details)
    return Response(blob.data, mimetype="application/json",
                    headers={"Cache-Control": _CACHE, "ETag": f'"{blob.generation}"'})
