"""What the web app reads about the signed-in user and the market: history with paging and
a pair filter, the plan and today's quota, and the pairs the sources serve."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.api.app import create_app
from shared.market.pairs import servable_pairs
from shared.market.replay import ReplaySource
from shared.models import User
from shared.services import quotas
from shared.services.request_analysis import request_analysis
from tests.conftest import ROOT
from tests.fakes import RecordingBus


@pytest.fixture
def signed_in(ports):
    client = create_app().test_client()
    session = client.post("/api/auth/dev", json={"telegram_id": 610}).get_json()
    return client, {"Authorization": f"Bearer {session['token']}"}


def _request(ports, symbol: str, user_id: str = "610") -> str:
    made, _ = request_analysis(ports.store, RecordingBus(), user_id=user_id, symbol=symbol,
                               timeframe="1d", deadline_seconds=600, enforce_quota=False)
    return made.id


def _pages(client, headers, query: str) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        url = f"/api/analysis?{query}" + (f"&cursor={cursor}" if cursor else "")
        reply = client.get(url, headers=headers)
        assert reply.status_code == 200, reply.get_json()
        pages.append(reply.get_json()["items"])
        cursor = reply.get_json()["next_cursor"]
        if cursor is None:
            return pages


def test_history_pages_newest_first_without_repeats(ports, signed_in) -> None:
    client, headers = signed_in
    made = [_request(ports, s) for s in ("BTC/USDT", "ETH/USDT", "BTC/USDT", "DOGE/USDT",
                                          "BTC/USDT")]
    _request(ports, "BTC/USDT", user_id="611")  # another user's never shows
    pages = _pages(client, headers, "limit=2")
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [item["id"] for page in pages for item in page] == made[::-1]


def test_history_filters_by_pair_in_any_spelling(ports, signed_in) -> None:
    client, headers = signed_in
    made = [_request(ports, s) for s in ("BTC/USDT", "ETH/USDT", "BTC/USDT", "BTC/USDT")]
    pages = _pages(client, headers, "limit=2&symbol=btcusdt")
    ids = [item["id"] for page in pages for item in page]
    assert ids == [made[3], made[2], made[0]]
    assert {item["symbol"] for page in pages for item in page} == {"BTC/USDT"}


@pytest.mark.parametrize(("query", "fragment"), [
    ("symbol=BTC//USDT", "symbol"), ("cursor=bm90LWEtZGF0ZQ", "cursor"), ("limit=0", "limit"),
])
def test_bad_history_queries_are_400_with_a_reason(signed_in, query: str, fragment: str) -> None:
    client, headers = signed_in
    reply = client.get(f"/api/analysis?{query}", headers=headers)
    assert reply.status_code == 400 and fragment in reply.get_json()["error"]["message"]


def test_me_shows_plan_and_quota_with_its_reset(ports, signed_in) -> None:
    client, headers = signed_in
    for _ in range(2):
        assert client.post("/api/analysis", json={"symbol": "BTC/USDT", "timeframe": "1d"},
                           headers=headers).status_code == 202
    me = client.get("/api/me", headers=headers).get_json()
    assert me["role"] == "user" and me["plan"]["name"] == "user"
    assert me["plan"]["daily_analyses"] == 5 and me["plan"]["watch_items"] == 10
    quota = me["quota"]
    assert (quota["used"], quota["limit"], quota["remaining"]) == (2, 5, 3)
    assert quota["resets_at"].endswith("T00:00:00Z")


def test_quota_of_an_unlimited_admin_and_an_override(ports) -> None:
    now = datetime(2026, 3, 4, 22, 30, tzinfo=UTC)
    admin = User(id="1", role="admin", created_at=now)  # type: ignore[arg-type]
    quota = quotas.standing(ports.store, admin, now)["quota"]
    assert (quota["limit"], quota["remaining"]) == (None, None)
    assert quota["resets_at"] == "2026-03-05T00:00:00Z"
    capped = User(id="2", daily_quota=1, created_at=now)
    quotas.consume(ports.store, "2", 1, now)
    assert quotas.standing(ports.store, capped, now)["quota"]["remaining"] == 0


def test_pairs_are_what_the_local_replay_serves(ports, signed_in) -> None:
    client, headers = signed_in
    reply = client.get("/api/market/pairs", headers=headers)
    assert reply.status_code == 200
    rows = {row["symbol"]: row for row in reply.get_json()["pairs"]}
    assert set(rows) == {"BTC/USDT", "ETH/USDT", "DOGE/USDT"}
    assert rows["BTC/USDT"]["sources"] == ["replay"]
    assert {"1d", "2h", "4h", "1w"} <= set(rows["BTC/USDT"]["timeframes"])
    assert "1h" not in rows["ETH/USDT"]["timeframes"]  # 2h data cannot make 1h candles


class _UsdtExchange:
    """A source that serves any */USDT pair on 1h and 4h (as an exchange profile does)."""

    name = "exchange"

    def supports(self, symbol: str, timeframe: str) -> bool:
        return symbol.endswith("/USDT") and timeframe in ("1h", "4h")


def test_pairs_merge_what_each_source_serves() -> None:
    replay = ReplaySource(ROOT / "data" / "ohlcv")
    rows = {r["symbol"]: r for r in servable_pairs([replay, _UsdtExchange()])}  # type: ignore
    assert rows["BTC/USDT"]["sources"] == ["replay", "exchange"]
    assert rows["SOL/USDT"] == {"symbol": "SOL/USDT", "base": "SOL", "quote": "USDT",
                                "sources": ["exchange"], "timeframes": ["1h", "4h"]}
    assert "SOL/EUR" not in rows
