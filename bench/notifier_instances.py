"""Three notifier instances sharing Telegram's limits through the store (decision 0113).

Each instance is a thread with its own send queue, booking its slots in one SQLite store (the
embedded adapter; Firestore runs the same code), and sends through the Bot API adapter to
the local sink. (a) On virtual time, each instance on its own clock: the combined rate, the
most messages in any second, and the store work per message. (b) On real time for a short
burst: the real combined rate stays under 30 messages/s.

``PYTHONPATH=. .venv/bin/python bench/notifier_instances.py``
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.telegram_bot import max_in_window
from local.telegram_sink import SinkTransport, TelegramSink
from shared.adapters.sqlite_store import SqliteDocumentStore
from shared.adapters.telegram_api import TelegramBotApi
from shared.bot.send_queue import Clock, Limits, SendQueue, VirtualClock, WallClock
from shared.bot.send_slots import StoreSendSlots
from shared.ports import DocumentStore
from shared.services.telegram_delivery import Delivery, Part, send

INSTANCES = 3


def run(store: DocumentStore, work: list[int], make_clock: type[Clock]) -> dict[str, float]:
    clocks: dict[int, Clock] = {}
    sink = TelegramSink(clock=lambda: clocks[threading.get_ident()].now())

    def instance(number: int) -> None:
        clock = make_clock()
        clocks[threading.get_ident()] = clock
        queue = SendQueue(Limits(), clock, StoreSendSlots(store))
        api = TelegramBotApi("http://127.0.0.1:1/telegram-sink", "T", transport=SinkTransport(sink))
        for index in range(number, len(work), INSTANCES):
            send(store, api, queue, f"{make_clock.__name__}{index}",
                 Delivery(work[index], str(abs(work[index])), [Part(f"message {index}")]))

    threads = [threading.Thread(target=instance, args=(n,)) for n in range(INSTANCES)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    times = sorted(float(call["at"]) for call in sink.sent())
    elapsed = times[-1] - times[0]
    return {"sent": len(times), "rate": (len(times) - 1) / elapsed if elapsed else 0.0,
            "max_1s": max_in_window(times, 1.0), "elapsed": elapsed,
            "work_ms": wall * 1000 * INSTANCES / len(times)}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteDocumentStore(Path(tmp) / "store.sqlite3")
        virtual = run(store, list(range(1, 601)), VirtualClock)
        print(f"3 notifier instances, 600 private chats (virtual time): {virtual['rate']:5.1f} "
              f"msg/s combined, at most {virtual['max_1s']} in any second [limit 30/s]; "
              f"{virtual['work_ms']:.1f} ms of work per message (booking in the store)")
        real = run(store, list(range(1001, 1091)), WallClock)
        print(f"3 notifier instances, 90 private chats (real time): {real['sent']} in "
              f"{real['elapsed']:.2f} s = {real['rate']:.1f} msg/s, at most {real['max_1s']} "
              f"in any second [limit 30/s]")
        store.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
