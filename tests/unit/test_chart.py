"""The analyzer stores a full result and its chart; the API serves the chart to its owner."""

from __future__ import annotations

import pytest

from shared.api.app import create_app
from shared.charts import chart_path
from shared.charts.render import render_png
from shared.events import MarketFetched
from shared.indicators.technical import analyse
from shared.llm.pricing import usage_of
from shared.market.replay import ReplaySource
from shared.models import Analysis
from shared.services import analyses
from shared.services.analyze import analyze
from shared.services.request_analysis import request_analysis
from tests.conftest import ROOT
from tests.fakes import RecordingBus

PNG = b"\x89PNG\r\n\x1a\n"


def test_chart_is_a_png() -> None:
    candles = ReplaySource(ROOT / "data" / "ohlcv").candles("DOGE/USDT", "2h", 300)
    png = render_png(candles, analyse(candles, "2h").levels, title="DOGE/USDT 2h")
    assert png.startswith(PNG) and len(png) > 10_000


def analysed(ports, user_id: str, language: str) -> Analysis:
    bus = RecordingBus()
    created, _ = request_analysis(ports.store, bus, user_id=user_id, symbol="BTC/USDT",
                                  timeframe="1d", language=language, deadline_seconds=60)
    candles = ReplaySource(ROOT / "data" / "ohlcv").candles("BTC/USDT", "1d", 500)
    event = MarketFetched(correlation_id=created.id, analysis_id=created.id,
                          symbol="BTC/USDT", timeframe="1d", source="replay", candles=candles)
    for _ in range(2):  # a duplicate delivery changes nothing
        analyze(ports.store, bus, ports.llm, event, blobs=ports.blobs, prompts=ports.prompts)
    return analyses.load(ports.store, created.id)


@pytest.fixture
def client_and_user(ports):
    client = create_app().test_client()
    session = client.post("/api/auth/dev", json={"telegram_id": 4242}).get_json()
    return client, session["user"]["id"], {"Authorization": f"Bearer {session['token']}"}


def test_full_result_in_russian_with_chart_served_to_its_owner(ports, client_and_user) -> None:
    client, user_id, headers = client_and_user
    analysis = analysed(ports, user_id, "ru")
    result = analysis.result
    assert result is not None and result.language == "ru" and result.provider == "rule_based"
    assert "последняя закрытая свеча" in result.summary and result.key_points and result.risks
    assert result.bull_scenario and result.bull_scenario.invalidation < result.price
    assert result.bear_scenario and result.bear_scenario.invalidation > result.price
    assert result.prompt_name == "analysis-ru" and result.prompt_version == 1
    assert result.levels and result.trend and result.confluence
    assert result.usage.attempts == ["rule_based:ok"]
    assert result.chart_url == f"/api/analysis/{analysis.id}/chart.png"
    response = client.get(result.chart_url, headers=headers)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(PNG)
    day = usage_of(ports.store, user_id, analysis.updated_at.date().isoformat())
    assert day is not None and day["analyses"] == [analysis.id]


def test_chart_of_someone_elses_analysis_is_404(ports, client_and_user) -> None:
    client, _, headers = client_and_user
    analysis = analysed(ports, "someone-else", "en")
    assert ports.blobs.get(chart_path(analysis.id)) is not None
    assert client.get(f"/api/analysis/{analysis.id}/chart.png", headers=headers).status_code == 404
