"""``GET /api/analysis`` pages and filters the same on Firestore (its emulator ignores store
cursors, which is why the API's cursor is a ``created_at <`` filter), and the public views
the browser reads are written there too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from shared import bootstrap
from shared.adapters.firestore_store import FirestoreDocumentStore
from shared.api.app import create_app
from shared.services.analysis_view import VIEWS
from shared.services.request_analysis import request_analysis
from tests.conftest import make_settings
from tests.fakes import RecordingBus

pytestmark = pytest.mark.emulator


@pytest.fixture
def firestore_api(firestore_env, unique: str, tmp_path: Path
                  ) -> Iterator[tuple[FlaskClient, FirestoreDocumentStore]]:
    store = FirestoreDocumentStore(project=f"demo-{unique}")
    ports = bootstrap.Container(make_settings(tmp_path)).override(store=store,
                                                                   bus=RecordingBus())
    bootstrap.reset(ports)
    yield create_app().test_client(), store
    bootstrap.reset(None)
    store.close()


def test_history_pages_and_filters_on_firestore(firestore_api) -> None:
    client, store = firestore_api
    token = client.post("/api/auth/dev", json={"telegram_id": 620}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    made = []
    for symbol in ("BTC/USDT", "ETH/USDT", "BTC/USDT", "DOGE/USDT", "BTC/USDT"):
        analysis, _ = request_analysis(store, RecordingBus(), user_id="620", symbol=symbol,
                                       timeframe="1d", deadline_seconds=600,
                                       enforce_quota=False)
        made.append((analysis.id, symbol))
    request_analysis(store, RecordingBus(), user_id="621", symbol="BTC/USDT", timeframe="1d",
                     deadline_seconds=600, enforce_quota=False)

    def walk(query: str) -> list[str]:
        ids, cursor = [], None
        while True:
            suffix = f"&cursor={cursor}" if cursor else ""
            page = client.get(f"/api/analysis?{query}{suffix}", headers=headers).get_json()
            ids += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return ids

    assert walk("limit=2") == [i for i, _ in made][::-1]
    assert walk("limit=2&symbol=BTC/USDT") == [i for i, s in made if s == "BTC/USDT"][::-1]
    view = store.get(VIEWS, made[0][0])
    assert view is not None and view["user_id"] == "620" and "chat_id" not in view
