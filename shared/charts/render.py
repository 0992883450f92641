"""The analysis chart: candles and volume, EMA 20/50/200, Bollinger bands, support and
resistance lines, RSI and MACD panes. matplotlib (Agg) and mplfinance are imported here only,
when a chart is drawn (≈ 0.4 s the first time in a process)."""

from __future__ import annotations

import io
import logging
from typing import Any

import numpy as np
import talib

from shared.models import Candles, Level

log = logging.getLogger(__name__)
BARS = 120
_COLORS = {"ema_20": "#1f77b4", "ema_50": "#ff7f0e", "ema_200": "#9467bd", "bb": "#7f7f7f"}


def _plotting() -> tuple[Any, Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import mplfinance as mpf
    import pandas as pd

    return plt, mpf, pd


def _overlays(mpf: Any, close: np.ndarray, bars: int) -> list[Any]:
    plots = []
    for period in (20, 50, 200):
        line = talib.EMA(close, timeperiod=period)[-bars:]
        if not np.isnan(line).all():
            plots.append(mpf.make_addplot(line, color=_COLORS[f"ema_{period}"], width=0.9))
    upper, _, lower = talib.BBANDS(close, timeperiod=20, nbdevup=2, nbdevdn=2,
                                   matype=talib.MA_Type.SMA)
    for band in (upper[-bars:], lower[-bars:]):
        if not np.isnan(band).all():
            plots.append(mpf.make_addplot(band, color=_COLORS["bb"], width=0.7,
                                          linestyle="dashed"))
    rsi = talib.RSI(close, timeperiod=14)[-bars:]
    plots.append(mpf.make_addplot(rsi, panel=2, color="#8c564b", ylabel="RSI", ylim=(0, 100)))
    macd, signal, _ = (x[-bars:] for x in talib.MACD(close, 12, 26, 9))
    plots += [
        mpf.make_addplot(macd, panel=3, color="#1f77b4", width=0.8, ylabel="MACD"),
        mpf.make_addplot(signal, panel=3, color="#d62728", width=0.8, secondary_y=False),
    ]
    return plots


def _bars(axes: list[Any], frame: Any, close: np.ndarray, bars: int) -> None:
    """Volume and MACD histogram as one line collection each (``ax.bar`` draws a patch per
    bar and costs ~60 ms per pane)."""
    x = np.arange(bars)
    rising = (frame["Close"] >= frame["Open"]).to_numpy()
    axes[2].vlines(x, 0, frame["Volume"].to_numpy(), colors=np.where(rising, "#26a69a",
                   "#ef5350"), linewidth=2.5)
    axes[2].set_ylim(0, float(frame["Volume"].max()) * 1.05 or 1)
    hist = talib.MACD(close, 12, 26, 9)[2][-bars:]
    axes[6].vlines(x, 0, np.nan_to_num(hist), colors=np.where(hist >= 0, "#26a69a", "#ef5350"),
                   linewidth=2.5, alpha=0.6)


def render_png(candles: Candles, levels: list[Level], *, title: str, bars: int = BARS) -> bytes:
    """The chart of the last ``bars`` candles as PNG bytes."""
    plt, mpf, pd = _plotting()
    close = np.asarray(candles.close, dtype=float)
    recent = candles.tail(bars)
    frame = pd.DataFrame(
        {"Open": recent.open, "High": recent.high, "Low": recent.low, "Close": recent.close,
         "Volume": recent.volume},
        index=pd.to_datetime(recent.timestamps, unit="ms", utc=True).tz_localize(None))
    lines = dict(hlines=[lv.price for lv in levels] or [float(close[-1])],
                 colors=["#2ca02c" if lv.kind == "support" else "#d62728" for lv in levels]
                 or ["#999999"], linestyle="--", linewidths=0.7, alpha=0.8)
    volume = np.asarray(recent.volume, dtype=float)
    plots = [mpf.make_addplot(volume, panel=1, color="#888888", width=0.0, ylabel="Volume"),
             *_overlays(mpf, close, len(recent))]
    fig, axes = mpf.plot(frame, type="candle", style="yahoo", returnfig=True, addplot=plots,
                         hlines=lines, panel_ratios=(5, 1, 1.5, 1.5), figsize=(10, 7.5),
                         title=title, datetime_format="%Y-%m-%d", xrotation=0,
                         warn_too_much_data=10_000)
    _bars(axes, frame, close, len(recent))
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=80)
    finally:
        plt.close(fig)
    return buffer.getvalue()
