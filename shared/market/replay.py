"""The replay source: real Binance candles bundled with the product, served offline.

Files are ``<exchange>_<BASE>_<QUOTE>_<timeframe>.csv``. A timeframe with no file of its own
is resampled from the largest bundled timeframe that divides it (2h → 4h, 12h, 1d, 1w).

Replay's "now" for a pair is the close of its newest candle in its finest file (the newest 2h
close): a candle whose period runs past that moment is forming. It is served as such
(``unfinished_last``, read at "now"), rebuilt from the finest candles up to "now", so a daily
candle in the middle of its day is never passed off as closed.
"""

from __future__ import annotations

import bisect
import csv
import re
import time
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from shared.errors import NoSourceAvailable
from shared.market.health import SourceHealth
from shared.market.quotes import Quote
from shared.market.timeframes import DAY_MS, divides, duration_ms, resample
from shared.models import Candles

_NAME = re.compile(r"^[a-z]+_([A-Z0-9]+)_([A-Z0-9]+)_(\w+)\.csv$")


class ReplaySource:
    name = "replay"
    live = False  # historical by design: its newest candle is "now", never stale

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.health = SourceHealth(self.name)  # no network, so no breaker: always "closed"
        self._files: dict[str, dict[str, Path]] = {}
        for file in sorted(self.folder.glob("*.csv")):
            match = _NAME.match(file.name)
            if match:
                base, quote, timeframe = match.groups()
                self._files.setdefault(f"{base}/{quote}", {})[timeframe] = file

    def symbols(self) -> list[str]:
        return sorted(self._files)

    async def top_symbols(self, quote: str, count: int) -> list[str]:
        """The screener's universe locally: the bundled pairs in that quote (no volumes to
        rank by, so in name order)."""
        return [s for s in self.symbols() if s.endswith(f"/{quote}")][:count]

    def _best_file(self, symbol: str, timeframe: str) -> tuple[str, Path] | None:
        native = self._files.get(symbol, {})
        usable = [tf for tf in native if divides(tf, timeframe)]
        if not usable:
            return None
        best = max(usable, key=duration_ms)
        return best, native[best]

    def supports(self, symbol: str, timeframe: str) -> bool:
        return self._best_file(symbol, timeframe) is not None

    async def fetch_candles(self, symbol: str, timeframe: str, limit: int) -> Candles:
        started = time.perf_counter()
        try:
            candles = self.candles(symbol, timeframe, limit)
        except NoSourceAvailable as exc:
            self.health.failed(exc.message, datetime.now(UTC))
            raise
        self.health.succeeded((time.perf_counter() - started) * 1000, datetime.now(UTC))
        return candles

    def _finest(self, symbol: str) -> tuple[str, Candles]:
        native = self._files.get(symbol)
        if not native:
            raise NoSourceAvailable(f"replay has no {symbol} data")
        timeframe = min(native, key=duration_ms)
        return timeframe, _load(native[timeframe])

    def now_ms(self, symbol: str) -> int:
        """Replay's "now" for the pair: the close of its newest finest candle."""
        timeframe, candles = self._finest(symbol)
        return candles.timestamps[-1] + duration_ms(timeframe)

    async def fetch_price(self, symbol: str) -> Quote:
        """The newest bundled close (at its close time), and its change over the 24 hours
        before it."""
        _, candles = self._finest(symbol)
        back = bisect.bisect_left(candles.timestamps, candles.timestamps[-1] - DAY_MS)
        before = candles.close[min(back, len(candles) - 1)]
        return Quote(symbol=symbol, price=candles.close[-1], source=self.name,
                     as_of=datetime.fromtimestamp(self.now_ms(symbol) / 1000, UTC),
                     change_24h_pct=round((candles.close[-1] / before - 1) * 100, 3),
                     volume_24h=sum(candles.volume[back:]))

    def candles(self, symbol: str, timeframe: str, limit: int) -> Candles:
        found = self._best_file(symbol, timeframe)
        if found is None:
            raise NoSourceAvailable(f"replay has no {symbol} data for {timeframe}")
        native_tf, file = found
        candles = _load(file)
        if native_tf != timeframe:
            # Resample only the tail that the limit needs (plus one partial bucket).
            ratio = duration_ms(timeframe) // duration_ms(native_tf)
            candles = resample(candles.tail((limit + 1) * ratio), timeframe)
        return self._with_forming(symbol, timeframe, candles.tail(limit))

    def _with_forming(self, symbol: str, timeframe: str, candles: Candles) -> Candles:
        """Mark the last candle forming when its period runs past "now", with its values as
        the finest candles up to "now" make them."""
        now = self.now_ms(symbol)
        start = candles.timestamps[-1]
        if start + duration_ms(timeframe) <= now:
            return candles.model_copy(update={"read_at_ms": now})
        finest_tf, finest = self._finest(symbol)
        first = bisect.bisect_left(finest.timestamps, start)
        part = finest.tail(len(finest) - first) if first < len(finest) else None
        columns = {k: list(getattr(candles, k)) for k in
                   ("timestamps", "open", "high", "low", "close", "volume")}
        if part is not None and finest_tf != timeframe:
            columns["open"][-1], columns["close"][-1] = part.open[0], part.close[-1]
            columns["high"][-1], columns["low"][-1] = max(part.high), min(part.low)
            columns["volume"][-1] = sum(part.volume)
        return Candles(**columns, gaps=candles.gaps, unfinished_last=True, read_at_ms=now)


@cache
def _load(file: Path) -> Candles:
    columns: dict[str, list] = {
        k: [] for k in ("timestamps", "open", "high", "low", "close", "volume")
    }
    with file.open(newline="") as handle:
        for row in csv.DictReader(handle):
            moment = datetime.fromisoformat(row["timestamp"]).replace(tzinfo=UTC)
            columns["timestamps"].append(int(moment.timestamp() * 1000))
            for key in ("open", "high", "low", "close", "volume"):
                columns[key].append(float(row[key]))
    return Candles(**columns)
