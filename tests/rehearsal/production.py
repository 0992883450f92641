"""The settings Terraform gives every function (infra/envs/prod/functions.tf), pointed at the
local emulators and fakes: shared by the deploy rehearsal and bench/cold_start.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

PROJECT = "chartgenius-rehearsal"
BUCKET = "chartgenius-rehearsal-data"
BOT_TOKEN = "123456:rehearsal-bot-token"  # noqa: S105 - a fake bot's token
WEBHOOK_SECRET = "rehearsal-webhook-secret"  # noqa: S105
FUNCTIONS_TF = Path(__file__).parents[2] / "infra" / "envs" / "prod" / "functions.tf"


def gunicorn_env(name: str) -> dict[str, str]:
    """The gunicorn settings the function module gives each function (one worker, a thread
    per concurrent request), from the concurrency functions.tf declares for ``name``."""
    block = re.search(rf"^    {name} = \{{(.*?)^    \}}", FUNCTIONS_TF.read_text(), re.M | re.S)
    concurrency = re.search(r"^\s*concurrency\s*=\s*(\d+)", block.group(1) if block else "",
                            re.M)
    if concurrency is None:
        raise LookupError(f"functions.tf declares no concurrency for {name}")
    return {"WORKERS": "1", "THREADS": concurrency.group(1)}


def production_env(hosts: dict[str, str], key_file: Path) -> dict[str, str]:
    """What Terraform gives every function (infra/envs/prod/functions.tf), pointed at fakes."""
    return {
        "CHARTGENIUS_ENV": "production", "CHARTGENIUS_STORE": "firestore",
        "CHARTGENIUS_BUS": "pubsub", "CHARTGENIUS_BLOBS": "gcs", "CHARTGENIUS_BUCKET": BUCKET,
        "GOOGLE_CLOUD_PROJECT": PROJECT, "LOG_EXECUTION_ID": "true",
        "CHARTGENIUS_LLM_PROVIDERS": '["gemini","rule_based"]',
        "CHARTGENIUS_GEMINI_BASE_URL": hosts["llm"] + "/",
        "CHARTGENIUS_MARKET_SOURCES": '["binance"]',
        "CHARTGENIUS_MARKET_URLS": json.dumps({"binance": hosts["binance"]}),
        "CHARTGENIUS_TELEGRAM_API_BASE": hosts["google"],
        "FIRESTORE_EMULATOR_HOST": hosts["firestore"],  # the listeners' gRPC
        "CHARTGENIUS_FIRESTORE_URL": hosts["firestore_rest"],  # the REST calls, via the front
        "STORAGE_EMULATOR_HOST": f"http://{hosts['gcs']}",
        "PUBSUB_EMULATOR_HOST": hosts["pubsub"],
        "GOOGLE_APPLICATION_CREDENTIALS": str(key_file),
        # secret environment variables, as Cloud Functions mounts them
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "JWT_SIGNING_KEY": "rehearsal-jwt-signing-key-of-enough-length",
        "METRICS_TOKEN": "rehearsal-metrics", "COINGECKO_API_KEY": "rehearsal",
        "OPENAI_API_KEY": "rehearsal", "HUGGINGFACE_API_TOKEN": "rehearsal",
    }
