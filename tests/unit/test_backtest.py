"""The walk-forward backtester: the engine's signal replayed without look-ahead, scored
against baselines, and the calibrated confidence checked out of sample."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from shared.backtest import engine
from shared.backtest.calibrate import calibrate, check
from shared.backtest.fit import fit, pool_adjacent_violators
from shared.backtest.history import load
from shared.backtest.stats import forward_returns, record, reliability, wilson
from shared.backtest.walk import History, first_full, track_record
from shared.indicators import calibration
from shared.indicators.core import compute
from shared.indicators.signal import decide, votes
from shared.market.replay import ReplaySource
from tests.conftest import ROOT

DATA = ROOT / "data" / "ohlcv"


@pytest.fixture(scope="module")
def daily() -> History:
    return load(DATA, "BTC/USDT", "1d")


def test_one_pass_equals_the_engine_run_on_each_prefix() -> None:
    """TA-Lib's voting indicators are causal: the vectorised score at t equals what the
    product's own indicator and vote code computes from the candles up to t."""
    candles = ReplaySource(DATA).candles("BTC/USDT", "1d", 10**6)
    calls = engine.calls(np.asarray(candles.close, dtype=float))
    stretch = [*range(180, 230), *range(1500, 1530), *range(len(candles) - 30, len(candles))]
    for t in stretch:
        prefix = candles.model_copy(update={k: getattr(candles, k)[:t + 1] for k in (
            "timestamps", "open", "high", "low", "close", "volume")})
        cast = votes(prefix.close[-1], compute(prefix))
        signal, score = decide(cast)
        assert calls.voters[t] == len(cast)
        assert calls.score[t] == pytest.approx(score, abs=1e-12)
        assert engine.LEVELS[calls.level[t] + 2] == signal.value


def test_no_look_ahead_appending_candles_changes_no_past_call(daily: History) -> None:
    cut = len(daily.close) - 400
    short, full = engine.calls(daily.close[:cut]), engine.calls(daily.close)
    np.testing.assert_array_equal(short.level, full.level[:cut])
    np.testing.assert_allclose(short.score, full.score[:cut], equal_nan=True)


def test_wilson_interval_matches_the_formula() -> None:
    low, high = wilson(54, 100)
    assert low == pytest.approx(0.4426, abs=1e-4) and high == pytest.approx(0.6344, abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_record_counts_hits_the_way_of_the_call() -> None:
    direction = np.array([1, -1, 0, 1, -1])
    forward = np.array([0.02, 0.01, 0.5, -0.03, -0.04])
    got = record(direction, forward)
    assert got["n"] == 4 and got["hits"] == 2 and got["hit_rate"] == 0.5
    assert got["mean_return"] == pytest.approx((0.02 - 0.01 - 0.03 + 0.04) / 4)


def test_always_long_baseline_recomputed_from_the_csv(daily: History) -> None:
    """The holding baseline the track record reports, recomputed in plain Python from the
    bundled file: over the candles it covers, how often the close 10 days on was higher."""
    result = track_record(daily, "1d")["horizons"]["10"]["always_long"]
    with (DATA / "binance_BTC_USDT_1d.csv").open() as handle:
        closes = [float(row["close"]) for row in csv.DictReader(handle)][:-1]  # last forming
    start = 199  # EMA 200 votes from the 200th candle on
    pairs = [(closes[t], closes[t + 10]) for t in range(start, len(closes) - 10)]
    assert result["n"] == len(pairs)
    assert result["hits"] == sum(1 for now, later in pairs if later > now)


def test_baselines_share_the_candles_and_the_random_mix(daily: History) -> None:
    rows = track_record(daily, "1d")["horizons"]["10"]
    calls = engine.calls(daily.close)
    start = first_full(calls)
    fwd = forward_returns(daily.close, 10)
    known = ~np.isnan(fwd[start:])
    assert rows["calls"]["n"] == int((calls.lean()[start:][known] != 0).sum())
    assert rows["calls"]["n"] == rows["buy"]["n"] + rows["sell"]["n"]
    assert rows["buy"]["n"] == sum(rows["levels"][k]["n"] for k in ("buy", "strong_buy"))
    assert rows["always_long"]["n"] == int(known.sum()) == rows["momentum_20"]["n"]
    assert abs(rows["random"]["n"] - rows["calls"]["n"]) <= 20  # same mix, shuffled
    for name in ("calls", "always_long", "momentum_20", "random"):
        assert rows[name]["ci_low"] <= rows[name]["hit_rate"] <= rows[name]["ci_high"]


def test_isotonic_fit_pools_violators_and_is_flat_without_edge() -> None:
    fitted = pool_adjacent_violators([0.6, 0.4, 0.5, 0.7], [1.0, 1.0, 2.0, 1.0])
    assert fitted == sorted(fitted) and fitted[-1] == 0.7
    assert fitted[0] == pytest.approx((0.6 + 0.4 + 2 * 0.5) / 4)
    rng = np.random.default_rng(1)
    score = rng.choice([-0.5, 0.0, 0.5], size=4000)
    up = (rng.random(4000) < 0.5).astype(float)  # a coin: no edge
    p = [b["p_up"] for b in fit(score, up)["bins"]]
    assert max(p) - min(p) < 0.03 and all(abs(v - 0.5) < 0.04 for v in p)


def test_confidence_is_calibrated_out_of_sample_on_1d_and_4h() -> None:
    """Fitted on candles whose outcome was known before 2023, scored after: the stated
    confidence's Brier score is no worse than the base rate's."""
    cutoff = 1_672_531_200_000  # 2023-01-01
    for timeframe in ("1d", "4h"):
        h = load(DATA, "BTC/USDT", timeframe)
        out = check(h.timestamps, h.close, cutoff)["out_of_sample"]
        assert out["n"] > 500
        assert out["brier"] <= out["brier_base_rate"], (timeframe, out)


def test_the_shipped_calibration_is_what_the_command_computes(tmp_path) -> None:
    shipped = json.loads(calibration.FILE.read_text())
    fresh = calibrate(DATA)
    assert fresh["timeframes"] == shipped["timeframes"]
    assert fresh["checks"]["1d"] == shipped["checks"]["1d"]


def test_a_neutral_signal_claims_nothing_and_the_map_reads_from_data() -> None:
    outlook = calibration.lookup("1d", 0.0)
    assert outlook.calibrated and 0.4 < outlook.p_up < 0.6
    assert calibration.confidence(0, outlook) == 0.5
    assert calibration.confidence(-1, outlook) == pytest.approx(1 - outlook.p_up, abs=1e-4)
    assert not calibration.lookup("15m", 0.5).calibrated  # no bundled 15m history


def test_reliability_table_bins_forecasts() -> None:
    table = reliability(np.array([0.4, 0.42, 0.52, 0.58]), np.array([0.0, 1.0, 1.0, 1.0]))
    assert [(r["bin"], r["n"], r["observed"]) for r in table] == [
        ("0.00–0.45", 2, 0.5), ("0.50–0.55", 1, 1.0), ("0.55–0.60", 1, 1.0)]
