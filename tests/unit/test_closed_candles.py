"""Closed candles only: replay knows its forming candle, the analysis leaves it out (shown as
the live price), times are close times, and the higher timeframe drops its forming bucket."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from shared.indicators.core import Series
from shared.indicators.technical import analyse, closed_buckets
from shared.market.closed import split
from shared.market.replay import ReplaySource
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def replay() -> ReplaySource:
    return ReplaySource(ROOT / "data" / "ohlcv")


def test_replay_now_is_the_newest_2h_close(replay: ReplaySource) -> None:
    two_hour = replay.candles("BTC/USDT", "2h", 10)
    assert replay.now_ms("BTC/USDT") == two_hour.timestamps[-1] + 2 * 3_600_000
    assert not two_hour.unfinished_last  # the 2h candle closes exactly at "now"


def test_the_bundled_daily_candle_of_the_last_day_is_forming(replay: ReplaySource) -> None:
    """The 1d file's last row is a mid-day snapshot; replay serves it as forming, rebuilt from
    the 2h candles of that day up to "now"."""
    daily = replay.candles("BTC/USDT", "1d", 50)
    day_start = daily.timestamps[-1]
    two_hour = replay.candles("BTC/USDT", "2h", 12)
    today = [i for i, ts in enumerate(two_hour.timestamps) if ts >= day_start]
    assert daily.unfinished_last and daily.read_at_ms == replay.now_ms("BTC/USDT")
    assert daily.close[-1] == two_hour.close[-1]
    assert daily.open[-1] == two_hour.open[today[0]]
    assert daily.high[-1] == max(two_hour.high[i] for i in today)


def test_analysis_is_of_the_last_closed_candle_with_the_live_price_apart(
        replay: ReplaySource) -> None:
    daily = replay.candles("BTC/USDT", "1d", 500)
    t = analyse(daily, "1d")
    assert t.price == daily.close[-2]  # the last closed day, not the forming one
    assert t.as_of == datetime(2025, 8, 26, tzinfo=UTC)  # its CLOSE time (opened 08-25)
    assert t.live_price == daily.close[-1]
    assert t.live_at == datetime.fromtimestamp(replay.now_ms("BTC/USDT") / 1000, UTC)


def test_the_forming_candle_never_changes_the_analysis(replay: ReplaySource) -> None:
    daily = replay.candles("BTC/USDT", "1d", 500)
    moved = daily.model_copy(update={
        "close": [*daily.close[:-1], daily.close[-1] * 1.3],
        "high": [*daily.high[:-1], daily.high[-1] * 1.3]})
    a, b = analyse(daily, "1d"), analyse(moved, "1d")
    assert a.indicators == b.indicators and a.signal == b.signal and a.levels == b.levels
    assert a.confidence == b.confidence and a.pivots == b.pivots and a.confluence == b.confluence
    assert b.live_price == pytest.approx(daily.close[-1] * 1.3)


def test_split_keeps_closed_candles_as_they_are(replay: ReplaySource) -> None:
    closed = replay.candles("BTC/USDT", "4h", 100)
    assert not closed.unfinished_last
    parts = split(closed)
    assert parts.closed == closed and parts.live_price is None


def test_higher_timeframe_leaves_out_its_forming_bucket() -> None:
    hour = 3_600_000
    start = 1_700_006_400_000 - 1_700_006_400_000 % (24 * hour)  # a UTC midnight
    count = 6 * 10 + 3  # ten whole days of 4h candles and half of an eleventh
    ts = np.array([start + i * 4 * hour for i in range(count)], dtype=np.int64)
    close = np.arange(count, dtype=float) + 100
    s = Series(ts, close, close + 1, close - 1, close, np.ones(count))
    days = closed_buckets(s, "4h", "1d")
    assert len(days.close) == 10 and days.close[-1] == close[59]
    whole = Series(*(c[:60] for c in (ts, close, close + 1, close - 1, close, np.ones(count))))
    assert len(closed_buckets(whole, "4h", "1d").close) == 10  # the tenth day closed: kept


def test_quote_is_timed_at_its_close(replay: ReplaySource) -> None:
    import asyncio

    quote = asyncio.run(replay.fetch_price("BTC/USDT"))
    assert quote.as_of == datetime.fromtimestamp(replay.now_ms("BTC/USDT") / 1000, UTC)
