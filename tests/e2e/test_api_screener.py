"""The screener: a scheduled scan through market_fetcher ranks the replay pairs, and
``GET /api/screener`` serves the ranking, sortable, to any signed-in user."""

from __future__ import annotations

import uuid

from flask.testing import FlaskClient

from local.functions import load_function
from local.scan import scan_request
from shared import delivery
from shared.api.app import create_app
from shared.bootstrap import Container
from shared.market.replay import ReplaySource
from shared.services import screener
from tests.conftest import ROOT
from tests.fakes import RecordingBus


def scan(ports: Container, scan_id: str, timeframe: str = "4h") -> int:
    event = scan_request(scan_id, timeframe=timeframe)
    data, attributes = delivery.encode(event)
    headers, body = delivery.to_cloudevent("test", event.topic, uuid.uuid4().hex, data,
                                           attributes)
    app = load_function("market_fetcher")
    return app.test_client().post("/", headers=headers, data=body).status_code


def signed_in(client: FlaskClient) -> dict[str, str]:
    token = client.post("/api/auth/dev", json={"telegram_id": 77}).json["token"]  # type: ignore
    return {"Authorization": f"Bearer {token}"}


def test_a_scan_ranks_the_replay_pairs_and_the_api_serves_them(ports: Container) -> None:
    ports.override(bus=RecordingBus())
    client = create_app().test_client()
    auth = signed_in(client)
    before = client.get("/api/screener", headers=auth).json
    assert before["rows"] == [] and before["as_of"] is None  # no scan yet: empty, not an error
    assert scan(ports, "scan-a") == 200
    assert scan(ports, "scan-a") == 200  # delivered twice: the same snapshot
    page = client.get("/api/screener", headers=auth).json
    replay = ReplaySource(ROOT / "data" / "ohlcv").symbols()
    assert sorted(r["symbol"] for r in page["rows"]) == replay  # every replay pair, once
    assert page["scan_id"] == "scan-a" and page["universe_source"] == "replay"
    strengths = [abs(r["strength"]) for r in page["rows"]]
    assert strengths == sorted(strengths, reverse=True)  # strongest signal first
    for r in page["rows"]:
        assert r["timeframe"] == "4h" and r["price"] > 0 and -2 <= r["strength"] <= 2
        assert r["signal"] in ("strong_buy", "buy", "neutral", "sell", "strong_sell")
    by_move = client.get("/api/screener?sort=move&limit=2", headers=auth).json
    moves = [abs(r["change_pct"]) for r in page["rows"]]
    assert [abs(r["change_pct"]) for r in by_move["rows"]] == sorted(moves, reverse=True)[:2]
    record = ports.store.get("scans", "scan-a")
    assert record is not None and record["screener"]["ranked"] == len(replay)


def test_bad_screener_queries_are_400_with_a_reason(ports: Container) -> None:
    client = create_app().test_client()
    auth = signed_in(client)
    for bad in ("sort=price", "timeframe=7m", "limit=0", "extra=1"):
        reply = client.get(f"/api/screener?{bad}", headers=auth)
        assert reply.status_code == 400, bad
        assert reply.json["error"]["message"]  # type: ignore[index]
    assert client.get("/api/screener").status_code == 401


def test_ranking_puts_strong_signals_first_either_side() -> None:
    def row(symbol: str, strength: float, move: float) -> screener.Row:
        return screener.Row(symbol, "4h", 1.0, "t", move, "buy", 0.5, strength)

    rows = [row("A/USDT", 0.4, 9.0), row("B/USDT", -1.5, 1.0), row("C/USDT", 0.4, -12.0)]
    assert [r.symbol for r in screener.ranked(rows)] == ["B/USDT", "C/USDT", "A/USDT"]
    assert [r.symbol for r in screener.ranked(rows, "move")] == ["C/USDT", "A/USDT", "B/USDT"]
