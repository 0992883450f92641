"""Chart images (PNG) of an analysis: drawn with mplfinance, stored in the blob store."""

BARS = 120  # candles drawn: the caption says so, so it lives here (no plotting import)


def chart_path(analysis_id: str) -> str:
    """Deterministic per analysis, so a repeated delivery rewrites the same blob."""
    return f"charts/{analysis_id}.png"


def chart_url(analysis_id: str) -> str:
    return f"/api/analysis/{analysis_id}/chart.png"


def candles_path(analysis_id: str) -> str:
    """The candles (and overlays) an analysis used, as JSON for the web chart."""
    return f"candles/{analysis_id}.json"


def candles_url(analysis_id: str) -> str:
    return f"/api/analysis/{analysis_id}/candles"
