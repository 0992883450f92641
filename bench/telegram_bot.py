"""Telegram figures: the webhook's answer time and the notifier's throughput against the limits.

- webhook: 200 real-shaped updates (commands that queue analyses, /help, plain text, button
  presses) posted in process to the ``telegram_webhook`` function on the embedded store and
  bus; p50/p99 of the answer time (target p99 < 150 ms).
- notifier: analyses delivered through the function's code path, the Bot API adapter and the
  local sink, (a) on virtual time to show the limits hold at full load, (b) on real time for a
  short burst, to show the real rate stays under 30 messages/s.

``PYTHONPATH=. .venv/bin/python bench/telegram_bot.py`` (not ``telegram.py``: run as a script
it would shadow the ``telegram`` package)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from local.functions import load_function
from local.telegram_sink import SinkTransport, TelegramSink
from local.telegram_updates import callback_update, message_update
from shared import bootstrap
from shared.adapters.telegram_api import TelegramBotApi
from shared.bot.send_queue import Limits, SendQueue, SystemClock, VirtualClock
from shared.config import Settings
from shared.services import analyses
from shared.services.telegram_delivery import deliver

SECRET = "bench-secret"


def updates(count: int) -> list[dict[str, object]]:
    made: list[dict[str, object]] = []
    for n in range(count):
        sender = {"id": 10_000 + n, "is_bot": False, "first_name": "B", "language_code": "en"}
        kind = n % 4
        if kind == 0:
            made.append(message_update(n + 1, "/analyze BTC/USDT 4h", sender=sender))
        elif kind == 1:
            made.append(message_update(n + 1, "/help", sender=sender))
        elif kind == 2:
            made.append(message_update(n + 1, "eth", sender=sender))
        else:
            made.append(callback_update(n + 1, "tf|a|ETH/USDT|1d", sender=sender))
    return made


def bench_webhook(data: Path, count: int = 200) -> tuple[float, float]:
    os.environ["TELEGRAM_WEBHOOK_SECRET"] = SECRET
    bootstrap.reset(bootstrap.Container(Settings(env="test", data_dir=data / "webhook")))
    # The entry module refuses to load without an explicit environment; this process runs it
    # as the tests do, and puts the caller's environment back afterwards.
    with mock.patch.dict(os.environ, {"CHARTGENIUS_ENV": "test"}):
        client = load_function("telegram_webhook").test_client()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    client.post("/", json=message_update(10**9, "/help"), headers=headers)  # warm
    samples = []
    for update in updates(count):
        start = time.perf_counter()
        answer = client.post("/", json=update, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, answer.data
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def queue_analyses(ports: bootstrap.Container, chats: list[int]) -> list[object]:
    from shared.events import AnalysisFailed

    events: list[object] = []
    for n, chat in enumerate(chats):
        doc = analyses.new(f"b{n}", str(abs(chat)), "BTC/USDT", "4h", deadline_seconds=60,
                           chat_id=chat)
        ports.store.create("analyses", doc.id, {**doc.model_dump(mode="json"),
                                                "status": "failed", "error": "benchmark"})
        events.append(AnalysisFailed(event_id=f"b{n}:failed", correlation_id=doc.id,
                                     analysis_id=doc.id, user_id=doc.user_id,
                                     symbol="BTC/USDT", timeframe="4h", reason="benchmark"))
    return events


def bench_notifier(data: Path, chats: list[int], clock: VirtualClock | SystemClock) -> dict:
    ports = bootstrap.Container(Settings(env="test", data_dir=data))
    sink = TelegramSink(clock=clock.now)
    api = TelegramBotApi("http://127.0.0.1:1/telegram-sink", "T", transport=SinkTransport(sink))
    queue = SendQueue(Limits(), clock)
    events = queue_analyses(ports, chats)
    start_wall, start_clock = time.perf_counter(), clock.now()
    for event in events:
        deliver(ports.store, ports.blobs, api, queue, event)  # type: ignore[arg-type]
    wall = time.perf_counter() - start_wall
    elapsed = clock.now() - start_clock
    times = [float(call["at"]) for call in sink.sent()]
    sent = len(times)
    return {"sent": sent, "elapsed": elapsed, "rate": (sent - 1) / elapsed if elapsed else 0.0,
            "max_1s": max_in_window(times, 1.0), "max_60s": max_in_window(times, 60.0),
            "wall_ms_per_message": wall * 1000 / sent}


def max_in_window(times: list[float], window: float) -> int:
    """The most messages sent in any window of this many seconds."""
    best, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= window:
            first += 1
        best = max(best, last - first + 1)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        p50, p99 = bench_webhook(data)
        verdict = "ok" if p99 < 150 else "OVER"
        print(f"webhook answer time   p50 {p50:6.1f} ms  p99 {p99:6.1f} ms "
              f"over 200 updates  [target p99 < 150 ms] {verdict}")
        private = bench_notifier(data / "n1", list(range(1, 601)), VirtualClock())
        print(f"notifier, 600 private chats (virtual time): {private['rate']:5.1f} msg/s "
              f"sustained, at most {private['max_1s']} in any second [limit 30/s]; "
              f"{private['wall_ms_per_message']:.2f} ms of work per message")
        chat = bench_notifier(data / "n4", [7] * 10, VirtualClock())
        print(f"notifier, 10 messages to one private chat (virtual time): at most "
              f"{chat['max_1s']} in any second [limit 1/s]")
        group = bench_notifier(data / "n2", [-100] * 45, VirtualClock())
        print(f"notifier, 45 messages to one group (virtual time): {group['sent']} in "
              f"{group['elapsed']:.0f} s, at most {group['max_60s']} in any minute "
              f"[limit 20/min]")
        real = bench_notifier(data / "n3", list(range(1, 91)), SystemClock())
        print(f"notifier, 90 private chats (real time): {real['sent']} in "
              f"{real['elapsed']:.2f} s, at most {real['max_1s']} in any second [limit 30/s]")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
