"""JSON schemas of the answers the web app reads most (``response=`` of ``@route``).

The same shapes are described for people in docs/web-api.md."""

from __future__ import annotations

from shared.api.routes import OBJECT, Schema

_NUMS: Schema = {"type": "array", "items": {"type": "number"}}
_GAPPY: Schema = {"type": "array", "items": {"type": ["number", "null"]}}

CANDLES: Schema = {  # shared/charts/series.py; docs/decisions/0077-candles-endpoint-shape.md
    "type": "object",
    "required": ["version", "analysis_id", "symbol", "timeframe", "source", "t", "o", "h", "l",
                 "c", "v", "closed_through", "forming", "gaps", "overlays"],
    "properties": {
        "version": {"type": "integer", "const": 1}, "analysis_id": {"type": "string"},
        "symbol": {"type": "string"}, "timeframe": {"type": "string"},
        "source": {"type": "string"},
        "t": {"type": "array", "items": {"type": "integer"},
              "description": "open times, epoch ms, oldest first"},
        "o": _NUMS, "h": _NUMS, "l": _NUMS, "c": _NUMS, "v": _NUMS,
        "closed_through": {"type": ["integer", "null"],
                           "description": "open time of the newest closed candle"},
        "forming": {"type": "boolean",
                    "description": "the last entry is the running candle (close still moves)"},
        "gaps": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}},
                 "description": "missing periods: [first missing open time, next present]"},
        "overlays": {"type": "object", "description": "same length as t; null = warm-up",
                     "properties": {k: _GAPPY for k in (
                         "ema_20", "ema_50", "ema_200", "bb_upper", "bb_middle", "bb_lower")}},
    },
}

ME: Schema = {
    "type": "object", "required": ["user", "role", "plan", "quota"],
    "properties": {
        "user": OBJECT, "role": {"type": "string", "enum": ["user", "premium", "vip", "admin"]},
        "plan": {"type": "object", "required": ["name", "daily_analyses", "watch_items"],
                 "properties": {"name": {"type": "string"},
                                "daily_analyses": {"type": ["integer", "null"]},
                                "watch_items": {"type": "integer"},
                                "requests_per_minute": {"type": "integer"}}},
        "quota": {"type": "object", "required": ["used", "limit", "remaining", "resets_at"],
                  "properties": {"used": {"type": "integer"},
                                 "limit": {"type": ["integer", "null"]},
                                 "remaining": {"type": ["integer", "null"]},
                                 "resets_at": {"type": "string", "format": "date-time"}}},
    },
}

PAIRS: Schema = {
    "type": "object", "required": ["pairs", "as_of"],
    "properties": {"as_of": {"type": "string"}, "pairs": {"type": "array", "items": {
        "type": "object", "required": ["symbol", "base", "quote", "sources", "timeframes"],
        "properties": {"symbol": {"type": "string"}, "base": {"type": "string"},
                       "quote": {"type": "string"},
                       "sources": {"type": "array", "items": {"type": "string"}},
                       "timeframes": {"type": "array", "items": {"type": "string"}}}}}},
}

HISTORY: Schema = {
    "type": "object", "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": OBJECT},
                   "next_cursor": {"type": ["string", "null"],
                                   "description": "give as ?cursor= for the next page"}},
}
