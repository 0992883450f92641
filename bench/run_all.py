"""Runs every benchmark and prints its figures (``make bench``). Each script also runs alone:
``PYTHONPATH=. .venv/bin/python bench/<name>.py``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (  # noqa: E402
    admin_panel,
    analysis_engine,
    api_load,
    backtest,
    chunked_upload,
    cold_import,
    cold_start,
    e2e_latency,
    market_fetch,
    notifier_instances,
    scan,
    telegram_bot,
    web_app,
)

if __name__ == "__main__":
    for title, run in (
        ("Cold import", cold_import.main),
        ("Cold start (staged, own venv, production settings)", cold_start.main),
        ("End-to-end analysis", e2e_latency.main),
        ("Analysis engine", analysis_engine.main),
        ("Market data", market_fetch.main),
        ("Scheduled scan", scan.main),
        ("Telegram", telegram_bot.main),
        ("Telegram: three notifier instances sharing the limits", notifier_instances.main),
        ("API under load", api_load.main),
        ("Backtest", backtest.main),
        ("Chunked uploads against the body limit", chunked_upload.main),
        ("Web app: first-load bytes and time to a result in Chromium", web_app.main),
        ("Admin panel", admin_panel.main),
    ):
        sys.stdout.write(f"\n## {title}\n")
        sys.stdout.flush()
        run()
