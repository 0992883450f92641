"""Binance, Coinbase, Kraken and Bybit through ``ccxt.async_support``.

ccxt is imported only when a client is first built (0.44 s of import: never on a cold start
that does not fetch). One client per event loop: each invocation runs its own loop, and an
aiohttp session cannot outlive the loop it was made in, so ``aclose`` ends it after each
fetch. Library errors become ``shared.market.faults`` here, at the edge, from a table.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from shared.errors import InvalidInput, RateLimited
from shared.market import faults
from shared.market.exchanges import ExchangeProfile
from shared.market.normalize import build_candles
from shared.market.quotes import Quote
from shared.models import Candles, normalize_symbol

# ccxt error class name -> ours; the first that matches wins (subclasses first).
ERRORS: tuple[tuple[str, type[Exception]], ...] = (
    ("RateLimitExceeded", RateLimited),
    ("DDoSProtection", faults.SourceBanned),
    ("RequestTimeout", faults.SourceTimeout),
    ("BadSymbol", faults.UnknownSymbol),
    ("BadRequest", faults.UnknownSymbol),
    ("BadResponse", faults.BadResponse),
    ("NetworkError", faults.SourceUnavailable),
    ("ExchangeError", faults.SourceUnavailable),
)


def _pair(raw: str) -> str | None:
    try:
        return normalize_symbol(raw.split(":")[0])
    except InvalidInput:
        return None


def _now_ms() -> int:
    return int(time.time() * 1000)


class CcxtSource:
    live = True

    def __init__(self, profile: ExchangeProfile, *, base_url: str | None = None,
                 timeout: float = 10.0, now_ms: Callable[[], int] = _now_ms) -> None:
        self.profile = profile
        self.name = profile.name
        self.base_url = (base_url or profile.base_url).rstrip("/")
        self.timeout = timeout
        self._now_ms = now_ms
        self._client: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._markets: dict[str, dict[str, Any]] = {}

    def supports(self, symbol: str, timeframe: str) -> bool:
        return self.profile.serves(timeframe) and self.profile.lists(symbol)

    def capacity(self, timeframe: str) -> int:
        return self.profile.max_candles

    async def fetch_candles(self, symbol: str, timeframe: str, limit: int) -> Candles:
        client = self._ready(symbol)
        wanted = min(limit, self.profile.max_candles)
        rows = await self._translated(client, client.fetch_ohlcv(symbol, timeframe, limit=wanted))
        if not isinstance(rows, list):
            raise faults.BadResponse(f"{self.name} sent candles that are not a list")
        return build_candles(self.name, rows, timeframe, self._now_ms()).tail(limit)

    async def fetch_price(self, symbol: str) -> Quote:
        client = self._ready(symbol)
        ticker = await self._translated(client, client.fetch_ticker(symbol))
        if not isinstance(ticker, dict) or not ticker.get("last"):
            raise faults.BadResponse(f"{self.name} sent a ticker without a last price")
        stamp = ticker.get("timestamp") or self._now_ms()
        return Quote(symbol=symbol, price=float(ticker["last"]), source=self.name,
                     as_of=datetime.fromtimestamp(stamp / 1000, UTC),
                     change_24h_pct=ticker.get("percentage"),
                     volume_24h=ticker.get("quoteVolume"))

    async def top_symbols(self, quote: str, count: int) -> list[str]:
        """The ``count`` pairs quoted in ``quote`` with the highest 24 h quote volume, from
        ONE ``fetch_tickers`` call (pairs ccxt has no market for come back as exchange ids,
        ``ETHUSDT``, and are read as BASE/QUOTE)."""
        client = self._ready("BTC/USDT")
        tickers = await self._translated(client, client.fetch_tickers())
        if not isinstance(tickers, dict):
            raise faults.BadResponse(f"{self.name} sent tickers that are not a map")
        volumes: dict[str, float] = {}
        for ticker in tickers.values():
            symbol = _pair(str((ticker or {}).get("symbol") or ""))
            if symbol and symbol.endswith(f"/{quote}"):
                volumes[symbol] = float(ticker.get("quoteVolume") or 0.0)
        return sorted(volumes, key=lambda s: (-volumes[s], s))[:count]

    async def aclose(self) -> None:
        client, self._client, self._loop = self._client, None, None
        if client is not None:
            await client.close()

    def prepare(self, symbols: list[str]) -> None:
        """Declare the pairs a scan will ask for, so markets are set once, not per pair."""
        fresh = [s for s in symbols if s not in self._markets]
        self._markets.update({s: self.profile.market(s) for s in fresh})
        if fresh and self._client is not None:
            self._client.set_markets(list(self._markets.values()))

    def _ready(self, symbol: str) -> Any:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client, self._loop = self._build(), loop
            if self._markets:
                self._client.set_markets(list(self._markets.values()))
        if symbol not in self._markets:
            self._markets[symbol] = self.profile.market(symbol)
            self._client.set_markets(list(self._markets.values()))
        return self._client

    def _build(self) -> Any:
        import ccxt.async_support as ccxt_async  # heavy: only when a ccxt source is used

        client = getattr(ccxt_async, self.profile.ccxt_id)({
            "enableRateLimit": False,  # our RequestBudget paces every source
            "timeout": int(self.timeout * 1000),
            "options": dict(self.profile.options),
        })
        client.timeout_on_exit = 0
        for key, path in self.profile.url_paths.items():
            client.urls["api"][key] = f"{self.base_url}{path}"
        client.on_rest_response = self._inspector(client.on_rest_response)
        return client

    def _inspector(self, original: Callable[..., Any]) -> Callable[..., Any]:
        """Sees every response before ccxt does: the HTTP status decides 418/429/5xx (ccxt's
        classes differ per exchange: Binance calls 429 DDoSProtection), and a body that is
        not JSON is a bad response (some exchanges' parsers read it as "no candles")."""

        def inspect(status: int, reason: str, url: str, method: str, headers: Any,
                    body: str, *rest: Any) -> Any:
            if status in (418, 429) or status >= 500:
                retry_after = faults.retry_after_seconds(headers, datetime.now(UTC))
                raise faults.for_status(self.name, status, retry_after, body or "")
            try:
                json.loads(body)
            except (TypeError, ValueError):
                raise faults.BadResponse(
                    f"{self.name} sent malformed JSON (HTTP {status}): {str(body)[:80]!r}"
                ) from None
            return original(status, reason, url, method, headers, body, *rest)

        return inspect

    async def _translated(self, client: Any, call: Any) -> Any:
        import ccxt.async_support as ccxt_async

        try:
            return await call
        except ccxt_async.BaseError as exc:
            raise self._ours(client, exc) from exc
        except (TypeError, KeyError, ValueError, IndexError) as exc:
            raise faults.BadResponse(f"{self.name} sent a response ccxt could not read: "
                                     f"{type(exc).__name__}") from exc

    def _ours(self, client: Any, exc: Exception) -> Exception:
        import ccxt.async_support as ccxt_async

        retry_after = faults.retry_after_seconds(client.last_response_headers,
                                                 datetime.now(UTC))
        message = f"{self.name}: {type(exc).__name__} {str(exc)[:200]}"
        if any(marker in str(exc) for marker in self.profile.unknown_symbol_errors):
            return faults.UnknownSymbol(message)
        for name, ours in ERRORS:
            if isinstance(exc, getattr(ccxt_async, name)):
                if issubclass(ours, RateLimited):
                    return ours(message, retry_after=retry_after)
                return ours(message)
        return faults.SourceUnavailable(message)
