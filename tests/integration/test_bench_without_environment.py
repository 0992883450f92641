"""`make bench` runs after `make run` alone, in a shell with no CHARTGENIUS_ENV: a bench that
loads an entry module in its own process gives it the environment it needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_webhook_bench_runs_without_chartgenius_env(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTGENIUS_")}
    script = ("import sys; from pathlib import Path; from bench.telegram_bot import bench_webhook;"
              " import os; p50, p99 = bench_webhook(Path(sys.argv[1]), count=4);"
              " print(p50 > 0, 'CHARTGENIUS_ENV' in os.environ)")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT,
                            env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    # measured, and the caller's environment is left as it was
    assert result.stdout.strip().splitlines()[-1] == "True False"
