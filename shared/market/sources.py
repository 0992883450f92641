"""Builds the configured market sources, in fallback order."""

from __future__ import annotations

from shared.config import Settings
from shared.ports import MarketSource


def build_sources(settings: Settings) -> list[MarketSource]:
    built: list[MarketSource] = []
    for name in settings.market_sources:
        if name == "replay":
            from shared.market.replay import ReplaySource

            built.append(ReplaySource(settings.replay_dir))
        else:
            raise ValueError(f"unknown market source {name!r} in CHARTGENIUS_MARKET_SOURCES")
    return built
