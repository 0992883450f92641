"""What a cold start does not need stays out of it (decision 0114).

Each function's entry module is imported as functions-framework imports it, with the production
wiring, in a fresh interpreter; the libraries only a later step uses must not be loaded yet.
``bench/cold_start.py`` measures the time; these tests keep the choices from slipping back.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PRODUCTION = {"CHARTGENIUS_ENV": "production", "CHARTGENIUS_STORE": "firestore",
              "CHARTGENIUS_BUS": "pubsub", "CHARTGENIUS_BLOBS": "gcs",
              "GOOGLE_CLOUD_PROJECT": "cold-imports"}
PROBE = """
import json, sys
import functions_framework
functions_framework.create_app(sys.argv[1], sys.argv[2], sys.argv[3])
print(json.dumps(sorted(sys.modules)))
"""
# loaded by the step that needs them: the store's first call, the first analysis or chart,
# the first blob, the first exchange fetch, the first Telegram update
LATER = ("google.cloud.firestore", "google.cloud.storage", "google.cloud.pubsub_v1",
         "google.cloud.secretmanager", "talib", "numpy", "pandas", "matplotlib", "ccxt",
         "google.genai", "telegram", "jinja2.sandbox", "prometheus_client", "firebase_admin",
         "pydantic_settings")  # the last: settings are read by shared/config.py itself
# the HTTP and notifier functions never run an event loop: asyncio is the fetchers' (0.03 s)
SYNCHRONOUS = ("asyncio",)
SIGNATURE = {"api": "http", "telegram_webhook": "http"}


@pytest.mark.parametrize("function", ["api", "telegram_webhook", "notifier", "market_fetcher",
                                      "analyzer"])
def test_an_entry_module_loads_nothing_its_first_request_does_not_need(
        function: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTGENIUS_")}
    env.update(PRODUCTION, PYTHONPATH=str(ROOT), CHARTGENIUS_DATA_DIR=str(tmp_path))
    loaded = subprocess.run(  # noqa: S603 - our own interpreter and file
        [sys.executable, "-c", PROBE, function, f"functions/{function}/main.py",
         SIGNATURE.get(function, "cloudevent")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    modules = set(json.loads(loaded.stdout))
    early = [name for name in LATER if name in modules]
    if function in ("api", "telegram_webhook", "notifier"):
        early += [name for name in SYNCHRONOUS if name in modules]
    assert not early, f"{function} imports {early} before its first request"


def test_every_model_builds_its_validator_on_first_use() -> None:
    """A pydantic model in shared/ derives from ``shared.basemodel.Model`` (``defer_build``),
    so importing the models a request does not use costs no schema building."""
    direct = []
    for path in sorted((ROOT / "shared").rglob("*.py")):
        if path.name == "basemodel.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(base, ast.Name) and base.id == "BaseModel" for base in node.bases):
                direct.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert not direct, f"derive from shared.basemodel.Model instead: {direct}"


GC_PROBE = """
import gc, sys
import functions_framework
app = functions_framework.create_app("api", "functions/api/main.py", "http")
loaded = gc.isenabled()
response = app.test_client().get("/health")
during = gc.isenabled()
response.close()
print(loaded, during, gc.isenabled(), response.status_code)
"""


def test_the_collector_is_off_until_the_first_answer_is_sent(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTGENIUS_")}
    env.update(CHARTGENIUS_ENV="test", PYTHONPATH=str(ROOT), CHARTGENIUS_DATA_DIR=str(tmp_path),
               K_SERVICE="api")  # a deployed instance
    probed = subprocess.run(  # noqa: S603 - our own interpreter and file
        [sys.executable, "-c", GC_PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True)
    assert probed.stdout.split() == ["False", "False", "True", "200"], probed.stderr[-2000:]


UPDATE_PROBE = """
import json, sys
import functions_framework
app = functions_framework.create_app("telegram_webhook", "functions/telegram_webhook/main.py",
                                     "http")
update = {"update_id": 1, "message": {
    "message_id": 1, "date": 0, "text": "/help", "chat": {"id": 5, "type": "private"},
    "from": {"id": 5, "is_bot": False, "first_name": "A"},
    "entities": [{"offset": 0, "length": 5, "type": "bot_command"}]}}
answer = app.test_client().post("/", json=update,
                                headers={"X-Telegram-Bot-Api-Secret-Token": "cold"})
print(json.dumps({"status": answer.status_code, "method": answer.get_json().get("method"),
                  "telegram": sorted(m for m in sys.modules if m.split(".")[0] == "telegram")}))
"""


def test_the_webhook_answers_its_first_update_without_python_telegram_bot(
        tmp_path: Path) -> None:
    """The update is parsed by the bot's own models (decision 0118), not the library's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTGENIUS_")}
    env.update(CHARTGENIUS_ENV="test", PYTHONPATH=str(ROOT), CHARTGENIUS_DATA_DIR=str(tmp_path),
               TELEGRAM_WEBHOOK_SECRET="cold")
    probed = subprocess.run(  # noqa: S603 - our own interpreter and file
        [sys.executable, "-c", UPDATE_PROBE], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120, check=False)
    assert probed.returncode == 0, probed.stderr[-2000:]
    assert json.loads(probed.stdout.splitlines()[-1]) == {
        "status": 200, "method": "sendMessage", "telegram": []}
