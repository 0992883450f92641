"""Loads each function's entry point exactly as functions-framework serves it."""

from __future__ import annotations

from pathlib import Path

import functions_framework
from flask import Flask

from shared import topics

ROOT = Path(__file__).resolve().parent.parent
HTTP_FUNCTIONS = ("api", "telegram_webhook")
EVENT_FUNCTIONS = ("market_fetcher", "analyzer", "notifier")


def load_function(name: str) -> Flask:
    signature = "http" if name in HTTP_FUNCTIONS else "cloudevent"
    source = ROOT / "functions" / name / "main.py"
    return functions_framework.create_app(target=name, source=str(source),
                                          signature_type=signature)


def load_all() -> dict[str, Flask]:
    return {name: load_function(name) for name in (*HTTP_FUNCTIONS, *EVENT_FUNCTIONS)}


class InProcessDelivery:
    """Delivers a Pub/Sub push (binary CloudEvent) to a subscriber function's app."""

    def __init__(self, apps: dict[str, Flask]) -> None:
        subscribers = {s for t in topics.registry().topics.values() for s in t.subscribers}
        missing = subscribers - set(apps)
        if missing:
            raise RuntimeError(f"no app for subscriber functions {sorted(missing)}")
        self.apps = apps

    def __call__(self, function: str, headers: dict[str, str], body: bytes) -> int:
        response = self.apps[function].test_client().post("/", headers=headers, data=body)
        return response.status_code
