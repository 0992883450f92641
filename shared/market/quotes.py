"""A current price for a pair, from the first source in the chain that can give one."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shared.basemodel import Model
from shared.errors import NoSourceAvailable, PermanentError, TransientError

log = logging.getLogger(__name__)


class Quote(Model):
    symbol: str
    price: float
    source: str
    as_of: datetime
    change_24h_pct: float | None = None
    volume_24h: float | None = None
    market_cap: float | None = None


async def price_with_fallback(sources: Sequence[Any], symbol: str) -> tuple[Quote, list[str]]:
    """The first quote any source gives, with what was tried on the way."""
    tried: list[str] = []
    transient = False
    for source in sources:
        if not hasattr(source, "fetch_price") or not source.supports(symbol, "1d"):
            tried.append(f"{source.name}: skipped (no price for {symbol})")
            continue
        try:
            quote: Quote = await source.fetch_price(symbol)
        except TransientError as exc:
            transient = True
            tried.append(f"{source.name}: failed ({exc.message})")
            continue
        except PermanentError as exc:
            tried.append(f"{source.name}: failed ({exc.message})")
            continue
        tried.append(f"{source.name}: served")
        return quote, tried
    detail = "; ".join(tried) or "no market source is configured"
    if transient:
        raise TransientError(f"no source could price {symbol} now: {detail}")
    raise NoSourceAvailable(f"no market source prices {symbol}: {detail}")
