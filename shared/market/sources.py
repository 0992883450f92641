"""Builds the configured market sources, in fallback order, each in its resilience.

Names: ``replay`` (bundled candles, offline) and ``coingecko``, ``binance``, ``coinbase``,
``kraken``, ``bybit``. The order comes from ``Settings.market_chain``; an admin can reorder or
disable sources at run time through the document ``settings/market_sources`` that
``PUT /api/admin/market-sources`` writes (see ``arrange``). Heavy clients (ccxt, aiohttp)
are imported only when a source is built.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from typing import Any

from shared.config import Settings
from shared.market.budget import BudgetFactory
from shared.ports import MarketSource

CONFIG_COLLECTION, CONFIG_DOC = "settings", "market_sources"  # the admin API writes it
LIVE_SOURCES = ("coingecko", "binance", "coinbase", "kraken", "bybit")
KNOWN = ("replay", *LIVE_SOURCES)
COINGECKO_REQUESTS_PER_SECOND = 0.5  # the free plan's 30 calls a minute


def build_sources(settings: Settings, secrets: Any = None, *,
                  budgets: BudgetFactory | None = None, **resilience: Any) -> list[MarketSource]:
    """``budgets`` makes each live source's request budget (``budget.shared_budgets(store)``:
    shared by every instance; without it each process counts its own). ``resilience``
    (clock, wall, sleep, rng, wait_for) is for tests: fake time, no real waits."""
    return [build_source(name, settings, secrets, budgets=budgets, **resilience)
            for name in settings.market_chain]


def build_source(name: str, settings: Settings, secrets: Any = None, *,
                 budgets: BudgetFactory | None = None, **resilience: Any) -> MarketSource:
    if name not in KNOWN:
        raise ValueError(f"unknown market source {name!r} in CHARTGENIUS_MARKET_SOURCES; "
                         f"known: {', '.join(KNOWN)}")
    if name == "replay":
        from shared.market.replay import ReplaySource

        return ReplaySource(settings.replay_dir)
    from shared.market.breaker import CircuitBreaker
    from shared.market.resilient import ResilientSource
    from shared.market.retry import RetryPolicy

    inner, per_second = _client(name, settings, secrets)
    per_second = settings.market_rate_limits.get(name, per_second)
    policy = RetryPolicy(attempts=settings.market_attempts, base=settings.market_backoff_seconds,
                         max_retry_after=settings.market_max_retry_after_seconds)
    breaker = CircuitBreaker(resilience.get("clock", time.monotonic),
                             settings.market_breaker_failures,
                             settings.market_breaker_cooldown_seconds)
    return ResilientSource(inner, budget_per_second=per_second, policy=policy,
                           timeout=settings.market_timeout_seconds, breaker=breaker,
                           budget=budgets(name, per_second) if budgets else None, **resilience)


def _client(name: str, settings: Settings, secrets: Any) -> tuple[Any, float]:
    url = settings.market_urls.get(name)
    if name == "coingecko":
        from shared.market.coingecko import CoinGeckoSource

        key = secrets.get("COINGECKO_API_KEY") if secrets else os.environ.get("COINGECKO_API_KEY")
        return CoinGeckoSource(base_url=url, api_key=key, timeout=settings.market_timeout_seconds,
                               api_key_header=settings.coingecko_key_header), \
            COINGECKO_REQUESTS_PER_SECOND
    from shared.market.ccxt_source import CcxtSource
    from shared.market.exchanges import PROFILES

    profile = PROFILES[name]
    return CcxtSource(profile, base_url=url, timeout=settings.market_timeout_seconds), \
        profile.requests_per_second


def arrange(sources: Sequence[MarketSource], config: Mapping[str, Any] | None
            ) -> list[MarketSource]:
    """The chain an admin asked for: ``{"sources": [{"name", "enabled"}, ...]}`` listed
    sources first in that order, unlisted ones after, disabled ones left out. Names that
    are not configured sources are ignored."""
    if not config:
        return list(sources)
    listed = [e for e in config.get("sources", []) if isinstance(e, dict) and "name" in e]
    rank = {e["name"]: i for i, e in enumerate(listed)}
    disabled = {e["name"] for e in listed if e.get("enabled") is False}
    kept = [s for s in sources if s.name not in disabled]
    return sorted(kept, key=lambda s: rank.get(s.name, len(listed)))
