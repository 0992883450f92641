"""What the admin's system health shows, read from the store (true for every instance).

- pipeline: analyses created in the last hour and day by status, timeouts, and the median
  and 95th percentile from ``created_at`` to the ``completed`` entry of their history;
- LLM: today's tokens and cost, summed over the per-user ``llm_usage`` documents the
  analyzer writes;
- Telegram: today's sends, errors and 429s (``daily_counts``, written by the notifier);
- problems: rejected and dead-lettered messages with their reasons, newest first;
- market sources: ``source_admin.view``.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from shared.llm.pricing import USAGE_COLLECTION
from shared.models import iso, utcnow
from shared.ports import Document, DocumentStore
from shared.services import analyses, daily_counts, dead_letters, telegram_delivery

SAMPLE = 5000


def _at(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def completion_seconds(doc: Document) -> float | None:
    """Seconds from creation to completion, from the document's own history."""
    created = _at(doc.get("created_at"))
    done = next((_at(h.get("at")) for h in doc.get("history") or []
                 if h.get("status") == "completed"), None)
    if created is None or done is None:
        return None
    return max(0.0, (done - created).total_seconds())


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def _window(docs: list[Document], since: datetime) -> dict[str, Any]:
    mine = [d for d in docs if (_at(d.get("created_at")) or since) >= since]
    times = [t for t in (completion_seconds(d) for d in mine) if t is not None]
    median = statistics.median(times) if times else None
    p95 = percentile(times, 0.95)
    return {
        "by_status": dict(Counter(str(d.get("status")) for d in mine)),
        "total": len(mine),
        "timeouts": sum(1 for d in mine if d.get("error") == analyses.TIMEOUT_REASON),
        "completion_seconds": {"median": None if median is None else round(median, 2),
                               "p95": None if p95 is None else round(p95, 2),
                               "count": len(times)},
    }


def pipeline(store: DocumentStore, now: datetime) -> dict[str, Any]:
    docs = store.query(analyses.COLLECTION, [("created_at", ">=", iso(now - timedelta(days=1)))],
                       limit=SAMPLE)
    return {"last_hour": _window(docs, now - timedelta(hours=1)),
            "last_day": _window(docs, now - timedelta(days=1)),
            "sampled": len(docs), "sample_limit": SAMPLE}


def llm_today(store: DocumentStore, day: str) -> dict[str, Any]:
    docs = store.query(USAGE_COLLECTION, [("day", "==", day)], limit=SAMPLE)
    return {"day": day,
            "input_tokens": sum(int(d.get("input_tokens", 0)) for d in docs),
            "output_tokens": sum(int(d.get("output_tokens", 0)) for d in docs),
            "cost_usd": round(sum(float(d.get("cost_usd", 0.0)) for d in docs), 6),
            "analyses": sum(len(d.get("analyses") or []) for d in docs),
            "users": len(docs)}


def telegram_today(store: DocumentStore, day: str) -> dict[str, Any]:
    counts = daily_counts.totals(store, telegram_delivery.STATS, day)
    return {"day": day, "sent": counts.get("sent", 0), "errors": counts.get("errors", 0),
            "rate_limited": counts.get("rate_limited", 0)}


def problems(store: DocumentStore, limit: int = 50) -> list[Document]:
    """Rejected and dead-lettered messages with their reasons, newest first."""
    rejected = [{**d, "kind": "rejected"} for d in dead_letters.recent_rejected(store, limit)]
    dead = [{**d, "kind": "dead_letter"} for d in dead_letters.recent_dead(store, limit)]
    merged = sorted(rejected + dead, key=lambda d: str(d.get("at") or ""), reverse=True)
    return merged[:limit]


def store_check(store: DocumentStore) -> str:
    try:
        store.get("health", "probe")
    except Exception as exc:  # report, do not raise: health must answer
        return f"error: {type(exc).__name__}"
    return "ok"


def summary(store: DocumentStore, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    day = now.date().isoformat()
    return {"at": iso(now), "checks": {"store": store_check(store)},
            "pipeline": pipeline(store, now), "llm": llm_today(store, day),
            "telegram": telegram_today(store, day), "problems": problems(store)}
