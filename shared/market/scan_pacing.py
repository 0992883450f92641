"""A scan's share of each source's request budget.

A scheduled scan may ask for hundreds of pairs at once; left to the source's own budget it
would take the whole of it, and a user's analysis arriving meanwhile would wait behind the
scan. So a scan paces its calls to ``share`` (default one half) of each source's budget, in
addition to the budget itself: users' requests always find the other half free.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from shared.market.budget import Clock, RequestBudget, Sleep
from shared.models import Candles

MAX_WAIT = 120.0  # a scan waits its turn; a single fetch never waits this long in practice


class PacedSource:
    """The source, with candle fetches spaced to ``share`` of its budget's rate."""

    def __init__(self, inner: Any, share: float, *, clock: Clock = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        self.inner = inner
        self.name: str = inner.name
        budget = getattr(inner, "budget", None)
        self.pace: RequestBudget | None = None
        if budget is not None:  # this scan's share of the source's rate, counted here
            self.pace = RequestBudget(f"{inner.name} (scan share)", share / budget.interval,
                                      clock, sleep, headroom=1.0)

    def supports(self, symbol: str, timeframe: str) -> bool:
        return bool(self.inner.supports(symbol, timeframe))

    async def fetch_candles(self, symbol: str, timeframe: str, limit: int) -> Candles:
        if self.pace is not None:
            await self.pace.acquire(max_wait=MAX_WAIT)
        candles: Candles = await self.inner.fetch_candles(symbol, timeframe, limit)
        return candles

    def __getattr__(self, name: str) -> Any:  # health, breaker, prepare, aclose, apply_ban…
        return getattr(self.inner, name)


def paced(chain: list[Any], share: float | None) -> list[Any]:
    """The chain for a scan: each budgeted source paced to ``share`` (None: as it is)."""
    if share is None or share >= 1:
        return chain
    return [PacedSource(s, share) if getattr(s, "budget", None) is not None else s
            for s in chain]
