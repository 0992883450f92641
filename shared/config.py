"""Settings, read once from the environment (``CHARTGENIUS_*``).

Local defaults are the embedded adapters; production sets ``CHARTGENIUS_ENV=production``
and the Google adapters. Secrets are not settings: they come through the Secrets port.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHARTGENIUS_", extra="ignore")

    env: Literal["local", "production", "test"] = "local"
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
    max_body_bytes: int = 64 * 1024
    cors_origins: list[str] = []

    @model_validator(mode="after")
    def _production_uses_google(self) -> Settings:
        if self.env == "production" and "sqlite" == self.store:
            raise ValueError("production needs CHARTGENIUS_STORE=firestore")
        return self

    @property
    def dev_auth_enabled(self) -> bool:
        """The dev login exists only when running locally (or in tests)."""
        return self.env in ("local", "test")


@cache
def settings() -> Settings:
    return Settings()
