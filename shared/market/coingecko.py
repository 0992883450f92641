"""CoinGecko over aiohttp: coarse OHLC without volume, and prices with market data.

Its free OHLC endpoint picks the granularity from ``days`` (1-2 days: 30 minutes, 3-30 days:
4 hours, more: 4 days), so the source serves only 30m and 4h, with at most 96 and 180 candles,
and no volume. Pairs map to CoinGecko coin ids and ``vs_currency`` through the tables below;
stablecoin quotes are priced in USD.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp

from shared.market import faults
from shared.market.normalize import build_candles
from shared.market.quotes import Quote
from shared.models import Candles

BASE_URL = "https://api.coingecko.com"
# timeframe -> (days to ask for, candles that gives)
OHLC_DAYS: dict[str, tuple[int, int]] = {"30m": (2, 96), "4h": (30, 180)}
COIN_IDS: dict[str, str] = {
    "BTC": "bitcoin", "ETH": "ethereum", "DOGE": "dogecoin", "SOL": "solana", "XRP": "ripple",
    "BNB": "binancecoin", "ADA": "cardano", "LTC": "litecoin", "DOT": "polkadot",
    "AVAX": "avalanche-2", "LINK": "chainlink", "TRX": "tron", "TON": "the-open-network",
    "SHIB": "shiba-inu", "MATIC": "matic-network", "BCH": "bitcoin-cash", "XLM": "stellar",
}
VS_CURRENCIES: dict[str, str] = {"USD": "usd", "USDT": "usd", "USDC": "usd", "EUR": "eur",
                                 "BTC": "btc", "ETH": "eth"}


class CoinGeckoSource:
    name = "coingecko"
    live = True

    def __init__(self, *, base_url: str | None = None, api_key: str | None = None,
                 api_key_header: str = "x-cg-demo-api-key", timeout: float = 10.0,
                 now_ms: Callable[[], int] = lambda: int(time.time() * 1000)) -> None:
        self.base_url = (base_url or BASE_URL).rstrip("/")
        self._headers = {"Accept": "application/json"}
        if api_key:
            self._headers[api_key_header] = api_key
        self.timeout = timeout
        self._now_ms = now_ms
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _ids(self, symbol: str) -> tuple[str, str] | None:
        base, quote = symbol.split("/")
        if base in COIN_IDS and quote in VS_CURRENCIES:
            return COIN_IDS[base], VS_CURRENCIES[quote]
        return None

    def supports(self, symbol: str, timeframe: str) -> bool:
        return timeframe in OHLC_DAYS and self._ids(symbol) is not None

    def capacity(self, timeframe: str) -> int:
        return OHLC_DAYS[timeframe][1] if timeframe in OHLC_DAYS else 0

    async def fetch_candles(self, symbol: str, timeframe: str, limit: int) -> Candles:
        coin, vs = self._require(symbol)
        days = OHLC_DAYS[timeframe][0]
        rows = await self._get(f"/api/v3/coins/{coin}/ohlc",
                               {"vs_currency": vs, "days": str(days)})
        if not isinstance(rows, list):
            raise faults.BadResponse(f"coingecko sent OHLC that is not a list: {str(rows)[:100]}")
        with_volume = [[*row, 0.0] if isinstance(row, list) else row for row in rows]
        return build_candles(self.name, with_volume, timeframe, self._now_ms()).tail(limit)

    async def fetch_price(self, symbol: str) -> Quote:
        coin, vs = self._require(symbol)
        body = await self._get("/api/v3/simple/price", {
            "ids": coin, "vs_currencies": vs, "include_market_cap": "true",
            "include_24hr_vol": "true", "include_24hr_change": "true",
            "include_last_updated_at": "true"})
        data = body.get(coin) if isinstance(body, dict) else None
        if not isinstance(data, dict) or not data.get(vs):
            raise faults.UnknownSymbol(f"coingecko has no {vs} price for {coin}")
        stamp = data.get("last_updated_at") or self._now_ms() / 1000
        return Quote(symbol=symbol, price=float(data[vs]), source=self.name,
                     as_of=datetime.fromtimestamp(stamp, UTC),
                     change_24h_pct=data.get(f"{vs}_24h_change"),
                     volume_24h=data.get(f"{vs}_24h_vol"),
                     market_cap=data.get(f"{vs}_market_cap"))

    async def aclose(self) -> None:
        session, self._session, self._loop = self._session, None, None
        if session is not None:
            await session.close()

    def _require(self, symbol: str) -> tuple[str, str]:
        ids = self._ids(symbol)
        if ids is None:
            raise faults.UnknownSymbol(f"coingecko has no coin id for {symbol}")
        return ids

    def _client(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._loop is not loop:
            self._session = aiohttp.ClientSession(
                headers=self._headers, timeout=aiohttp.ClientTimeout(total=self.timeout))
            self._loop = loop
        return self._session

    async def _get(self, path: str, params: dict[str, str]) -> Any:
        try:
            async with self._client().get(f"{self.base_url}{path}", params=params) as response:
                text = await response.text()
                if response.status != 200:
                    retry_after = faults.retry_after_seconds(response.headers, datetime.now(UTC))
                    raise faults.for_status(self.name, response.status, retry_after, text)
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise faults.SourceTimeout(f"coingecko did not answer within {self.timeout:g} s") \
                from exc
        except aiohttp.ClientError as exc:
            raise faults.SourceUnavailable(f"coingecko unreachable: {type(exc).__name__}") \
                from exc
        try:
            return json.loads(text)
        except ValueError as exc:
            raise faults.BadResponse(f"coingecko sent malformed JSON: {text[:80]!r}") from exc
