"""The replay source on the bundled real candles."""

from __future__ import annotations

import asyncio

import pytest

from shared.errors import NoSourceAvailable
from shared.market.replay import ReplaySource
from shared.market.timeframes import bucket_start, duration_ms, resample
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def replay() -> ReplaySource:
    return ReplaySource(ROOT / "data" / "ohlcv")


def test_lists_the_bundled_pairs(replay: ReplaySource) -> None:
    assert replay.symbols() == ["BTC/USDT", "DOGE/USDT", "ETH/USDT"]


def test_daily_resampled_from_2h_matches_binance_daily(replay: ReplaySource) -> None:
    """Binance's own daily candles equal our resampling of its 2h candles (no-gap days)."""
    two_hour = replay.candles("BTC/USDT", "2h", 12 * 60)
    daily = resample(two_hour, "1d")
    native = replay.candles("BTC/USDT", "1d", 3000)
    by_day = dict(zip(native.timestamps, range(len(native)), strict=True))
    compared = 0
    for i, ts in enumerate(daily.timestamps[1:-1], start=1):  # first/last may be partial
        j = by_day[ts]
        assert daily.open[i] == native.open[j]
        assert daily.high[i] == native.high[j]
        assert daily.low[i] == native.low[j]
        assert daily.close[i] == native.close[j]
        assert daily.volume[i] == pytest.approx(native.volume[j], rel=1e-6)
        compared += 1
    assert compared >= 50


def test_4h_buckets_are_aligned_and_ordered(replay: ReplaySource) -> None:
    candles = replay.candles("ETH/USDT", "4h", 300)
    assert len(candles) == 300
    assert all(ts % duration_ms("4h") == 0 for ts in candles.timestamps)
    assert candles.timestamps == sorted(set(candles.timestamps))


def test_weekly_candles_open_on_monday(replay: ReplaySource) -> None:
    candles = replay.candles("BTC/USDT", "1w", 50)
    assert {c.weekday() for c in (
        __import__("datetime").datetime.fromtimestamp(ts / 1000, __import__("datetime").UTC)
        for ts in candles.timestamps)} == {0}
    assert bucket_start(candles.timestamps[-1] + 3 * 86_400_000, "1w") == candles.timestamps[-1]


def test_the_newest_bundled_candle_is_now(replay: ReplaySource) -> None:
    candles = asyncio.run(replay.fetch_candles("BTC/USDT", "1d", 10))
    assert candles.last_time.date().isoformat() == "2025-08-26"


def test_unbundled_pairs_and_finer_timeframes_are_not_supported(replay: ReplaySource) -> None:
    assert not replay.supports("XRP/USDT", "1d")
    assert not replay.supports("BTC/USDT", "1h")  # finer than any bundled file
    with pytest.raises(NoSourceAvailable):
        replay.candles("XRP/USDT", "1d", 10)
