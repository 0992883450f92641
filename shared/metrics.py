"""Metrics, defined once here; every part imports and updates these objects.

In production (``CHARTGENIUS_ENV=production``, or ``CHARTGENIUS_METRIC_LOGS=1``) every update
is also one structured log line (logger ``shared.metrics``,
``{"message": "metric", "metric": <name>, "value": <amount>, "metric_labels": {...}}``), which
Terraform turns into a log-based metric of the same name (infra/envs/prod/monitoring.tf), so
every instance of every function is counted, and the dashboard and alert policies read them.
The objects also count in plain memory (a lock and a dict) for ``/metrics``, the local view:
``prometheus_client`` (~60 ms to import) is loaded only when it is scraped, and it shows what
this one process counted. Label values must come from small fixed sets (route templates,
statuses, provider and source names) — never ids or input.

Who updates what:
- ``REQUESTS`` / ``REQUEST_SECONDS``: the api, for every request (shared/api/app.py).
- ``ANALYSES``: whoever moves an analysis to a status (the api counts ``queued`` and
  ``cancelled``; the pipeline counts the rest).
- ``LLM_TOKENS`` / ``LLM_COST``: the analysis engine after each LLM reply.
- ``SOURCE_FALLBACKS``: the market-data chain when it moves on to the next source.
- ``TELEGRAM_SENDS`` / ``TELEGRAM_RATE_LIMITED``: the notifier and the bot.
- ``ANALYSIS_SECONDS``: an analysis that completed or failed, from its creation.
- ``ANALYSES_EXPIRED``: analyses failed by their deadline (stuck somewhere in the pipeline).
- ``DEAD_LETTERS``: messages that reached a dead-letter topic (shared/entry.py).
"""

from __future__ import annotations

import bisect
import logging
import os
import threading
from collections.abc import Iterator
from typing import Any

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_ALL: list[_Metric] = []
events = logging.getLogger(__name__)
events.setLevel(logging.INFO)  # counted whatever LOG_LEVEL says


class _Metric:
    kind = "counter"

    def __init__(self, name: str, documentation: str, labelnames: tuple[str, ...] = ()) -> None:
        self.name, self.documentation, self.labelnames = name, documentation, labelnames
        self._lock = threading.Lock()
        _ALL.append(self)

    def _key(self, values: tuple[str, ...]) -> tuple[str, ...]:
        if len(values) != len(self.labelnames):
            raise ValueError(f"{self.name} takes labels {self.labelnames}")
        return tuple(str(v) for v in values)

    def _emit(self, value: float, key: tuple[str, ...]) -> None:
        """The structured log event a log-based metric counts (production only: locally
        ``/metrics`` shows the counts, and ``make run`` stays readable)."""
        if not (os.environ.get("CHARTGENIUS_ENV") == "production"
                or os.environ.get("CHARTGENIUS_METRIC_LOGS") == "1"):
            return
        events.info("metric", extra={"metric": self.name, "value": value,
                                     "metric_labels": dict(zip(self.labelnames, key,
                                                               strict=True))})


class Counter(_Metric):
    def __init__(self, name: str, documentation: str, labelnames: tuple[str, ...] = ()) -> None:
        super().__init__(name, documentation, labelnames)
        self._values: dict[tuple[str, ...], float] = {}

    def inc(self, amount: float = 1.0, *labels: str) -> None:
        if amount < 0:
            raise ValueError("a counter only goes up")
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount
        self._emit(amount, key)

    def labels(self, *values: str) -> _Bound:
        return _Bound(self, values)

    def samples(self) -> dict[tuple[str, ...], float]:
        with self._lock:
            return dict(self._values)


class Histogram(_Metric):
    kind = "histogram"

    def __init__(self, name: str, documentation: str, labelnames: tuple[str, ...],
                 buckets: tuple[float, ...]) -> None:
        super().__init__(name, documentation, labelnames)
        self.buckets = buckets
        self._values: dict[tuple[str, ...], tuple[list[int], float]] = {}

    def observe(self, value: float, *labels: str) -> None:
        key = self._key(labels)
        with self._lock:
            counts, total = self._values.get(key, ([0] * (len(self.buckets) + 1), 0.0))
            counts[bisect.bisect_left(self.buckets, value)] += 1
            self._values[key] = (counts, total + value)
        self._emit(value, key)

    def samples(self) -> dict[tuple[str, ...], tuple[list[int], float]]:
        with self._lock:
            return {k: (list(c), s) for k, (c, s) in self._values.items()}


class _Bound:
    def __init__(self, metric: Counter, values: tuple[str, ...]) -> None:
        self.metric, self.values = metric, values

    def inc(self, amount: float = 1.0) -> None:
        self.metric.inc(amount, *self.values)


REQUESTS = Counter("chartgenius_http_requests", "API requests by route template, method and "
                   "status", ("route", "method", "status"))
REQUEST_SECONDS = Histogram(
    "chartgenius_http_request_duration_seconds", "API request duration by route template",
    ("route", "method"), (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ANALYSES = Counter("chartgenius_analyses", "Analyses that reached a status", ("status",))
LLM_TOKENS = Counter("chartgenius_llm_tokens", "LLM tokens by provider and kind "
                     "(input|output)", ("provider", "kind"))
LLM_COST = Counter("chartgenius_llm_cost_usd", "Estimated LLM cost in US dollars",
                   ("provider",))
SOURCE_FALLBACKS = Counter(
    "chartgenius_market_source_fallbacks",
    "Times the market-data chain moved past a source, by that source and why",
    ("source", "reason"),
)
TELEGRAM_SENDS = Counter("chartgenius_telegram_sends", "Telegram messages sent, by outcome "
                         "(ok|error|rate_limited)", ("outcome",))
TELEGRAM_RATE_LIMITED = Counter("chartgenius_telegram_429",
                                "Telegram answers 429 Too Many Requests")
ANALYSIS_SECONDS = Histogram(
    "chartgenius_analysis_duration_seconds",
    "Seconds from an analysis's creation to completed or failed", ("status",),
    (1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0),
)
ANALYSES_EXPIRED = Counter("chartgenius_analyses_expired",
                           "Analyses failed by their deadline (stuck in progress)")
DEAD_LETTERS = Counter("chartgenius_dead_letters",
                       "Messages that reached a dead-letter topic, by their topic", ("topic",))


class _Collector:
    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily

        for metric in _ALL:
            if isinstance(metric, Counter):
                family = CounterMetricFamily(metric.name, metric.documentation,
                                             labels=list(metric.labelnames))
                for key, value in sorted(metric.samples().items()):
                    family.add_metric(list(key), value)
                yield family
            elif isinstance(metric, Histogram):
                hist = HistogramMetricFamily(metric.name, metric.documentation,
                                             labels=list(metric.labelnames))
                for key, (counts, total) in sorted(metric.samples().items()):
                    bounds = [*(str(b) for b in metric.buckets), "+Inf"]
                    cumulative = [sum(counts[: i + 1]) for i in range(len(counts))]
                    hist.add_metric(list(key), list(zip(bounds, cumulative, strict=True)),
                                    total)
                yield hist


def exposition() -> bytes:
    """Every metric in the Prometheus text format (imports prometheus_client on first use)."""
    from prometheus_client import CollectorRegistry, generate_latest

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector())  # type: ignore[arg-type]
    return HEADER + generate_latest(registry)


HEADER = (b"# ChartGenius: what this one process counted since it started (the local view).\n"
          b"# Production counts every instance of every function through log-based metrics\n"
          b"# of the same names (infra/envs/prod/monitoring.tf).\n")
