"""What the engine says about a pair when one of its rules fires, and the alert's chart.

Both are computed at most once per pair and scan, and only when an alert fires: the engine
(TA-Lib) and the chart (mplfinance, imported on the first chart) stay off the quiet scans.
The chart's path is fixed by the pair and the candle, so every alert on that candle — any
user's, any scan's — shares one image.
"""

from __future__ import annotations

import logging
from typing import Any

from shared.models import Candles
from shared.ports import BlobStore

log = logging.getLogger(__name__)


def chart_blob(symbol: str, timeframe: str, candle_ms: int) -> str:
    return f"charts/alerts/{symbol.replace('/', '-')}-{timeframe}-{candle_ms}.png"


class PairView:
    def __init__(self, symbol: str, timeframe: str, candles: Candles,
                 blobs: BlobStore | None) -> None:
        self.symbol, self.timeframe, self.candles, self.blobs = symbol, timeframe, candles, blobs
        self._technicals: Any = None
        self._chart: str | None = None
        self._chart_tried = False

    def _analyse(self) -> Any:
        if self._technicals is None:
            from shared.indicators.technical import analyse

            try:
                self._technicals = analyse(self.candles, self.timeframe)
            except Exception:  # too little history, say: the alert goes without the view
                log.warning("no engine view for the alert", exc_info=True,
                            extra={"symbol": self.symbol, "timeframe": self.timeframe})
                self._technicals = ()
        return self._technicals or None

    def engine(self) -> dict[str, Any]:
        """The alert's ``signal``, ``price`` and nearest ``support`` / ``resistance``."""
        t = self._analyse()
        if t is None:
            return {}
        below = [lv.price for lv in t.levels if lv.kind == "support" and lv.price < t.price]
        above = [lv.price for lv in t.levels if lv.kind == "resistance" and lv.price > t.price]
        return {"signal": t.signal, "price": t.price,
                "support": max(below) if below else None,
                "resistance": min(above) if above else None}

    def chart(self) -> str | None:
        """The chart's blob path, drawn on first use; None without a blob store or plotting."""
        if self._chart_tried:
            return self._chart
        self._chart_tried = True
        if self.blobs is None:
            return None
        path = chart_blob(self.symbol, self.timeframe, self.candles.timestamps[-1])
        try:
            from shared.charts.render import render_png

            t = self._analyse()
            png = render_png(self.candles, t.levels if t is not None else [],
                             title=f"{self.symbol} {self.timeframe}")
            self.blobs.put(path, png, "image/png")
        except ImportError:
            log.info("no plotting library in this function: alerts go without a chart")
            return None
        except Exception:  # a chart is an extra: the alert must not be lost over it
            log.exception("alert chart failed", extra={"symbol": self.symbol})
            return None
        self._chart = path
        return path
