"""The candles an analysis used, as columns the web chart draws (``GET .../candles``).

One shape everywhere (docs/decisions/0077-candles-endpoint-shape.md): ``t`` open times in
epoch ms and ``o h l c v`` of the same length, oldest first; ``overlays`` of the same length
with ``null`` where an indicator has too little history yet. ``closed_through`` is the open
time of the newest closed candle; ``forming`` says the last entry is the running one, whose
close still moves — it is never called closed. The overlays are the chart's own (TA-Lib, the
periods shared/charts/render.py draws), computed over every candle the analysis had.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import talib

from shared.models import Candles

SCHEMA_VERSION = 1
OVERLAYS = ("ema_20", "ema_50", "ema_200", "bb_upper", "bb_middle", "bb_lower")


def _column(values: np.ndarray) -> list[float | None]:
    return [None if math.isnan(v) else round(float(v), 10) for v in values]


def overlays(close: np.ndarray) -> dict[str, list[float | None]]:
    lines = {f"ema_{n}": talib.EMA(close, timeperiod=n) for n in (20, 50, 200)}
    upper, middle, lower = talib.BBANDS(close, timeperiod=20, nbdevup=2, nbdevdn=2,
                                        matype=talib.MA_Type.SMA)
    lines.update(bb_upper=upper, bb_middle=middle, bb_lower=lower)
    return {name: _column(lines[name]) for name in OVERLAYS}


def candle_series(analysis_id: str, symbol: str, timeframe: str, source: str,
                  candles: Candles) -> dict[str, Any]:
    close = np.asarray(candles.close, dtype=float)
    closed = len(candles) - (1 if candles.unfinished_last else 0)
    return {
        "version": SCHEMA_VERSION,
        "analysis_id": analysis_id, "symbol": symbol, "timeframe": timeframe,
        "source": source,
        "t": list(candles.timestamps), "o": list(candles.open), "h": list(candles.high),
        "l": list(candles.low), "c": list(candles.close), "v": list(candles.volume),
        "closed_through": candles.timestamps[closed - 1] if closed > 0 else None,
        "forming": candles.unfinished_last,
        "gaps": [list(g) for g in candles.gaps],
        "overlays": overlays(close),
    }


def encode(series: dict[str, Any]) -> bytes:
    return json.dumps(series, separators=(",", ":"), allow_nan=False).encode()
