"""Exchange quirks as data: one profile per exchange, no ``if name == ...`` in the code.

A profile says where the exchange's API lives (and which ccxt URL keys to point elsewhere
when a base URL is configured), which of our timeframes it serves natively, how many
candles one request returns, its public rate limit, the quote currencies it lists and how it
spells a pair. Markets are built from these facts instead of being downloaded (Binance's
market list alone is megabytes and costs request weight); a pair the exchange does not list
comes back as the exchange's own "unknown symbol" error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.models import TIMEFRAMES


@dataclass(frozen=True)
class ExchangeProfile:
    name: str
    ccxt_id: str
    base_url: str
    # ccxt ``urls["api"]`` key -> path kept after the base URL
    url_paths: dict[str, str]
    timeframes: tuple[str, ...]
    max_candles: int
    requests_per_second: float
    quotes: tuple[str, ...]
    id_format: str = "{base}{quote}"
    base_aliases: dict[str, str] = field(default_factory=dict)
    id_overrides: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    # text in an error that means "no such pair" where ccxt raises a generic error for it
    unknown_symbol_errors: tuple[str, ...] = ()

    def market_id(self, symbol: str) -> str:
        if symbol in self.id_overrides:
            return self.id_overrides[symbol]
        base, quote = symbol.split("/")
        return self.id_format.format(base=self.base_aliases.get(base, base),
                                     quote=self.base_aliases.get(quote, quote))

    def market(self, symbol: str) -> dict[str, Any]:
        """A ccxt market structure for a spot pair, enough for public OHLCV and tickers."""
        base, quote = symbol.split("/")
        return {"id": self.market_id(symbol), "symbol": symbol, "base": base, "quote": quote,
                "baseId": self.base_aliases.get(base, base),
                "quoteId": self.base_aliases.get(quote, quote), "type": "spot", "spot": True,
                "margin": False, "swap": False, "future": False, "option": False,
                "contract": False, "linear": None, "inverse": None, "active": True,
                "precision": {"amount": 1e-8, "price": 1e-8}, "info": {}}

    def lists(self, symbol: str) -> bool:
        """Whether the pair is plausible here without asking the exchange."""
        return symbol.split("/")[1] in self.quotes

    def serves(self, timeframe: str) -> bool:
        return timeframe in self.timeframes


_ALL = tuple(TIMEFRAMES)

PROFILES: dict[str, ExchangeProfile] = {
    "binance": ExchangeProfile(
        name="binance", ccxt_id="binance", base_url="https://api.binance.com",
        url_paths={"public": "/api/v3"}, timeframes=_ALL, max_candles=1000,
        # 6,000 request weight a minute; klines cost 2 -> 50/s, we keep well under it
        requests_per_second=20.0,
        quotes=("USDT", "USDC", "FDUSD", "BTC", "ETH", "BNB", "EUR"),
    ),
    "coinbase": ExchangeProfile(
        name="coinbase", ccxt_id="coinbaseexchange", base_url="https://api.exchange.coinbase.com",
        url_paths={"public": ""}, timeframes=("1m", "5m", "15m", "1h", "6h", "1d"),
        max_candles=300, requests_per_second=8.0,
        quotes=("USD", "USDT", "USDC", "EUR", "BTC", "ETH"), id_format="{base}-{quote}",
        unknown_symbol_errors=("NotFound",),
    ),
    "kraken": ExchangeProfile(
        name="kraken", ccxt_id="kraken", base_url="https://api.kraken.com",
        url_paths={"public": ""},
        timeframes=("1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w"), max_candles=720,
        requests_per_second=1.0, quotes=("USD", "USDT", "USDC", "EUR", "BTC", "ETH"),
        base_aliases={"BTC": "XBT", "DOGE": "XDG"},
        id_overrides={"BTC/USD": "XXBTZUSD", "ETH/USD": "XETHZUSD", "BTC/EUR": "XXBTZEUR",
                      "ETH/EUR": "XETHZEUR", "ETH/BTC": "XETHXXBT"},
        unknown_symbol_errors=("Unknown asset pair",),
    ),
    "bybit": ExchangeProfile(
        name="bybit", ccxt_id="bybit", base_url="https://api.bybit.com",
        url_paths={"public": "", "spot": ""}, timeframes=_ALL, max_candles=1000,
        requests_per_second=10.0, quotes=("USDT", "USDC", "BTC", "ETH", "EUR"),
    ),
}
