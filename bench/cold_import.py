"""Import time of each function's entry module in a fresh process (its cold start).

Targets: api, telegram_webhook, notifier < 400 ms; market_fetcher, analyzer < 800 ms.
Prints the median of N fresh processes (default 5) per function.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile

from bench.local_system import ROOT

TARGETS_MS = {"api": 400, "telegram_webhook": 400, "notifier": 400, "market_fetcher": 800,
              "analyzer": 800}
PROBE = """
import importlib.util, sys, time
start = time.perf_counter()
spec = importlib.util.spec_from_file_location("main", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
sys.stdout.write(str(time.perf_counter() - start))
"""


def measure(function: str, runs: int) -> float:
    source = ROOT / "functions" / function / "main.py"
    samples = []
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "CHARTGENIUS_DATA_DIR": data,
               "LOG_LEVEL": "WARNING"}
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", PROBE, str(source)], env=env, cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
            samples.append(float(out))
    return statistics.median(samples) * 1000


def main(runs: int = 5) -> dict[str, float]:
    figures = {}
    for function, target in TARGETS_MS.items():
        ms = measure(function, runs)
        figures[function] = round(ms, 1)
        verdict = "ok" if ms < target else "OVER"
        print(f"cold import {function:17s} {ms:7.1f} ms  [target < {target} ms] {verdict}")
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
