"""Cold start of each function, in fresh processes (median of N runs, default 5).

- import: the entry module loaded as functions-framework loads it. Targets: api,
  telegram_webhook, notifier < 400 ms; market_fetcher, analyzer < 800 ms.
- first answer (HTTP functions): import plus the first request answered in process, so a
  cost moved from import time to the first request still shows.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

from bench.local_system import ROOT

TARGETS_MS = {"api": 400, "telegram_webhook": 400, "notifier": 400, "market_fetcher": 800,
              "analyzer": 800}
FIRST_REQUEST = {
    "api": ("GET", "/health", None, {}),
    "telegram_webhook": ("POST", "/", {"update_id": 1, "message": {
        "message_id": 1, "date": 0, "text": "/help", "chat": {"id": 5, "type": "private"},
        "from": {"id": 5, "is_bot": False, "first_name": "A"}}},
        {"X-Telegram-Bot-Api-Secret-Token": "bench"}),
}
IMPORT_PROBE = """
import importlib.util, json, sys, time
start = time.perf_counter()
spec = importlib.util.spec_from_file_location("main", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
sys.stdout.write(json.dumps(time.perf_counter() - start))
"""
ANSWER_PROBE = """
import json, sys, time
start = time.perf_counter()
import functions_framework
app = functions_framework.create_app(sys.argv[2], sys.argv[1], "http")
method, path, body, headers = json.loads(sys.argv[3])
reply = app.test_client().open(path, method=method, json=body, headers=headers)
assert reply.status_code == 200, reply.data
sys.stdout.write(json.dumps(time.perf_counter() - start))
"""


def _run(args: list[str], env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", *args], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return float(json.loads(out))


def measure(function: str, runs: int) -> tuple[float, float | None]:
    source = str(ROOT / "functions" / function / "main.py")
    request = FIRST_REQUEST.get(function)
    imported, answered = [], []
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "CHARTGENIUS_DATA_DIR": data,
               "CHARTGENIUS_ENV": "local", "CHARTGENIUS_DEV_LOGIN": "1",
               "LOG_LEVEL": "WARNING", "TELEGRAM_WEBHOOK_SECRET": "bench"}
        for _ in range(runs):
            imported.append(_run([IMPORT_PROBE, source], env))
            if request is not None:
                answered.append(_run([ANSWER_PROBE, source, function, json.dumps(request)], env))
    median_answer = statistics.median(answered) * 1000 if answered else None
    return statistics.median(imported) * 1000, median_answer


def main(runs: int = 5) -> dict[str, float]:
    figures = {}
    for function, target in TARGETS_MS.items():
        ms, first = measure(function, runs)
        figures[function] = round(ms, 1)
        verdict = "ok" if ms < target else "OVER"
        line = f"cold import {function:17s} {ms:7.1f} ms  [target < {target} ms] {verdict}"
        if first is not None:
            line += f"; import + first answer {first:.1f} ms"
        print(line)
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
