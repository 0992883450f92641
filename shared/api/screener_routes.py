"""``/api/screener``: the latest scan's ranking of the market (decision 0122)."""

from __future__ import annotations

from typing import Literal

from flask import Blueprint, Response, jsonify
from pydantic import ConfigDict, Field

from shared.api.requests import query
from shared.api.routes import route
from shared.basemodel import Model
from shared.bootstrap import container
from shared.models import Timeframe

bp = Blueprint("screener", __name__)
ROW = {"type": "object", "required": ["symbol", "timeframe", "price", "candle_time",
                                      "change_pct", "signal", "confidence", "strength"],
       "properties": {"symbol": {"type": "string"}, "timeframe": {"type": "string"},
                      "price": {"type": "number"}, "candle_time": {"type": "string"},
                      "change_pct": {"type": "number"}, "signal": {"type": "string"},
                      "confidence": {"type": "number"}, "strength": {"type": "number"},
                      "trend": {"type": ["string", "null"]}}}
SNAPSHOT = {"type": "object", "required": ["timeframe", "as_of", "sort", "rows"],
            "properties": {"timeframe": {"type": "string"},
                           "as_of": {"type": ["string", "null"]},
                           "scan_id": {"type": ["string", "null"]},
                           "universe_source": {"type": ["string", "null"]},
                           "sort": {"type": "string"},
                           "rows": {"type": "array", "items": ROW}}}


class ScreenerQuery(Model):
    model_config = ConfigDict(extra="forbid")

    timeframe: Timeframe = Field(default="4h", max_length=5)
    sort: Literal["strength", "move", "confidence", "symbol"] = "strength"
    limit: int = Field(default=50, ge=1, le=500)


@route(bp, "GET", "/api/screener", "The market ranked by signal strength and move, from the "
       "latest scheduled scan", query=ScreenerQuery, response=SNAPSHOT)
def screener() -> Response:
    from shared.services import screener as service

    wanted = query(ScreenerQuery)
    return jsonify(service.snapshot(container().store, wanted.timeframe, wanted.sort,
                                    wanted.limit))
