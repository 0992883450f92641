"""Backtest speed: the walk-forward track record of the whole bundled BTC/USDT 4h history
(every closed candle scored at 5, 10 and 20 candles, with the baselines), in analyses per
second; target: one pair and timeframe's whole history in under a minute on 2 cores. For
comparison, the full ``analyse()`` per candle on a sample."""

from __future__ import annotations

import sys
import time

from bench.local_system import ROOT
from shared.backtest.history import load
from shared.backtest.walk import track_record
from shared.indicators.technical import analyse
from shared.market.replay import ReplaySource

DATA = ROOT / "data" / "ohlcv"


def walk_forward(symbol: str = "BTC/USDT", timeframe: str = "4h") -> None:
    started = time.perf_counter()
    history = load(DATA, symbol, timeframe)
    loaded = time.perf_counter()
    record = track_record(history, timeframe)
    done = time.perf_counter()
    candles = record["candles"]
    sys.stdout.write(
        f"walk-forward {symbol} {timeframe}: {len(history.close)} closed candles, {candles} "
        f"scored, load {1000 * (loaded - started):.0f} ms, record {1000 * (done - loaded):.0f} "
        f"ms → {candles / (done - started):,.0f} analyses/s (target: whole history < 60 s)\n")


def per_candle_analyse(sample: int = 200) -> None:
    candles = ReplaySource(DATA).candles("BTC/USDT", "4h", 10**6)
    started = time.perf_counter()
    for end in range(len(candles) - sample, len(candles)):
        analyse(candles.model_copy(update={k: getattr(candles, k)[end - 500:end] for k in (
            "timestamps", "open", "high", "low", "close", "volume")}), "4h")
    each = (time.perf_counter() - started) / sample
    sys.stdout.write(f"full analyse() per candle (500-candle window): {1000 * each:.1f} ms → "
                     f"{1 / each:,.0f} analyses/s; the whole history would take "
                     f"{each * len(candles):.0f} s\n")


def main() -> None:
    walk_forward()
    walk_forward("BTC/USDT", "1d")
    per_candle_analyse()


if __name__ == "__main__":
    main()
