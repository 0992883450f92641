"""Local fake exchanges speaking each one's real wire format, with faults on demand.

One aiohttp server on 127.0.0.1 (in its own thread, so synchronous code under test can call
it) serves Binance klines arrays, Coinbase ``[time, low, high, open, close, volume]`` newest
first, Kraken ``result`` keyed by pair with ``last``, Bybit v5 ``list`` newest first and
CoinGecko OHLC arrays, each under its own prefix (``/binance``, ``/coinbase``…). Candles are a
deterministic random walk per pair that ends at the current period, so they are fresh.

``fault(name, kind, times)`` makes the next ``times`` requests to that exchange fail:
``429`` (with Retry-After), ``418``, ``500``, ``timeout``, ``malformed``, ``empty``,
``unknown``, ``stale``. ``rate_limit`` makes the server answer 429 beyond N requests in any
second, counting them, like a real exchange.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager

from aiohttp import web

NAMES = ("binance", "coinbase", "kraken", "bybit", "coingecko")
SECONDS = {"1m": 60, "5m": 300, "15m": 900, "30m": 1800, "1h": 3600, "2h": 7200, "4h": 14400,
           "6h": 21600, "12h": 43200, "1d": 86400, "1w": 604800}
KNOWN_BASES = {"BTC", "XBT", "XXBT", "XETH", "ETH", "DOGE", "XDG", "SOL", "bitcoin", "ethereum",
               "dogecoin"}
BINANCE_TF = {tf: tf for tf in SECONDS}
COINBASE_GRANULARITY = {"60": 60, "300": 300, "900": 900, "3600": 3600, "21600": 21600,
                        "86400": 86400}
KRAKEN_INTERVAL = {"1": 60, "5": 300, "15": 900, "30": 1800, "60": 3600, "240": 14400,
                   "1440": 86400, "10080": 604800}
BYBIT_INTERVAL = {"1": 60, "5": 300, "15": 900, "30": 1800, "60": 3600, "120": 7200,
                  "240": 14400, "360": 21600, "720": 43200, "D": 86400, "W": 604800}


def candles(pair: str, step: int, count: int, *, age_periods: int = 0) -> list[list[float]]:
    """``[open_time_s, open, high, low, close, volume]`` oldest first, the last one current."""
    rng = random.Random(f"{pair}:{step}")  # noqa: S311 - test data
    last = int(time.time()) // step * step - age_periods * step
    price, rows = 100.0 + rng.random() * 100, []
    for i in range(count):
        close = max(1.0, price * (1 + rng.gauss(0, 0.01)))
        high, low = max(price, close) * 1.002, min(price, close) * 0.998
        rows.append([last - (count - 1 - i) * step, price, high, low, close, rng.random() * 50])
        price = close
    return rows


class FakeExchanges:
    def __init__(self) -> None:
        self.faults: dict[str, deque[tuple[str, float]]] = defaultdict(deque)
        self.requests: dict[str, int] = defaultdict(int)
        self.too_many: dict[str, int] = defaultdict(int)
        self.limits: dict[str, int] = {}
        self.hanging: dict[str, int] = defaultdict(int)  # requests held without an answer
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self.port = 0
        self.universe = ["BTCUSDT", "ETHUSDT", "DOGEUSDT", "SOLUSDT"]

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def urls(self) -> dict[str, str]:
        return {name: self.url(name) for name in NAMES}

    def fault(self, name: str, kind: str, times: int = 1, retry_after: float = 0) -> None:
        self.faults[name].extend([(kind, retry_after)] * times)

    def rate_limit(self, name: str, per_second: int) -> None:
        self.limits[name] = per_second

    def all_tickers(self) -> list[dict[str, object]]:
        """``ticker/24hr`` for ``self.universe`` pairs (``BTCUSDT``…), volumes falling with
        the index, plus a few pairs in other quotes."""
        now = int(time.time() * 1000)
        rows = [(pair, 1e9 / (i + 1)) for i, pair in enumerate(self.universe)]
        rows += [("ETHBTC", 5e12), ("BTCEUR", 4e12)]
        return [{"symbol": pair, "lastPrice": "1.0", "priceChangePercent": "0.5",
                 "quoteVolume": f"{volume:.2f}", "volume": "1", "openTime": now - 86_400_000,
                 "closeTime": now} for pair, volume in rows]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/binance/api/v3/klines", self._binance)
        app.router.add_get("/binance/api/v3/ticker/24hr", self._binance_ticker)
        app.router.add_get("/coinbase/products/{id}/candles", self._coinbase)
        app.router.add_get("/kraken/0/public/OHLC", self._kraken)
        app.router.add_get("/bybit/v5/market/kline", self._bybit)
        app.router.add_get("/coingecko/api/v3/coins/{id}/ohlc", self._coingecko)
        app.router.add_get("/coingecko/api/v3/simple/price", self._coingecko_price)
        app.router.add_get("/_stats", self._stats)
        return app

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response({"requests": self.requests, "too_many": self.too_many})

    async def _gate(self, name: str) -> tuple[web.Response | None, str]:
        """A fault or rate-limit answer for this request, or None and the data mode."""
        self.requests[name] += 1
        if name in self.limits:
            now, recent = time.monotonic(), self._recent[name]
            while recent and recent[0] <= now - 1.0:
                recent.popleft()
            if len(recent) >= self.limits[name]:
                self.too_many[name] += 1
                return web.json_response({"msg": "Too many requests"}, status=429,
                                         headers={"Retry-After": "1"}), ""
            recent.append(now)
        if not self.faults[name]:
            return None, ""
        kind, retry_after = self.faults[name].popleft()
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after else {}
        if kind in ("429", "418", "500"):
            return web.json_response({"code": -1003, "msg": f"fault {kind}"}, status=int(kind),
                                     headers=headers), ""
        if kind == "timeout":
            self.hanging[name] += 1  # a client on fake time times out when it sees this
            await asyncio.sleep(5)
        if kind == "malformed":
            return web.Response(text='[[1, "2", ', content_type="application/json"), ""
        return None, kind  # "empty", "unknown", "stale": the handler shapes the data

    @staticmethod
    def _rows(pair: str, step: int, count: int, mode: str) -> list[list[float]]:
        if mode == "empty":
            return []
        return candles(pair, step, count, age_periods=10 if mode == "stale" else 0)

    async def _binance(self, request: web.Request) -> web.Response:
        answer, mode = await self._gate("binance")
        if answer:
            return answer
        q = request.query
        if mode == "unknown" or not any(q["symbol"].startswith(b) for b in KNOWN_BASES):
            return web.json_response({"code": -1121, "msg": "Invalid symbol."}, status=400)
        step = SECONDS[BINANCE_TF[q["interval"]]]
        rows = self._rows(q["symbol"], step, int(q.get("limit", 500)), mode)
        return web.json_response([
            [int(t * 1000), f"{o:.8f}", f"{h:.8f}", f"{lo:.8f}", f"{c:.8f}", f"{v:.8f}",
             int((t + step) * 1000) - 1, "0", 100, "0", "0", "0"]
            for t, o, h, lo, c, v in rows])

    async def _binance_ticker(self, request: web.Request) -> web.Response:
        answer, _ = await self._gate("binance")
        if answer:
            return answer
        if "symbol" not in request.query:  # every pair in one call: the screener's universe
            return web.json_response(self.all_tickers())
        close = candles(request.query["symbol"], 3600, 1)[-1][4]
        return web.json_response({
            "symbol": request.query["symbol"], "lastPrice": f"{close:.8f}",
            "priceChangePercent": "1.5", "quoteVolume": "1000",
            "closeTime": int(time.time() * 1000),
            "openTime": int(time.time() * 1000) - 86_400_000})

    async def _coinbase(self, request: web.Request) -> web.Response:
        answer, mode = await self._gate("coinbase")
        if answer:
            return answer
        pair = request.match_info["id"]
        if mode == "unknown" or pair.split("-")[0] not in KNOWN_BASES:
            return web.json_response({"message": "NotFound"}, status=404)
        step = COINBASE_GRANULARITY[request.query["granularity"]]
        rows = self._rows(pair, step, 300, mode)
        return web.json_response([[t, lo, h, o, c, v] for t, o, h, lo, c, v in reversed(rows)])

    async def _kraken(self, request: web.Request) -> web.Response:
        answer, mode = await self._gate("kraken")
        if answer:
            return answer
        pair = request.query["pair"]
        if mode == "unknown" or not any(pair.startswith(b) for b in KNOWN_BASES):
            return web.json_response({"error": ["EQuery:Unknown asset pair"]})
        step = KRAKEN_INTERVAL[request.query.get("interval", "1")]
        rows = self._rows(pair, step, 720, mode)
        body = [[t, f"{o:.5f}", f"{h:.5f}", f"{lo:.5f}", f"{c:.5f}", f"{c:.5f}", f"{v:.8f}", 9]
                for t, o, h, lo, c, v in rows]
        return web.json_response({"error": [], "result": {
            pair: body, "last": rows[-1][0] if rows else 0}})

    async def _bybit(self, request: web.Request) -> web.Response:
        answer, mode = await self._gate("bybit")
        if answer:
            return answer
        q = request.query
        if mode == "unknown" or not any(q["symbol"].startswith(b) for b in KNOWN_BASES):
            return web.json_response({"retCode": 10001, "retMsg": "Not supported symbols",
                                      "result": {}, "retExtInfo": {}, "time": 0})
        step = BYBIT_INTERVAL[q["interval"]]
        rows = self._rows(q["symbol"], step, int(q.get("limit", 200)), mode)
        listed = [[str(int(t * 1000)), f"{o:.8f}", f"{h:.8f}", f"{lo:.8f}", f"{c:.8f}",
                   f"{v:.8f}", "0"] for t, o, h, lo, c, v in reversed(rows)]
        return web.json_response({"retCode": 0, "retMsg": "OK", "result": {
            "category": q.get("category", "spot"), "symbol": q["symbol"], "list": listed},
            "retExtInfo": {}, "time": int(time.time() * 1000)})

    async def _coingecko(self, request: web.Request) -> web.Response:
        answer, mode = await self._gate("coingecko")
        if answer:
            return answer
        coin = request.match_info["id"]
        if mode == "unknown" or coin not in KNOWN_BASES:
            return web.json_response({"error": "coin not found"}, status=404)
        days = int(request.query["days"])
        step = 1800 if days <= 2 else 14400
        rows = self._rows(coin, step, days * 86400 // step, mode)
        return web.json_response([[int(t * 1000), o, h, lo, c] for t, o, h, lo, c, _ in rows])

    async def _coingecko_price(self, request: web.Request) -> web.Response:
        answer, _ = await self._gate("coingecko")
        if answer:
            return answer
        coin, vs = request.query["ids"], request.query["vs_currencies"]
        if coin not in KNOWN_BASES:
            return web.json_response({})
        return web.json_response({coin: {vs: 64000.5, f"{vs}_market_cap": 1.2e12,
                                         f"{vs}_24h_vol": 3.1e10, f"{vs}_24h_change": -1.25,
                                         "last_updated_at": int(time.time())}})


@contextmanager
def running_fake_exchanges() -> Iterator[FakeExchanges]:
    fakes = FakeExchanges()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    runner = web.AppRunner(fakes.app(), access_log=None, handler_cancellation=True,
                           shutdown_timeout=0.5)

    async def start() -> None:
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        fakes.port = runner.addresses[0][1]
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()),
                                              loop.run_forever()), daemon=True)
    thread.start()
    ready.wait(5)
    try:
        yield fakes
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def serve(port: int, limits: dict[str, int], universe: int = 0) -> None:
    """Run the fakes in this process until killed (the benchmark runs them apart, so that
    the client's work does not slow the server down). ``universe``: list that many pairs
    (``BTC000USDT``…) in Binance's all-tickers answer."""
    fakes = FakeExchanges()
    fakes.limits.update(limits)
    if universe:
        fakes.universe = [f"BTC{i:03d}USDT" for i in range(universe)]
    web.run_app(fakes.app(), host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    import sys

    serve(int(sys.argv[1]), json.loads(sys.argv[2]) if len(sys.argv) > 2 else {},
          int(sys.argv[3]) if len(sys.argv) > 3 else 0)
