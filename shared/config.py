"""Settings, read once from the environment (``CHARTGENIUS_*``).

Local defaults are the embedded adapters; production sets ``CHARTGENIUS_ENV=production``
and the Google adapters. ``CHARTGENIUS_ENV`` has no default: a deployment that omits it
refuses to start rather than run as ``local``. Secrets are not settings: they come through
the Secrets port.

A variable is named ``CHARTGENIUS_<FIELD>`` (or the field's alias), in any case. Lists and maps
are JSON (``CHARTGENIUS_MARKET_SOURCES='["binance"]'``); everything else is converted by the
field's type. Values given to ``Settings(...)`` win over the environment. The reader is a
``before`` validator rather than pydantic-settings, whose import was ~0.07 s of every cold
start (decision 0124); its behaviour is pinned by tests/unit/test_settings.py.
"""

from __future__ import annotations

import json
import os
import types
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.basemodel import Model

PREFIX = "CHARTGENIUS_"
_COMPOUND = (list, dict, tuple, set, frozenset)


class Settings(Model):  # built by its first use, settings(), as a function starts
    model_config = ConfigDict(extra="ignore")

    env: Literal["local", "production", "test"]  # required: no silent default
    dev_login: bool = False  # CHARTGENIUS_DEV_LOGIN=1: /api/auth/dev, for a local run only
    data_dir: Path = Path(".data")
    project: str = Field(default="chartgenius-local", alias="GOOGLE_CLOUD_PROJECT")

    store: Literal["sqlite", "firestore"] = "sqlite"
    bus: Literal["local", "pubsub"] = "local"
    blobs: Literal["folder", "gcs"] = "folder"
    bucket: str = "chartgenius-local"

    market_sources: list[str] = ["replay"]
    replay_dir: Path = Path(__file__).resolve().parent.parent / "data" / "ohlcv"
    candles_limit: int = Field(default=500, ge=250, le=2000)

    jwt_issuer: str = "chartgenius"
    jwt_audience: str = "chartgenius-api"
    jwt_ttl_seconds: int = 12 * 3600

    analysis_deadline_seconds: int = 120
    # local bus: how long a claimed message is held before another worker may redeliver it
    bus_lease_seconds: float = Field(default=120.0, gt=0)
    max_body_bytes: int = 64 * 1024
    cors_origins: list[str] = []

    # analysis engine: LLM provider chain (rule_based always ends it), timeouts, retries,
    # models, base URLs, and the price table (USD per million input/output tokens).
    # API keys are secrets (OPENAI_API_KEY, HUGGINGFACE_API_TOKEN), not settings.
    llm_providers: list[Literal["gemini", "openai", "huggingface", "rule_based"]] = [
        "rule_based"]
    llm_timeout_seconds: float = Field(default=20.0, gt=0, le=120)
    llm_retries: int = Field(default=2, ge=0, le=5)
    llm_backoff_seconds: float = Field(default=0.5, ge=0, le=10)
    llm_budget_seconds: float = Field(default=60.0, gt=0)
    gemini_model: str = "gemini-2.5-flash"
    gemini_location: str = "us-central1"
    gemini_base_url: str | None = None
    openai_base_url: str = "https://api.openai.com/v1"
    openai_model: str = "gpt-4o-mini"
    huggingface_base_url: str = "https://router.huggingface.co/hf-inference/models"
    huggingface_model: str = "Qwen/Qwen2.5-7B-Instruct"
    llm_prices: dict[str, tuple[float, float]] = {
        "gemini-2.5-flash": (0.30, 2.50), "gemini-2.5-pro": (1.25, 10.0),
        "gemini-2.0-flash": (0.10, 0.40), "gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.50, 10.0),
        "gpt-4.1-mini": (0.40, 1.60), "Qwen/Qwen2.5-7B-Instruct": (0.0, 0.0),
        "rules-v1": (0.0, 0.0),
    }
    numbers_tolerance: float = Field(default=0.005, gt=0, le=0.1)
    charts_enabled: bool = True

    # api: Telegram sign-in freshness, limits cache, page sizes
    telegram_auth_max_age_seconds: int = Field(default=86400, ge=60)
    limits_cache_seconds: float = Field(default=10.0, ge=0)
    auth_requests_per_minute: int = Field(default=30, ge=1)
    # How many X-Forwarded-For entries trusted proxies append: Cloud Run's front end appends
    # the client's address as the last one (unset: 1 in production, 0 = remote_addr locally;
    # 2 behind an external HTTPS load balancer, which appends the client's and its own).
    forwarded_hops: int | None = Field(default=None, ge=0, le=5)

    # telegram: Bot API endpoint (unset: api.telegram.org in production, no bot elsewhere),
    # the bot's username (group commands must name it), Telegram's send limits
    telegram_api_base: str | None = None
    telegram_bot_username: str = "ChartGeniusBot"
    telegram_webhook_url: str | None = None
    telegram_messages_per_second: int = Field(default=30, ge=1)
    telegram_chat_interval_seconds: float = Field(default=1.0, ge=0)
    telegram_group_messages_per_minute: int = Field(default=20, ge=1)
    telegram_max_retry_wait_seconds: float = Field(default=30.0, ge=0)
    # telegram: the web app's public URL, for the Mini App menu button and "Open full
    # analysis" (``<web_base_url>/analysis/<id>``); unset: no web app buttons
    web_base_url: str | None = None

    # market data: the fallback order (unset in production: coingecko, binance, coinbase,
    # kraken, bybit), base URL and requests/s per source ({"binance": "http://127.0.0.1:9001"}),
    # per-call timeout, retries, circuit breaker, candle cache, scan concurrency
    market_urls: dict[str, str] = {}
    market_rate_limits: dict[str, float] = {}
    market_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    market_attempts: int = Field(default=3, ge=1, le=3)
    market_backoff_seconds: float = Field(default=0.25, ge=0)
    market_max_retry_after_seconds: float = Field(default=5.0, ge=0)
    market_breaker_failures: int = Field(default=5, ge=1)
    market_breaker_cooldown_seconds: float = Field(default=60.0, gt=0)
    market_cache: bool = True
    market_scan_concurrency: int = Field(default=8, ge=1, le=64)
    coingecko_key_header: str = "x-cg-demo-api-key"

    # scans: how often the local host publishes market.scan (0: never); production's
    # Cloud Scheduler job has its own schedule (infra, scan_schedule)
    scan_seconds: int = Field(default=300, ge=0)
    # screener: each scan ranks the top N pairs by 24 h quote volume (0: no screener)
    screener_size: int = Field(default=30, ge=0, le=500)
    screener_quote: str = "USDT"
    # a scan uses at most this share of each source's request budget (users get the rest)
    scan_budget_share: float = Field(default=0.5, gt=0, le=1)

    # track record: the pairs the backtester's record is published for ("SYMBOL timeframe"),
    # and how old it may get before a scan recomputes it (locally: the host's own schedule)
    track_record_pairs: list[str] = ["BTC/USDT 1d", "BTC/USDT 4h", "ETH/USDT 2h",
                                     "DOGE/USDT 2h"]
    track_record_hours: float = Field(default=24.0, gt=0)

    @property
    def trusted_forwarded_hops(self) -> int:
        if self.forwarded_hops is not None:
            return self.forwarded_hops
        return 1 if self.env == "production" else 0

    @property
    def market_chain(self) -> list[str]:
        if self.env == "production" and "market_sources" not in self.model_fields_set:
            return ["coingecko", "binance", "coinbase", "kraken", "bybit"]
        return self.market_sources

    @model_validator(mode="before")
    @classmethod
    def _from_environment(cls, given: Any) -> Any:
        if not isinstance(given, dict):
            return given
        return {**environment_values(cls), **given}

    @model_validator(mode="after")
    def _production_uses_google(self) -> Settings:
        if self.env == "production" and "sqlite" == self.store:
            raise ValueError("production needs CHARTGENIUS_STORE=firestore")
        return self

    @property
    def dev_auth_enabled(self) -> bool:
        """The dev login exists only when explicitly enabled for a local run (or a test), and
        never on Cloud Run / Cloud Functions (``K_SERVICE`` is set there)."""
        return self.dev_login and self.env in ("local", "test") \
            and not os.environ.get("K_SERVICE")


