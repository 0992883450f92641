"""Cold start as production has it: process start to first answer, per function, median of 5.

Each function is staged as ``deploy.sh --build-only`` stages it, runs in its own Python 3.12
venv installed from its lock (cached under ``.tools/rehearsal``, as the deploy rehearsal does),
under functions-framework (gunicorn) with the production settings, against the Firestore
emulator, fake-gcs-server and a fake Pub/Sub publisher. The clock starts when the process is
spawned and stops when the first request — one the function really serves, reaching Firestore —
is answered. Targets: api, telegram_webhook, notifier <= 0.8 s; market_fetcher, analyzer <= 1.5 s.
Needs the emulators (``make test-deps``); without them it says so and measures nothing.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from bench.local_system import ROOT

TARGETS_S = {"api": 0.8, "telegram_webhook": 0.8, "notifier": 0.8, "market_fetcher": 1.5,
             "analyzer": 1.5}


def first_request(name: str) -> tuple[str, bytes, dict[str, str]]:
    """(path, body, headers) of a request the function answers with 200 after a store read."""
    from shared import delivery
    from shared.events import AlertTriggered, AnalysisRequested, MarketFetched
    from shared.models import Candles
    from tests.rehearsal.production import WEBHOOK_SECRET

    if name == "api":
        return "/health", b"", {}
    if name == "telegram_webhook":
        update = {"update_id": int(time.time() * 1000) % 2**31, "message": {
            "message_id": 1, "date": int(time.time()), "text": "/help",
            "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "is_bot": False, "first_name": "A"}}}
        return "/", json.dumps(update).encode(), {
            "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    event = {  # for an analysis that does not exist: read, rejected and acknowledged
        "market_fetcher": AnalysisRequested(correlation_id="cold", analysis_id="cold-missing",
                                            user_id="7", symbol="BTC/USDT", timeframe="1d"),
        "analyzer": MarketFetched(correlation_id="cold", analysis_id="cold-missing",
                                  symbol="BTC/USDT", timeframe="1d", source="binance",
                                  candles=Candles(timestamps=[], open=[], high=[], low=[],
                                                  close=[], volume=[])),
        "notifier": AlertTriggered(correlation_id="cold", alert_id="cold", user_id="cold-user",
                                   symbol="BTC/USDT", timeframe="1d", message="cold start"),
    }[name]
    data, attributes = delivery.encode(event)
    headers, body = delivery.to_cloudevent("p", event.topic, f"cold-{time.time_ns()}", data,
                                           attributes)
    return "/", body, headers


def one_start(name: str, staged: Path, venv: Path, env: dict[str, str],
              work: Path) -> tuple[float, float]:
    """(process start to first answer, of which the first request) in seconds."""
    from tests.rehearsal import staging

    path, body, headers = first_request(name)
    started = time.perf_counter()
    running = staging.start(name, staged, venv, env, work)
    try:
        # polled every 5 ms, so that the figure holds at most 5 ms of waiting for the port
        staging.wait_until_listening(running, timeout=60, poll_seconds=0.005)
        listening = time.perf_counter()
        status, text = staging.post(running.url + path, body, headers) if body else _get(
            running.url + path)
        answered = time.perf_counter()
        if status != 200:
            raise RuntimeError(f"{name} answered {status}: {text[:300]}\n{running.log()[-2000:]}")
        return answered - started, answered - listening
    finally:
        running.stop()


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop, best of 3: how fast this (shared) machine is now."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(range(10**7))
        best = min(best, time.perf_counter() - started)
    return best


def _get(url: str) -> tuple[int, str]:
    import urllib.request

    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
        return response.status, response.read().decode()


def main(runs: int = 5) -> dict[str, float]:
    from tests.contract import emulators
    from tests.contract.firestore_rest_front import FirestoreRestFront
    from tests.rehearsal import staging
    from tests.rehearsal.fake_google import google_and_telegram, service_account_key
    from tests.rehearsal.fake_pubsub import FakePublisher
    from tests.rehearsal.production import PROJECT, production_env

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        work = Path(tmp)
        try:
            firestore = emulators.start_firestore(work)
            stack.callback(firestore.stop)
            gcs = emulators.start_fake_gcs(work)
            stack.callback(gcs.stop)
            staged = staging.build_archives(work)
            venvs = {name: staging.function_venv(name, folder) for name, folder in staged.items()}
        except (emulators.EmulatorUnavailable, staging.StagingFailed) as exc:
            print(f"cold start: not measured ({str(exc).splitlines()[0]})")
            return figures
        front = FirestoreRestFront(firestore.host).start()
        stack.callback(front.stop)
        pubsub = FakePublisher().start()
        stack.callback(pubsub.stop)
        google_url, _ = stack.enter_context(google_and_telegram())
        hosts = {"firestore": firestore.host, "firestore_rest": front.url, "gcs": gcs.host,
                 "pubsub": pubsub.host,
                 "llm": google_url, "binance": google_url, "google": google_url}
        env = production_env(hosts, service_account_key(work / "key.json", PROJECT,
                                                        f"{google_url}/token"))
        print(f"cold start: this machine's speed now: {reference_loop():.2f} s for a reference "
              f"loop (sum(range(10**7)); the figures below scale with it)")
        for name, target in TARGETS_S.items():
            one_start(name, staged[name], venvs[name], env, work)  # writes the .pyc files
            starts = [one_start(name, staged[name], venvs[name], env, work)
                      for _ in range(runs)]
            times = [total for total, _ in starts]
            figures[name] = median = statistics.median(times)
            first = statistics.median(request for _, request in starts)
            verdict = "ok" if median <= target else "OVER"
            print(f"cold start {name:17s} {median:6.2f} s  (process start to first answer, "
                  f"median of {runs}; min {min(times):.2f} s; the first request "
                  f"{first:.2f} s) [target <= {target} s] {verdict}")
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
