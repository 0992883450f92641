"""Token prices per model and the per-user, per-day usage totals.

Prices are USD per million tokens (input, output) from ``Settings.llm_prices``; a model
missing from the table costs 0 and is logged once. A reported model version such as
``gpt-4o-mini-2024-07-18`` takes the price of its longest listed prefix.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from functools import cache

from shared.models import iso, utcnow
from shared.ports import Document, DocumentStore

log = logging.getLogger(__name__)
USAGE_COLLECTION = "llm_usage"


@cache
def _warn_unpriced(model: str) -> None:
    log.warning("no price for model; its tokens are counted at 0", extra={"model": model})


def price_of(model: str, prices: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    if model in prices:
        return prices[model]
    prefixes = [key for key in prices if model.startswith(key)]
    if prefixes:
        return prices[max(prefixes, key=len)]
    _warn_unpriced(model)
    return 0.0, 0.0


def cost(model: str, input_tokens: int, output_tokens: int,
         prices: Mapping[str, tuple[float, float]]) -> float:
    per_in, per_out = price_of(model, prices)
    return round((input_tokens * per_in + output_tokens * per_out) / 1_000_000, 8)


def record_usage(store: DocumentStore, user_id: str, analysis_id: str, *, input_tokens: int,
                 output_tokens: int, cost_usd: float, when: datetime | None = None) -> Document:
    """Add one analysis's tokens and cost to ``llm_usage/{user}:{YYYY-MM-DD}`` (UTC), once.

    The analysis id is kept in the document, so a repeated delivery adds nothing."""
    day = (when or utcnow()).date().isoformat()

    def change(doc: Document | None) -> Document | None:
        doc = doc or {"user_id": user_id, "day": day, "analyses": [], "input_tokens": 0,
                      "output_tokens": 0, "cost_usd": 0.0}
        if analysis_id in doc["analyses"]:
            return None
        doc["analyses"] = [*doc["analyses"], analysis_id]
        doc["input_tokens"] += input_tokens
        doc["output_tokens"] += output_tokens
        doc["cost_usd"] = round(doc["cost_usd"] + cost_usd, 8)
        doc["updated_at"] = iso(utcnow())
        return doc

    result = store.transact(USAGE_COLLECTION, f"{user_id}:{day}", change)
    return result or {}


def usage_of(store: DocumentStore, user_id: str, day: str) -> Document | None:
    """A user's totals for one UTC day (``YYYY-MM-DD``), or None."""
    return store.get(USAGE_COLLECTION, f"{user_id}:{day}")
