"""The published track record: computed by the backtester on a schedule, stored, served by
``GET /api/track-record``, summarised on every result without claiming more than it shows."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest

from shared.api.app import create_app
from shared.events import MarketFetched
from shared.services import analyses
from shared.services.analyze import analyze
from shared.services.request_analysis import request_analysis
from shared.services.track_record import refresh, stored
from shared.trackrecord import TrackRecordSummary, line, summary_of
from tests.conftest import ROOT
from tests.fakes import RecordingBus

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)
PAIRS = ["BTC/USDT 1d", "BTC/USDT 4h"]


@pytest.fixture
def refreshed(ports):
    assert refresh(ports.store, ports.sources, PAIRS, now=NOW) == PAIRS
    return ports


def test_api_serves_the_record_with_its_baselines(refreshed) -> None:
    client = create_app().test_client()
    reply = client.get("/api/track-record?symbol=btc/usdt&timeframe=1d")
    assert reply.status_code == 200
    body = reply.get_json()
    ten = body["record"]["horizons"]["10"]
    assert body["symbol"] == "BTC/USDT" and body["source"] == "replay"
    assert body["record"]["last_candle_at"] == "2025-08-26T00:00:00Z"  # last CLOSED day
    for name in ("calls", "buy", "sell", "always_long", "momentum_20", "random"):
        assert {"n", "hit_rate", "ci_low", "ci_high", "mean_return", "median_return"} <= set(
            ten[name])
    assert ten["confidence"]["brier"] > 0 and ten["confidence"]["reliability"]
    assert body["summary"]["buy"]["en"].startswith("Buy calls on BTC/USDT 1d were right")
    assert body["calibration"]["out_of_sample"]["n"] > 0


def test_the_served_holding_baseline_is_recomputed_from_the_csv(refreshed) -> None:
    body = create_app().test_client().get(
        "/api/track-record?symbol=BTC/USDT&timeframe=1d").get_json()
    hold = body["record"]["horizons"]["10"]["always_long"]
    with (ROOT / "data" / "ohlcv" / "binance_BTC_USDT_1d.csv").open() as handle:
        rows = list(csv.DictReader(handle))[:-1]  # the last day is forming at replay's now
    closes = [float(r["close"]) for r in rows]
    start = 199  # the first candle with an EMA 200
    assert rows[start]["timestamp"][:10] == (
        datetime.fromisoformat(body["record"]["first_candle_at"][:10]) - timedelta(days=1)
    ).date().isoformat()
    later = [closes[t + 10] > closes[t] for t in range(start, len(closes) - 10)]
    assert hold["n"] == len(later) and hold["hits"] == sum(later)
    assert hold["hit_rate"] == round(sum(later) / len(later), 4)


def test_bad_or_unknown_pairs_get_clear_4xx(refreshed) -> None:
    client = create_app().test_client()
    assert client.get("/api/track-record?symbol=BTC/USDT&timeframe=3d").status_code == 400
    assert client.get("/api/track-record?symbol=B&timeframe=1d").status_code == 400
    assert client.get("/api/track-record?symbol=BTC/USDT").status_code == 400
    missing = client.get("/api/track-record?symbol=ETH/USDT&timeframe=1d")
    assert missing.status_code == 404 and "schedule" in missing.get_json()["error"]["message"]


def test_refresh_keeps_a_fresh_record_and_recomputes_the_same_one(refreshed) -> None:
    first = stored(refreshed.store, "BTC/USDT", "1d")
    assert refresh(refreshed.store, refreshed.sources, PAIRS, now=NOW + timedelta(hours=1)) == []
    later = NOW + timedelta(days=2)
    assert refresh(refreshed.store, refreshed.sources, PAIRS, now=later) == PAIRS
    again = stored(refreshed.store, "BTC/USDT", "1d")
    assert again is not None and first is not None and again["record"] == first["record"]


def test_a_pair_no_source_serves_is_skipped(ports) -> None:
    assert refresh(ports.store, ports.sources, ["XRP/USDT 1d", "BTC/USDT 1d"], now=NOW) == [
        "BTC/USDT 1d"]


def test_every_result_carries_the_summary_of_its_kind_of_call(refreshed) -> None:
    from shared.market.replay import ReplaySource

    created, _ = request_analysis(refreshed.store, RecordingBus(), user_id="7",
                                  symbol="BTC/USDT", timeframe="4h", deadline_seconds=60)
    candles = ReplaySource(ROOT / "data" / "ohlcv").candles("BTC/USDT", "4h", 500)
    analyze(refreshed.store, RecordingBus(), refreshed.llm, MarketFetched(
        correlation_id=created.id, analysis_id=created.id, symbol="BTC/USDT", timeframe="4h",
        source="replay", candles=candles), charts=False)
    result = analyses.load(refreshed.store, created.id).result
    assert result is not None and result.track_record is not None
    side = "buy" if "buy" in result.signal else "sell" if "sell" in result.signal else "calls"
    record = stored(refreshed.store, "BTC/USDT", "4h")
    assert record is not None
    expected = record["record"]["horizons"]["10"][side]
    assert result.track_record.side == side and result.track_record.n == expected["n"]
    assert result.track_record.hit_rate == expected["hit_rate"]
    from shared.bot.reports import track_record_line  # the Telegram report shows the line

    shown = track_record_line(result, "ru")
    assert shown is not None and shown.startswith("Сигналы на") and "BTC/USDT 4h" in shown


def _summary(rate: float, low: float, high: float, hold: float) -> TrackRecordSummary:
    return TrackRecordSummary(horizon=10, side="buy", hit_rate=rate, ci_low=low, ci_high=high,
                              n=800, baseline_always_long=hold)


def test_the_line_claims_no_more_than_the_interval_allows() -> None:
    same = line(_summary(0.54, 0.505, 0.575, 0.55), "BTC/USDT", "1d")
    assert same == ("Buy calls on BTC/USDT 1d were right 54% of the time over 10 candles "
                    "(95% CI 50%–58%, n = 800); holding: 55% — no measurable difference "
                    "from holding.")
    assert "better than holding" in line(_summary(0.62, 0.58, 0.66, 0.55), "BTC/USDT", "1d")
    assert "worse than holding" in line(_summary(0.45, 0.41, 0.49, 0.55), "BTC/USDT", "1d")
    ru = line(_summary(0.54, 0.505, 0.575, 0.55), "BTC/USDT", "1d", "ru")
    assert "за 10 свечей" in ru and "54\u00a0%" in ru and "удержание: 55\u00a0%" in ru


def test_no_record_no_summary() -> None:
    assert summary_of(None, "buy") is None
    assert summary_of({"record": {"horizons": {}}}, "buy") is None
