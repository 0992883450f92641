"""The pairs the configured sources can serve, for the web's pair suggestions.

No network: the exchanges are asked nothing. Candidates are the bundled replay pairs and the
coins the CoinGecko table names, each against the common quotes; a pair is listed when at
least one enabled source says it ``supports`` it on some timeframe, with those sources and
timeframes. An exchange may still not list a plausible pair: the analysis then fails with the
sources tried, as for a typed pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from shared.models import TIMEFRAMES
from shared.ports import MarketSource

QUOTES = ("USDT", "USDC", "USD", "EUR", "BTC")


def _inner(source: Any) -> Any:
    return getattr(source, "inner", source)


def candidates(sources: Iterable[MarketSource]) -> list[str]:
    from shared.market.coingecko import COIN_IDS

    bases = set(COIN_IDS)
    named: set[str] = set()
    for source in sources:
        listing = getattr(_inner(source), "symbols", None)
        if callable(listing):
            named.update(listing())
    bases.update(symbol.split("/")[0] for symbol in named)
    pairs = {f"{base}/{quote}" for base in bases for quote in QUOTES if base != quote}
    return sorted(pairs | named)


def servable_pairs(sources: Sequence[MarketSource]) -> list[dict[str, Any]]:
    """``[{"symbol", "base", "quote", "sources", "timeframes"}]``, by symbol."""
    rows = []
    for symbol in candidates(sources):
        serving = {s.name: [tf for tf in TIMEFRAMES if s.supports(symbol, tf)] for s in sources}
        serving = {name: tfs for name, tfs in serving.items() if tfs}
        if not serving:
            continue
        frames = {tf for tfs in serving.values() for tf in tfs}
        base, quote = symbol.split("/")
        rows.append({"symbol": symbol, "base": base, "quote": quote,
                     "sources": list(serving),
                     "timeframes": [tf for tf in TIMEFRAMES if tf in frames]})
    return rows