def environment_values(model: type[BaseModel]) -> dict[str, Any]:
    """The model's fields found in the environment, keyed as the model takes them."""
    found = {name.lower(): value for name, value in os.environ.items()}
    values: dict[str, Any] = {}
    for key, (variable, compound) in _variables(model).items():
        if variable not in found:
            continue
        raw = found[variable]
        if compound:
            try:
                values[key] = json.loads(raw)
            except ValueError as exc:
                raise ValueError(f"{variable.upper()} ({key}) must be JSON: {exc}") from None
        else:
            values[key] = raw
    return values


@cache
def _variables(model: type[BaseModel]) -> dict[str, tuple[str, bool]]:
    """{input key: (lower-case variable name, whether the value is JSON)} per field."""
    return {field.alias or name: ((field.alias or PREFIX + name).lower(),
                                  _is_compound(field.annotation))
            for name, field in model.model_fields.items()}


def _is_compound(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_is_compound(arg) for arg in get_args(annotation) if arg is not type(None))
    return origin in _COMPOUND or annotation in _COMPOUND


class MissingEnvironment(RuntimeError):
    pass


@cache
def settings() -> Settings:
    if not os.environ.get("CHARTGENIUS_ENV"):
        raise MissingEnvironment("CHARTGENIUS_ENV is not set: set it to production, local or "
                                 "test (there is no default, so that a deployment cannot "
                                 "run as local by omission)")
    return Settings.model_validate({})  # every value from the environment
