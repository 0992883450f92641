"""The market sources as an admin sees them: order, enabled, and each one's health.

The order and the enabled switches are ``settings/market_sources`` (``arrange`` applies them
to the next fetch); the health is what market_fetcher saved in ``market_health/{source}``
after its last fetch (breaker state, last error and when, latency p50, success rate, ban).
"""

from __future__ import annotations

from typing import Any

from shared.market.health import COLLECTION as HEALTH
from shared.market.health import empty_document
from shared.market.sources import CONFIG_COLLECTION, CONFIG_DOC, LIVE_SOURCES
from shared.ports import DocumentStore


def order(store: DocumentStore, configured: list[str]) -> list[dict[str, Any]]:
    """The admin's list (or the configured chain), then configured sources not in it."""
    doc = store.get(CONFIG_COLLECTION, CONFIG_DOC) or {}
    listed = [dict(e) for e in doc.get("sources") or [] if isinstance(e, dict) and "name" in e]
    names = {e["name"] for e in listed}
    return listed + [{"name": n, "enabled": True} for n in configured if n not in names]


def view(store: DocumentStore, configured: list[str]) -> dict[str, Any]:
    health = {d.get("source"): d for d in store.query(HEALTH, limit=100)}
    doc = store.get(CONFIG_COLLECTION, CONFIG_DOC) or {}
    sources = []
    for entry in order(store, configured):
        name = entry["name"]
        stats = {k: v for k, v in (health.get(name) or empty_document(name)).items()
                 if k not in ("_id", "source")}
        sources.append({"name": name, "enabled": entry.get("enabled", True) is not False,
                        "configured": name in configured, "live": name in LIVE_SOURCES,
                        **stats})
    return {"sources": sources, "updated_by": doc.get("updated_by"),
            "updated_at": doc.get("updated_at")}
