"""``GET /api/track-record``: the engine's published walk-forward record for a pair.

Public: the record is what every signal is shown beside. It is read from the store, where the
scheduled refresh (``shared.services.track_record``) keeps it; the API never runs the
backtester itself (no numpy or TA-Lib on its cold start).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from pydantic import ConfigDict, Field

from shared.api.requests import query
from shared.api.routes import route
from shared.basemodel import Model
from shared.bootstrap import container
from shared.errors import NotFound
from shared.models import SYMBOL_SCHEMA, TIMEFRAME_SCHEMA, check_timeframe, normalize_symbol
from shared.trackrecord import COLLECTION, doc_id, line, summary_of

bp = Blueprint("trackrecord", __name__)

RECORD = {
    "type": "object",
    "required": ["symbol", "timeframe", "computed_at", "source", "horizon", "record"],
    "properties": {
        "symbol": {"type": "string"}, "timeframe": {"type": "string"},
        "computed_at": {"type": "string", "format": "date-time"},
        "source": {"type": "string"},
        "horizon": {"type": "integer", "description": "candles the confidence refers to"},
        "record": {"type": "object", "description": (
            "candles scored, first/last candle close times, and per horizon (5, 10, 20 "
            "candles): calls, buy, sell, levels, always_long, momentum_20, random — each n, "
            "hits, hit_rate, ci_low, ci_high (95 % Wilson), mean_return, median_return; at the "
            "calibrated horizon also confidence: Brier against the base rate, reliability")},
        "calibration": {"type": ["object", "null"], "description": (
            "the confidence map's check: fitted before the cut-off, scored after it")},
        "summary": {"type": "object", "description": "one line per side, EN and RU"},
    },
}


class TrackRecordQuery(Model):
    model_config = ConfigDict(extra="forbid")

    symbol: str = Field(min_length=1, max_length=30, description="BASE/QUOTE, e.g. BTC/USDT",
                        json_schema_extra=SYMBOL_SCHEMA)
    timeframe: str = Field(min_length=1, max_length=5, description="e.g. 1d, 4h",
                           json_schema_extra=TIMEFRAME_SCHEMA)


@route(bp, "GET", "/api/track-record", "The engine's walk-forward track record for a pair",
       role="public", query=TrackRecordQuery, response=RECORD)
def track_record() -> Response:
    wanted = query(TrackRecordQuery)
    symbol, timeframe = normalize_symbol(wanted.symbol), check_timeframe(wanted.timeframe)
    doc = container().store.get(COLLECTION, doc_id(symbol, timeframe))
    if not doc:
        raise NotFound(f"no track record for {symbol} {timeframe} yet: it is computed on a "
                       "schedule for the configured pairs", details={"symbol": symbol,
                                                                   "timeframe": timeframe})
    doc.pop("_id", None)
    lines = {}
    for side in ("buy", "sell", "neutral"):
        summary = summary_of(doc, side)
        if summary is not None:
            lines[side] = {lang: line(summary, symbol, timeframe, lang) for lang in ("en", "ru")}
    answer = jsonify({**doc, "summary": lines})
    answer.headers["Cache-Control"] = "public, max-age=300"
    return answer
