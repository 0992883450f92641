"""Counters become structured log events; the trace of a request or event is on every line."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cloudevents.http import from_http

from shared import delivery, log, metrics
from shared.events import AnalysisRequested

ROOT = Path(__file__).resolve().parents[2]
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], list[dict]]]:
    """What the JSON formatter writes, as parsed objects."""
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "proj")
    monkeypatch.setenv("CHARTGENIUS_METRIC_LOGS", "1")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(log.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_counter_update_is_one_structured_event(written) -> None:
    metrics.LLM_COST.inc(0.0125, "gemini")
    metrics.ANALYSIS_SECONDS.observe(7.5, "completed")
    events = [e for e in written() if e.get("metric")]
    assert events[-2:] == [
        {**events[-2], "metric": "chartgenius_llm_cost_usd", "value": 0.0125,
         "metric_labels": {"provider": "gemini"}, "severity": "INFO", "message": "metric"},
        {**events[-1], "metric": "chartgenius_analysis_duration_seconds", "value": 7.5,
         "metric_labels": {"status": "completed"}},
    ]


def test_metric_events_survive_a_quieter_log_level(written) -> None:
    root = logging.getLogger()
    before = root.level
    root.setLevel(logging.WARNING)
    try:
        metrics.TELEGRAM_RATE_LIMITED.inc()
    finally:
        root.setLevel(before)
    assert any(e.get("metric") == "chartgenius_telegram_429" for e in written())


@pytest.mark.parametrize("headers, span", [
    ({"traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"}, "00f067aa0ba902b7"),
    ({"X-Cloud-Trace-Context": f"{TRACE}/105445aa7843bc8b;o=1"}, None),
    ({"X-Cloud-Trace-Context": f"{TRACE}/12345;o=1"}, f"{12345:016x}"),
])
def test_every_line_of_a_request_carries_its_trace(written, headers, span) -> None:
    with log.traced(headers):
        logging.getLogger("shared.test").warning("inside")
    logging.getLogger("shared.test").warning("after")
    inside, after = [e for e in written() if e["logger"] == "shared.test"][-2:]
    assert inside["logging.googleapis.com/trace"] == f"projects/proj/traces/{TRACE}"
    if span is not None:
        assert inside["logging.googleapis.com/spanId"] == span
    assert "logging.googleapis.com/trace" not in after


def test_malformed_trace_headers_are_ignored() -> None:
    assert log.parse_trace({"traceparent": "00-zz-11-01"}) is None
    assert log.parse_trace({"traceparent": f"00-{'0' * 32}-00f067aa0ba902b7-01"}) is None
    assert log.parse_trace({}) is None


def test_a_published_message_carries_the_trace_to_the_next_function() -> None:
    event = AnalysisRequested(correlation_id="a1", analysis_id="a1", user_id="7",
                              symbol="BTC/USDT", timeframe="1d")
    with log.traced({"traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"}):
        data, attributes = delivery.encode(event)
    assert attributes["traceparent"].split("-")[1] == TRACE
    headers, body = delivery.to_cloudevent("p", event.topic, "m1", data, attributes)
    received = from_http(headers, body)
    assert log.parse_trace(delivery.trace_headers(received)) == (TRACE, "00f067aa0ba902b7")
    _, untraced = delivery.encode(event)
    assert "traceparent" not in untraced


def test_terraform_has_a_log_based_metric_for_every_metric_the_code_keeps() -> None:
    hcl = (ROOT / "infra" / "envs" / "prod" / "monitoring.tf").read_text()
    table = dict(re.findall(r"^\s+(chartgenius_\w+)\s+=\s+\{([^}]*)\}", hcl, re.MULTILINE))
    for metric in metrics._ALL:
        assert metric.name in table, f"add {metric.name} to local.log_metrics in monitoring.tf"
        labels = re.search(r"labels\s*=\s*\[([^\]]*)\]", table[metric.name])
        assert labels is not None
        assert re.findall(r'"(\w+)"', labels.group(1)) == list(metric.labelnames), metric.name
        kind = "distribution" if isinstance(metric, metrics.Histogram) else None
        if kind:
            assert f'"{kind}"' in table[metric.name], metric.name
    assert set(table) == {m.name for m in metrics._ALL}
