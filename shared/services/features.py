"""The feature flags: each ``FEATURE_*`` flag, what it switches, and where it is read.

A flag's value is the admin's setting (``settings/features``: ``flags`` → bool) when set,
else the environment variable of the same name, else its default. Every flag here is read
by the code named in its description; a flag nothing reads is not listed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from shared.ports import DocumentStore

SETTINGS, DOC = "settings", "features"


@dataclass(frozen=True)
class Flag:
    name: str
    default: bool
    description: str


FLAGS = {f.name: f for f in (
    Flag("FEATURE_ASYNC_ANALYSIS", True,
         "POST /api/analysis answers 202 at once and the client follows the analysis live; "
         "off: the API waits for the outcome (up to the deadline) and answers with it "
         "(shared/api/analysis_routes.py)"),
    Flag("FEATURE_LIVE_NOTIFICATIONS", True,
         "alerts and admin messages are pushed to Telegram as they happen; off: they reach "
         "the web inbox only (shared/services/notify.py)"),
    Flag("FEATURE_LIVE_MARKET_SOURCES", True,
         "the market-data chain may call live exchanges; off: only the bundled replay "
         "candles are used (shared/services/fetch_market.py)"),
    Flag("FEATURE_ADMIN_PANEL", True,
         "the admin API and panel; off: only system health and the flags stay reachable "
         "(shared/api/admin_gate.py)"),
    Flag("FEATURE_PROMPT_MANAGEMENT", True,
         "the analyzer uses the admin-managed prompt versions and admins may change them; "
         "off: the bundled default prompts, and prompt changes are refused "
         "(functions/analyzer/main.py, shared/api/prompt_routes.py)"),
)}


def _settings(store: DocumentStore) -> dict[str, Any]:
    flags = (store.get(SETTINGS, DOC) or {}).get("flags") or {}
    return flags if isinstance(flags, dict) else {}


def _environment(name: str) -> bool | None:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return None
    return raw.strip().lower() in ("1", "true", "yes", "on")


def enabled(store: DocumentStore, name: str) -> bool:
    flag = FLAGS[name]  # a KeyError here is a typo in the caller: fail loudly
    stored = _settings(store)
    if name in stored:
        return bool(stored[name])
    env = _environment(name)
    return flag.default if env is None else env


def listing(store: DocumentStore) -> list[dict[str, Any]]:
    """Every flag with its value and where the value comes from."""
    stored = _settings(store)
    out = []
    for flag in FLAGS.values():
        env = _environment(flag.name)
        if flag.name in stored:
            value, origin = bool(stored[flag.name]), "setting"
        elif env is not None:
            value, origin = env, "environment"
        else:
            value, origin = flag.default, "default"
        out.append({"name": flag.name, "enabled": value, "source": origin,
                    "default": flag.default, "description": flag.description})
    return out


def seed(store: DocumentStore) -> None:
    """Write every flag's current value as a setting once (the local first run)."""
    if store.get(SETTINGS, DOC) is None:
        store.set(SETTINGS, DOC, {"flags": {f["name"]: f["enabled"] for f in listing(store)},
                                  "updated_by": "seed"})
