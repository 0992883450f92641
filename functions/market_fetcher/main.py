"""market_fetcher: candles for requested analyses and scheduled scans (Pub/Sub)."""

import functions_framework

import shared.startup  # noqa: F401  (first: no garbage collection until the first answer)
from shared.config import settings
from shared.entry import handle_cloud_event
from shared.events import AnalysisRequested, MarketScanRequested
from shared.services.fetch_market import fetch_for_analysis, scan_market
from shared.services.track_record import refresh_after_scan

settings()  # refuses to start without an explicit CHARTGENIUS_ENV

ROUTES = {
    AnalysisRequested: lambda c, e: fetch_for_analysis(
        c.store, c.bus, c.sources, e, c.settings.candles_limit
    ),
    # a scheduled scan: sweep overdue analyses, then the watchlists' alerts (decision 0060),
    # then the track records that have aged (decision 0083)
    MarketScanRequested: lambda c, e: refresh_after_scan(c, scan_market(
        c.store, c.bus, c.sources, e, c.settings.candles_limit,
        concurrency=c.settings.market_scan_concurrency, use_cache=c.settings.market_cache,
        blobs=c.blobs, screener_size=c.settings.screener_size,
        screener_quote=c.settings.screener_quote, budget_share=c.settings.scan_budget_share,
    )),
}


@functions_framework.cloud_event
def market_fetcher(cloud_event):  # type: ignore[no-untyped-def]
    handle_cloud_event("market_fetcher", cloud_event, ROUTES)
