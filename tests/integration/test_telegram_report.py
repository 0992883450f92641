"""The analysis report in Telegram, through the notifier, the webhook and a recording Bot API.

One sink plays Telegram for both sides: the notifier sends the chart and the report into it,
and a press on a report's button goes from it to the webhook, whose edit it executes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from local.functions import load_function
from local.telegram_sink import SinkTransport, TelegramSink
from local.telegram_updates import callback_update, message_update
from shared import delivery
from shared.adapters.telegram_api import TelegramBotApi
from shared.bootstrap import Container
from shared.bot import send_queue
from shared.bot.html_parts import check_html, units
from shared.bot.send_queue import Limits, SendQueue, VirtualClock
from shared.bot.set_webhook import set_webhook
from shared.charts import chart_path
from shared.events import AnalysisCompleted
from shared.models import Signal
from shared.services import analyses
from shared.services.users import ensure_user

SECRET = "s3cret"
WEB = "https://app.chartgenius.test"
ANN = {"id": 4242, "is_bot": False, "first_name": "Ann", "language_code": "en"}


@dataclass
class Telegram:
    ports: Container
    sink: TelegramSink
    notifier: Flask

    def deliver(self, event: AnalysisCompleted) -> None:
        data, attributes = delivery.encode(event)
        headers, body = delivery.to_cloudevent("test", event.topic, uuid.uuid4().hex, data,
                                               attributes)
        assert self.notifier.test_client().post("/", headers=headers, data=body).status_code \
            == 200

    def press(self, button: dict[str, Any], message_id: int, update_id: int) -> None:
        status, _ = self.sink.send_update(callback_update(
            update_id, button["callback_data"], sender=ANN, message_id=message_id))
        assert status == 200


@pytest.fixture
def telegram(ports: Container, monkeypatch: pytest.MonkeyPatch) -> Iterator[Telegram]:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    ports.settings.web_base_url = WEB
    webhook = load_function("telegram_webhook").test_client()

    def post(update: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        answer = webhook.post("/", json=update,
                              headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        return answer.status_code, answer.get_json(silent=True) or {}

    sink = TelegramSink(post)
    ports.override(messenger=TelegramBotApi("http://127.0.0.1:1/telegram-sink", "T0K",
                                            transport=SinkTransport(sink)))
    send_queue.install(SendQueue(Limits(max_retry_wait=30), VirtualClock()))
    yield Telegram(ports, sink, load_function("notifier"))
    send_queue.install(None)


RESULT: dict[str, Any] = {
    "symbol": "BTC/USDT", "timeframe": "4h", "as_of": "2025-08-26T04:00:00Z",
    "price": 109624.05, "signal": "buy", "confidence": 0.7,
    "summary": "A long written summary that belongs to the web page. " * 80,
    "indicators": {"rsi_14": 61.2, "macd": 310.5, "macd_signal": 250.1, "macd_hist": 60.4,
                   "ema_20": 108000.0, "ema_50": 106500.0, "ema_200": 98000.0,
                   "bb_upper": 112500.0, "bb_middle": 108900.0, "bb_lower": 105300.0,
                   "atr_14": 1450.0, "adx_14": 27.5},
    "source": "replay", "chart_url": "/api/analysis/x/chart.png",
    "levels": [{"price": 104250.5, "kind": "support", "strength": 3},
               {"price": 107010.0, "kind": "support", "strength": 2},
               {"price": 111980.0, "kind": "resistance", "strength": 4}],
    "bull_scenario": {"description": "up", "target": 111980.0, "invalidation": 107010.0},
    "bear_scenario": {"description": "down", "target": 107010.0, "invalidation": 111980.0},
    "key_points": ["Trend up on EMAs", "Nearest support 107,010.00, nearest resistance "
                   "111,980.00.", "1d agrees", "Volume rising", "A fourth point"],
}


def completed(ports: Container, *, language: str = "en") -> AnalysisCompleted:
    ensure_user(ports.store, ANN["id"])
    analysis_id = uuid.uuid4().hex
    doc = analyses.new(analysis_id, str(ANN["id"]), "BTC/USDT", "4h", language=language,
                       deadline_seconds=60, chat_id=int(ANN["id"]))
    ports.store.create("analyses", analysis_id, doc.model_dump(mode="json"))
    analyses.transition(ports.store, analysis_id, analyses.Status.completed,
                        result={**RESULT, "language": language})
    ports.blobs.put(chart_path(analysis_id), b"\x89PNG chart bytes", "image/png")
    return AnalysisCompleted(event_id=f"{analysis_id}:completed", correlation_id=analysis_id,
                             analysis_id=analysis_id, user_id=doc.user_id, symbol="BTC/USDT",
                             timeframe="4h", signal=Signal.buy, confidence=0.7)


def buttons(call: dict[str, Any]) -> list[dict[str, Any]]:
    markup = call["params"].get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def test_chart_then_one_actionable_message_with_a_caption_of_its_own(telegram) -> None:
    event = completed(telegram.ports)
    telegram.deliver(event)
    photo, report = telegram.sink.sent()
    assert (photo["method"], report["method"]) == ("sendPhoto", "sendMessage")
    caption, text = photo["params"]["caption"], report["params"]["text"]
    assert units(caption) <= 1024 and units(text) <= 4096 and check_html(text) == []
    lines = set(text.split("\n"))  # the caption shares no line with the message
    assert not lines & set(caption.split("\n"))
    assert "Buy" not in caption and "70%" not in caption
    assert "<b>Buy</b>, confidence 70%" in text
    assert "Close 109,624.05 · candle closed 2025-08-26 04:00 UTC" in text
    assert "Support 107,010.00 · Resistance 111,980.00" in text  # the nearest of each side
    assert "up to 111,980.00; invalidated below 107,010.00" in text
    assert text.count("• ") == 3 and "A fourth point" not in text
    assert "Nearest support" not in text  # it only restated the levels line
    assert "A long written summary" not in text  # the web page has it
    ind, web = buttons(report)
    assert ind["callback_data"] == f"ind|{event.analysis_id}"
    assert web["web_app"] == {"url": f"{WEB}/analysis/{event.analysis_id}"}


def test_russian_report_uses_russian_words_and_number_formats(telegram) -> None:
    telegram.deliver(completed(telegram.ports, language="ru"))
    _, report = telegram.sink.sent()
    text = report["params"]["text"]
    assert "<b>Покупать</b>, уверенность 70\u00a0%" in text
    assert "Закрытие 109\u00a0624,05 · свеча закрыта 26.08.2025 04:00 UTC" in text
    assert "Поддержка 107\u00a0010,00" in text
    assert [b["text"] for b in buttons(report)] == ["📊 Индикаторы", "Открыть полный анализ"]


def test_the_indicator_button_edits_the_report_and_leaves_no_dangling_button(telegram) -> None:
    telegram.deliver(completed(telegram.ports))
    _, report = telegram.sink.sent()
    telegram.press(buttons(report)[0], report["message_id"], 901)
    answer, edit = telegram.sink.sent()[2:]
    assert answer["method"] == "answerCallbackQuery"
    assert edit["method"] == "editMessageText" and "error" not in edit
    assert edit["params"]["message_id"] == report["message_id"]
    text = edit["params"]["text"]
    assert "RSI 14" in text and "61.2" in text and "ADX 14" in text
    assert units(text) <= 4096 and check_html(text) == []
    assert [b.get("callback_data") for b in buttons(edit)] == [None]  # only the web app left


def test_a_timeframe_press_turns_the_picker_into_the_queued_notice(telegram) -> None:
    telegram.sink.send_update(message_update(700, "/analyze ETH", sender=ANN))
    (picker,) = telegram.sink.sent()
    telegram.press(buttons(picker)[2], picker["message_id"], 701)
    answer, edit = telegram.sink.sent()[1:]
    assert answer["method"] == "answerCallbackQuery"
    assert edit["method"] == "editMessageText" and "error" not in edit
    assert "ETH/USDT 4h" in edit["params"]["text"] and "reply_markup" not in edit["params"]


def test_set_webhook_installs_the_mini_app_menu_button(telegram) -> None:
    set_webhook(telegram.ports, "https://bot.chartgenius.test/telegram/webhook")
    (menu,) = telegram.sink.sent("setChatMenuButton")
    assert menu["params"]["menu_button"] == {"type": "web_app", "text": "Analysis",
                                             "web_app": {"url": WEB}}


def test_the_sink_serves_each_photo_and_refuses_edits_of_unknown_messages(telegram) -> None:
    telegram.deliver(completed(telegram.ports))
    photo, _ = telegram.sink.sent()
    served = telegram.sink.app.test_client().get(f"/telegram-sink/files/{photo['seq']}")
    assert served.status_code == 200 and served.data == b"\x89PNG chart bytes"
    body, status = telegram.sink.bot_api("editMessageText", {"chat_id": 4242,
                                                             "message_id": 99, "text": "x"})
    assert status == 400 and "not found" in body["description"]


def test_the_forming_candle_is_shown_apart_as_the_live_price(telegram) -> None:
    event = completed(telegram.ports)
    telegram.ports.store.update("analyses", event.analysis_id, {"result": {
        **RESULT, "closed_at": "2025-08-26T04:00:00Z", "live_price": 109700.5,
        "live_at": "2025-08-26T05:13:00Z"}})
    telegram.deliver(event)
    _, report = telegram.sink.sent()
    assert ("Close 109,624.05 · candle closed 2025-08-26 04:00 UTC · live 109,700.50 "
            "(2025-08-26 05:13 UTC)") in report["params"]["text"]
