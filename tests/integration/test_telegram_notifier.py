"""The notifier's Telegram delivery, through the function and the Bot API adapter into the sink.

The send queue runs on a virtual clock (no real sleeps); the sink refuses what Telegram
refuses (long texts, invalid HTML) and can be told to answer 429 or 403.
"""

from __future__ import annotations

import uuid

from shared.bootstrap import Container
from shared.bot.html_parts import check_html, units
from shared.charts import chart_path
from shared.events import AlertTriggered, AnalysisCompleted, AnalysisFailed
from shared.models import Signal
from shared.services import analyses
from shared.services.users import ensure_user

CHAT = 555


def completed(ports: Container, summary: str, *, chat_id: int = CHAT, language: str = "en",
              chart_url: str | None = None) -> AnalysisCompleted:
    ensure_user(ports.store, chat_id if chat_id > 0 else 1)
    analysis_id = uuid.uuid4().hex
    doc = analyses.new(analysis_id, str(chat_id if chat_id > 0 else 1), "BTC/USDT", "4h",
                       language=language, deadline_seconds=60, chat_id=chat_id)
    ports.store.create("analyses", analysis_id, doc.model_dump(mode="json"))
    result = {"symbol": "BTC/USDT", "timeframe": "4h", "as_of": "2025-08-26T00:00:00Z",
              "price": 109624.05, "signal": "buy", "confidence": 0.7, "summary": summary,
              "indicators": {k: 1.5 for k in ("rsi_14", "macd", "macd_signal", "macd_hist",
                                              "ema_20", "ema_50", "ema_200", "bb_upper",
                                              "bb_middle", "bb_lower", "atr_14")},
              "source": "replay", "chart_url": chart_url}
    analyses.transition(ports.store, analysis_id, analyses.Status.completed, result=result)
    return AnalysisCompleted(event_id=f"{analysis_id}:completed", correlation_id=analysis_id,
                             analysis_id=analysis_id, user_id=doc.user_id, symbol="BTC/USDT",
                             timeframe="4h", signal=Signal.buy, confidence=0.7)


def long_summary() -> str:
    """About 10,000 characters in numbered paragraphs, with characters HTML must escape."""
    paragraphs = [f"¶{n:03d} " + "RSI < 30 & MACD > signal; <b>not a tag</b> " * 6
                  for n in range(40)]
    return "\n\n".join(paragraphs)


def test_a_10000_character_summary_still_gives_one_valid_message(notifier) -> None:
    summary = long_summary()
    assert len(summary) >= 10_000
    event = completed(notifier.ports, summary)
    assert notifier.post(event) == 200
    (call,) = notifier.sink.sent("sendMessage")
    text = call["params"]["text"]
    assert units(text) <= 4096 and check_html(text) == []
    assert "¶000" in text and "¶001" not in text  # the first paragraph stands for key points
    assert "&lt;b&gt;not a tag&lt;/b&gt;" in text and "<b>not a tag" not in text


def test_the_event_twice_is_delivered_once(notifier) -> None:
    event = completed(notifier.ports, "Short report.")
    assert notifier.post(event) == 200
    assert notifier.post(event) == 200
    assert len(notifier.sink.sent("sendMessage")) == 1
    assert len(notifier.ports.store.query("notifications")) == 1


def test_429_is_retried_after_retry_after(notifier) -> None:
    notifier.sink.fail_next("sendMessage", 429, retry_after=3)
    assert notifier.post(completed(notifier.ports, "Short report.")) == 200
    assert [c["method"] for c in notifier.sink.sent()] == ["sendMessage", "sendMessage"]
    assert 3 in notifier.clock.sleeps


def test_a_long_flood_wait_goes_back_to_pubsub_and_resumes(notifier) -> None:
    event = completed(notifier.ports, long_summary())
    notifier.sink.fail_next("sendMessage", 429, retry_after=40)
    assert notifier.post(event) == 500  # Pub/Sub redelivers later
    assert notifier.post(event) == 200
    texts = [c["params"]["text"] for c in notifier.sink.sent("sendMessage")]
    assert len(texts) == 1 + len(set(texts))  # the refused part was sent again, nothing else


def test_403_marks_the_user_inactive_without_retrying(notifier) -> None:
    notifier.sink.fail_next("sendMessage", 403)
    assert notifier.post(completed(notifier.ports, long_summary())) == 200
    assert len(notifier.sink.sent()) == 1
    user = notifier.ports.store.get("users", str(CHAT))
    assert user is not None and user["active"] is False
    assert notifier.post(completed(notifier.ports, "Another.")) == 200
    assert len(notifier.sink.sent()) == 1


def test_failure_and_alert_in_the_users_language(notifier) -> None:
    ports = notifier.ports
    ensure_user(ports.store, 900)
    ports.store.update("users", "900", {"language": "ru"})
    alert = AlertTriggered(correlation_id="s1", alert_id="al1", user_id="900",
                           symbol="BTC/USDT", timeframe="1d", message="BTC above 100k <!>")
    assert notifier.post(alert) == 200
    event = completed(ports, "x", language="ru")
    analyses.transition(ports.store, event.analysis_id, analyses.Status.failed)
    failed = AnalysisFailed(event_id=f"{event.analysis_id}:failed",
                            correlation_id=event.analysis_id, analysis_id=event.analysis_id,
                            user_id=str(CHAT), symbol="BTC/USDT", timeframe="4h",
                            reason="no source")
    ports.store.update("analyses", event.analysis_id, {"error": "no source", "result": None})
    assert notifier.post(failed) == 200
    (to_user, to_chat) = notifier.sink.sent("sendMessage")
    assert to_user["params"]["chat_id"] == 900 and "BTC above 100k &lt;!&gt;" in \
        to_user["params"]["text"]
    assert to_chat["params"]["chat_id"] == CHAT and "анализ не удался" in \
        to_chat["params"]["text"] and "no source" in to_chat["params"]["text"]


def test_the_chart_goes_first_as_a_photo_with_a_short_caption(notifier) -> None:
    ports = notifier.ports
    event = completed(ports, "Report.", chart_url="/api/analysis/x/chart.png")
    ports.blobs.put(chart_path(event.analysis_id), b"\x89PNG fake", "image/png")
    assert notifier.post(event) == 200
    photo, report = notifier.sink.sent()
    assert photo["method"] == "sendPhoto" and photo["params"]["photo"]["bytes"] == 9
    assert units(photo["params"]["caption"]) <= 1024 and "BTC/USDT" in photo["params"]["caption"]
    assert report["method"] == "sendMessage" and "Report." in report["params"]["text"]


def test_web_requests_get_no_telegram_message(notifier) -> None:
    event = completed(notifier.ports, "Report.")
    notifier.ports.store.update("analyses", event.analysis_id, {"chat_id": None})
    assert notifier.post(event) == 200
    assert notifier.sink.sent() == []
    assert len(notifier.ports.store.query("notifications")) == 1
