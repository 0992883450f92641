"""analyzer: indicators, signal and report for fetched candles (Pub/Sub)."""

import functions_framework

import shared.startup  # noqa: F401  (first: no garbage collection until the first answer)
from shared.config import settings
from shared.entry import handle_cloud_event
from shared.events import MarketFetched
from shared.services import features
from shared.services.analyze import analyze

settings()  # refuses to start without an explicit CHARTGENIUS_ENV

ROUTES = {MarketFetched: lambda c, e: analyze(
    c.store, c.bus, c.llm, e, blobs=c.blobs,
    # FEATURE_PROMPT_MANAGEMENT off: the bundled default prompts (prompts=None)
    prompts=c.prompts if features.enabled(c.store, "FEATURE_PROMPT_MANAGEMENT") else None,
    tolerance=c.settings.numbers_tolerance, charts=c.settings.charts_enabled)}


@functions_framework.cloud_event
def analyzer(cloud_event):  # type: ignore[no-untyped-def]
    handle_cloud_event("analyzer", cloud_event, ROUTES)
