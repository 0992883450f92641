"""The five functions as production runs them: staged archives, their own locks, Python 3.12,
gunicorn, Google clients against emulators and fakes. One real request or binary-mode
CloudEvent through each, following the chain api → market_fetcher → analyzer → notifier, plus
a scheduled scan with RSI and MACD rules and a Telegram update. A package missing from a
function's lock fails here (ModuleNotFoundError → a 500 or a process that does not start).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from shared import delivery, topics
from shared.auth import telegram
from shared.events import MarketScanRequested
from tests.integration.fake_llm_servers import Answer, gemini_reply
from tests.rehearsal import staging
from tests.rehearsal.conftest import Rehearsal
from tests.rehearsal.fake_pubsub import Published
from tests.rehearsal.production import BOT_TOKEN, PROJECT, WEBHOOK_SECRET
from tests.rehearsal.staging import post, post_json

TELEGRAM_ID = 4242
pytestmark = [pytest.mark.rehearsal, pytest.mark.timeout(600)]


def push(rehearsal: Rehearsal, subscriber: str, message: Published) -> tuple[int, str]:
    """Deliver a published message as the push subscription does: a binary-mode CloudEvent."""
    headers, body = delivery.to_cloudevent(PROJECT, message.topic, message.message_id,
                                           message.data, message.attributes)
    return post(rehearsal.url(subscriber), body, headers)


def only(rehearsal: Rehearsal, topic: str) -> Published:
    messages = rehearsal.pubsub.take(topic)
    assert len(messages) == 1, (topic, messages)
    return messages[0]


def sign_in(rehearsal: Rehearsal) -> dict[str, Any]:
    fields = {"id": str(TELEGRAM_ID), "first_name": "Ada", "auth_date": str(int(time.time()))}
    fields["hash"] = telegram.sign_for_tests(fields, telegram.widget_secret(BOT_TOKEN))
    status, text = post_json(rehearsal.url("api") + "/api/auth/telegram", fields)
    assert status == 200, (text, rehearsal.functions["api"].log()[-3000:])
    session: dict[str, Any] = json.loads(text)
    return session


def test_an_analysis_runs_through_api_fetcher_analyzer_and_notifier(rehearsal) -> None:
    session = sign_in(rehearsal)
    assert session["firebase_token"].count(".") == 2  # firebase-admin signed a custom token
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    auth = {"Authorization": f"Bearer {session['token']}",
            "traceparent": f"00-{trace}-00f067aa0ba902b7-01"}
    status, text = post_json(rehearsal.url("api") + "/api/analysis",
                             {"symbol": "BTC/USDT", "timeframe": "4h"}, auth)
    assert status == 202, text
    analysis_id = json.loads(text)["id"]

    status, text = push(rehearsal, "market_fetcher", only(rehearsal, topics.ANALYSIS_REQUESTED))
    assert status == 200, rehearsal.functions["market_fetcher"].log()[-3000:]
    fetched = only(rehearsal, topics.MARKET_FETCHED)
    assert json.loads(fetched.data)["source"] == "binance"
    booked = [d for d in rehearsal.store.query("request_budget")
              if d["_id"].startswith("binance:")]
    assert booked, "the fetch booked its request in the exchange's shared budget (Firestore)"

    # a reply that does not fit the analysis: the chain falls back to the rule-based analyst
    rehearsal.llm.answers = [Answer(gemini_reply("{}")) for _ in range(3)]
    status, text = push(rehearsal, "analyzer", fetched)
    assert status == 200, rehearsal.functions["analyzer"].log()[-3000:]
    assert any("generateContent" in path for path, _, _ in rehearsal.llm.requests)
    completed = only(rehearsal, topics.ANALYSIS_COMPLETED)
    doc = rehearsal.store.get("analyses", analysis_id)
    assert doc is not None and doc["status"] == "completed", doc
    assert list(rehearsal.blobs.list_blobs()), "the chart PNG reaches Cloud Storage"

    status, text = push(rehearsal, "notifier", completed)
    assert status == 200, rehearsal.functions["notifier"].log()[-3000:]
    for name in ("api", "market_fetcher", "analyzer", "notifier"):  # one trace, every stage
        assert f"traces/{trace}" in rehearsal.functions[name].log(), name
    metric_lines = [json.loads(line) for line in rehearsal.functions["analyzer"].log().splitlines()
                    if '"metric": ' in line]
    assert {"chartgenius_analyses", "chartgenius_analysis_duration_seconds"} <= {
        line["metric"] for line in metric_lines}
    event_id = json.loads(completed.data)["event_id"]
    note = rehearsal.store.get("notifications", event_id)  # asked on the web: no Telegram chat
    assert note is not None and note["user_id"] == doc["user_id"], note


def test_a_scheduled_scan_evaluates_rsi_and_macd_rules(rehearsal) -> None:
    session = sign_in(rehearsal)
    # RSI above 1 holds: it alerts (judged for the first time) or waits for a crossing
    rules = [{"kind": "rsi_above", "value": 1}, {"kind": "macd_cross", "direction": "any"},
             {"kind": "price_above", "price": 0.01}]
    status, text = post_json(rehearsal.url("api") + "/api/watch",
                             {"symbol": "ETH/USDT", "timeframe": "1h", "rules": rules},
                             {"Authorization": f"Bearer {session['token']}"})
    assert status == 201, text
    scan = MarketScanRequested(correlation_id="scan-r", scan_id="scan-r", symbols=["ETH/USDT"],
                               timeframe="1h")
    data, attributes = delivery.encode(scan)
    message = Published(topics.MARKET_SCAN, "scan-1", data, attributes)
    status, _ = push(rehearsal, "market_fetcher", message)
    assert status == 200, rehearsal.functions["market_fetcher"].log()[-3000:]
    record = rehearsal.store.get("scans", "scan-r")
    alerts = rehearsal.pubsub.take(topics.ALERT_TRIGGERED)
    rsi_alerted = any("RSI" in json.loads(a.data)["message"] for a in alerts)
    assert record is not None and (rsi_alerted or record["alerts_not_due"] >= 1), (record, alerts)
    assert alerts, record
    alert = alerts[0]

    status, _ = push(rehearsal, "notifier", alert)
    assert status == 200, rehearsal.functions["notifier"].log()[-3000:]
    sent = [call for call in rehearsal.bot.calls if call.method in ("sendMessage", "sendPhoto")]
    assert any(str(TELEGRAM_ID) in call.body.decode(errors="replace") for call in sent), sent


def test_the_webhook_answers_a_telegram_update(rehearsal) -> None:
    update = {"update_id": 9001, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/start",
        "chat": {"id": TELEGRAM_ID, "type": "private"},
        "from": {"id": TELEGRAM_ID, "is_bot": False, "first_name": "Ada"}}}
    status, text = post_json(rehearsal.url("telegram_webhook"), update,
                             {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
    assert status == 200, rehearsal.functions["telegram_webhook"].log()[-3000:]
    wrong, _ = post_json(rehearsal.url("telegram_webhook"), update,
                         {"X-Telegram-Bot-Api-Secret-Token": "wrong"})
    assert wrong == 401


def test_every_function_logs_no_error(rehearsal) -> None:
    for name, running in rehearsal.functions.items():
        errors = [line for line in running.log().splitlines()
                  if '"severity": "ERROR"' in line or "Traceback" in line]
        assert not errors, (name, errors[:5])


def test_the_functions_run_the_bytecode_the_build_compiled(rehearsal) -> None:
    """After the requests above, no module of the source was compiled again: the build's .pyc
    are still valid once the image has normalized every mtime (decision 0114). A stale one
    is recompiled and rewritten by the first import, on every new instance."""
    for name, running in rehearsal.functions.items():
        compiled = list(running.folder.rglob("*.pyc"))
        rewritten = [str(p.relative_to(running.folder)) for p in compiled
                     if p.stat().st_mtime != staging.IMAGE_MTIME]
        assert compiled and not rewritten, (name, rewritten[:5])
