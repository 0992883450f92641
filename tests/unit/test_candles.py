"""The analyzer keeps the candles it used; ``GET /api/analysis/{id}/candles`` serves them to
their owner (or an admin) in one shape, and only once the analysis has completed."""

from __future__ import annotations

import json

import numpy as np
import pytest
import talib

from shared.api.app import create_app
from shared.charts import candles_path
from shared.charts.series import OVERLAYS, candle_series
from shared.events import MarketFetched
from shared.market.replay import ReplaySource
from shared.models import Analysis, Candles
from shared.services import analyses
from shared.services.analyze import analyze
from shared.services.request_analysis import request_analysis
from shared.services.users import ensure_user
from tests.conftest import ROOT
from tests.fakes import RecordingBus

REPLAY = ReplaySource(ROOT / "data" / "ohlcv")


def _requested(ports, user_id: str) -> Analysis:
    created, _ = request_analysis(ports.store, RecordingBus(), user_id=user_id,
                                  symbol="BTC/USDT", timeframe="1d", deadline_seconds=60)
    return created


def _analysed(ports, user_id: str, candles: Candles) -> Analysis:
    created = _requested(ports, user_id)
    event = MarketFetched(correlation_id=created.id, analysis_id=created.id, symbol="BTC/USDT",
                          timeframe="1d", source="replay", candles=candles)
    for _ in range(2):  # a repeated delivery leaves one stored series
        analyze(ports.store, RecordingBus(), ports.llm, event, blobs=ports.blobs, charts=False)
    return analyses.load(ports.store, created.id)


@pytest.fixture
def client(ports):
    return create_app().test_client()


def _headers(client, telegram_id: int, role: str = "user") -> dict[str, str]:
    session = client.post("/api/auth/dev", json={"telegram_id": telegram_id, "role": role})
    return {"Authorization": f"Bearer {session.get_json()['token']}"}


def test_owner_gets_the_candles_the_analysis_used_with_overlays(ports, client) -> None:
    headers = _headers(client, 501)
    candles = REPLAY.candles("BTC/USDT", "1d", 400)
    analysis = _analysed(ports, "501", candles)
    assert analysis.result and analysis.result.candles_url == \
        f"/api/analysis/{analysis.id}/candles"
    reply = client.get(analysis.result.candles_url, headers=headers)
    assert reply.status_code == 200 and reply.mimetype == "application/json"
    assert reply.headers["Cache-Control"].startswith("private")
    body = reply.get_json()
    assert (body["symbol"], body["timeframe"], body["source"]) == ("BTC/USDT", "1d", "replay")
    assert body["t"] == candles.timestamps and body["c"] == candles.close
    assert {len(body[k]) for k in "tohlcv"} == {400}
    assert set(body["overlays"]) == set(OVERLAYS)
    assert all(len(line) == 400 for line in body["overlays"].values())
    # EMA 200 needs 200 closes: 199 nulls, then the value the card shows as ema_200.
    # The bundled last day is forming: the analysis is of the candle before it, whose close
    # is the chart's last closed entry.
    ema_200 = body["overlays"]["ema_200"]
    assert candles.unfinished_last and body["forming"] is True
    assert ema_200[:199] == [None] * 199 and ema_200[199] is not None
    assert ema_200[-2] == pytest.approx(analysis.result.indicators.ema_200)
    assert body["overlays"]["bb_upper"][-2] == pytest.approx(analysis.result.indicators.bb_upper)
    assert body["closed_through"] == candles.timestamps[-2]


def test_a_forming_last_candle_is_never_called_closed() -> None:
    closed = REPLAY.candles("ETH/USDT", "2h", 60)
    forming = Candles(**{**closed.model_dump(), "unfinished_last": True})
    series = candle_series("a1", "ETH/USDT", "2h", "binance", forming)
    assert series["forming"] is True
    assert series["closed_through"] == closed.timestamps[-2]
    expected = talib.EMA(np.asarray(closed.close), timeperiod=20)
    assert series["overlays"]["ema_20"][-1] == pytest.approx(float(expected[-1]))
    json.dumps(series, allow_nan=False)  # no NaN ever reaches the page


def test_before_completion_it_is_404_with_the_reason(ports, client) -> None:
    headers = _headers(client, 502)
    queued = _requested(ports, "502")
    reply = client.get(f"/api/analysis/{queued.id}/candles", headers=headers)
    assert reply.status_code == 404
    error = reply.get_json()["error"]
    assert error["details"] == {"status": "queued", "reason": "not_completed"}
    assert "queued" in error["message"]


def test_a_completed_analysis_without_stored_candles_is_404_not_500(ports, client) -> None:
    headers = _headers(client, 503)
    analysis = _analysed(ports, "503", REPLAY.candles("BTC/USDT", "1d", 300))
    ports.blobs.delete(candles_path(analysis.id))
    reply = client.get(f"/api/analysis/{analysis.id}/candles", headers=headers)
    assert reply.status_code == 404
    assert reply.get_json()["error"]["details"]["reason"] == "not_stored"


def test_someone_elses_candles_are_404_but_an_admin_reads_them(ports, client) -> None:
    ensure_user(ports.store, 504)
    analysis = _analysed(ports, "504", REPLAY.candles("BTC/USDT", "1d", 300))
    path = f"/api/analysis/{analysis.id}/candles"
    assert client.get(path, headers=_headers(client, 505)).status_code == 404
    assert client.get(path, headers=_headers(client, 506, "admin")).status_code == 200
