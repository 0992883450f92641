"""The analysis chart: candles and volume, EMA 20/50/200, Bollinger bands, support and
resistance lines, RSI and MACD panes, on the web page's dark theme. matplotlib (Agg) and
mplfinance are imported here only, when a chart is drawn (≈ 0.4 s the first time in a
process)."""

from __future__ import annotations

import io
import logging
from typing import Any

import numpy as np
import talib

from shared.charts import BARS
from shared.models import Candles, Level

log = logging.getLogger(__name__)
# The page's palette (web/style.css): panel, grid, text, up/down, accent.
_BG, _GRID, _TEXT, _MUTED = "#141920", "#262d38", "#e7e9ec", "#8a94a3"
_UP, _DOWN = "#0ecb81", "#f6465d"
_COLORS = {"ema_20": "#f0b90b", "ema_50": "#5aa9ff", "ema_200": "#c77dff", "bb": "#6b7585",
           "rsi": "#f0b90b", "macd": "#5aa9ff", "macd_signal": "#ff9f43"}
_style: Any = None


def _dark_style(mpf: Any) -> Any:
    """The dark mplfinance style, built once per process."""
    global _style
    if _style is None:
        colors = mpf.make_marketcolors(up=_UP, down=_DOWN, edge="inherit", wick="inherit",
                                       volume="inherit")
        _style = mpf.make_mpf_style(
            base_mpf_style="nightclouds", marketcolors=colors, facecolor=_BG, figcolor=_BG,
            edgecolor=_GRID, gridcolor=_GRID, gridstyle="-", y_on_right=True,
            rc={"axes.labelcolor": _MUTED, "xtick.color": _MUTED, "ytick.color": _MUTED,
                "axes.titlecolor": _TEXT, "text.color": _TEXT, "font.size": 9,
                "axes.linewidth": 0.6, "grid.linewidth": 0.5})
    return _style


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
    plots.append(mpf.make_addplot(rsi, panel=2, color=_COLORS["rsi"], width=0.9, ylabel="",
                                  ylim=(0, 100)))
    macd, signal, _ = (x[-bars:] for x in talib.MACD(close, 12, 26, 9))
    plots += [
        mpf.make_addplot(macd, panel=3, color=_COLORS["macd"], width=0.8, ylabel=""),
        mpf.make_addplot(signal, panel=3, color=_COLORS["macd_signal"], width=0.8,
                         secondary_y=False),
    ]
    return plots


def _compact(value: float, _position: object = None) -> str:
    """Volume ticks as 250K / 1.2M / 3B instead of an offset exponent."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def _bars(axes: list[Any], frame: Any, close: np.ndarray, bars: int) -> None:
    """Volume and MACD histogram as one line collection each (``ax.bar`` draws a patch per
    bar and costs ~60 ms per pane)."""
    x = np.arange(bars)
    rising = (frame["Close"] >= frame["Open"]).to_numpy()
    axes[2].vlines(x, 0, frame["Volume"].to_numpy(), colors=np.where(rising, _UP, _DOWN),
                   linewidth=2.5, alpha=0.7)
    axes[2].set_ylim(0, float(frame["Volume"].max()) * 1.05 or 1)
    axes[2].yaxis.set_major_formatter(_compact)
    hist = talib.MACD(close, 12, 26, 9)[2][-bars:]
    axes[6].vlines(x, 0, np.nan_to_num(hist), colors=np.where(hist >= 0, _UP, _DOWN),
                   linewidth=2.5, alpha=0.6)
    for y in (30, 70):  # RSI oversold / overbought guides
        axes[4].axhline(y, color=_MUTED, linewidth=0.5, linestyle=":")
    axes[4].set_yticks([30, 70])


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
                 colors=[_UP if lv.kind == "support" else _DOWN for lv in levels]
                 or [_MUTED], linestyle="--", linewidths=0.7, alpha=0.7)
    volume = np.asarray(recent.volume, dtype=float)
    plots = [mpf.make_addplot(volume, panel=1, color=_MUTED, width=0.0, ylabel=""),
             *_overlays(mpf, close, len(recent))]
    fig, axes = mpf.plot(frame, type="candle", style=_dark_style(mpf), returnfig=True,
                         addplot=plots, hlines=lines, panel_ratios=(5, 1, 1.5, 1.5),
                         figsize=(10, 7.5), datetime_format="%Y-%m-%d", xrotation=0, ylabel="",
                         warn_too_much_data=10_000,
                         scale_padding={"left": 0.05, "right": 0.55, "top": 0.05, "bottom": 0.35})
    # Tight margins: the page shows the chart edge to edge; the title sits inside the plot.
    axes[0].text(0.01, 0.97, title, transform=axes[0].transAxes, va="top", ha="left",
                 color=_TEXT, fontsize=11, fontweight="bold")
    for offset, (key, name) in enumerate((("ema_20", "EMA 20"), ("ema_50", "EMA 50"),
                                          ("ema_200", "EMA 200"), ("bb", "BB 20, 2"))):
        axes[0].text(0.01 + 0.075 * offset, 0.91, name, transform=axes[0].transAxes,
                     va="top", ha="left", color=_COLORS[key], fontsize=8)
    for index, name in ((2, "Volume"), (4, "RSI 14"), (6, "MACD 12/26/9")):
        axes[index].text(0.01, 0.92, name, transform=axes[index].transAxes, va="top",
                         ha="left", color=_MUTED, fontsize=8)
    _bars(axes, frame, close, len(recent))
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=80)
    finally:
        plt.close(fig)
    return buffer.getvalue()
