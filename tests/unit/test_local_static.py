"""The local host serves the built web app as Firebase Hosting does: files, the SPA fallback
for the app's own routes, and the caching of hashed assets versus index.html."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.test import Client

from local.static import IMMUTABLE, NO_CACHE, StaticApp


@pytest.fixture
def client(tmp_path: Path) -> Client:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "config.js").write_text("window.CHARTGENIUS_CONFIG = {};")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path.parent / "secret.txt").write_text("outside the build")
    return Client(StaticApp(tmp_path))


def test_an_app_route_gets_index_html_uncached(client: Client) -> None:
    for path in ("/", "/analysis/0123abcd", "/signin"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert b"id=root" in answer.data
        assert answer.headers["Cache-Control"] == NO_CACHE
        assert answer.mimetype == "text/html"


def test_hashed_assets_are_cached_for_a_year_and_config_is_not(client: Client) -> None:
    asset = client.get("/assets/index-abc123.js")
    assert asset.status_code == 200 and asset.headers["Cache-Control"] == IMMUTABLE
    assert asset.mimetype in ("text/javascript", "application/javascript")
    config = client.get("/config.js")
    assert config.headers["Cache-Control"] == NO_CACHE


def test_a_missing_file_is_a_404_not_the_app(client: Client) -> None:
    assert client.get("/assets/index-gone.js").status_code == 404
    assert client.get("/favicon.ico").status_code == 404
    assert client.get("/../secret.txt").status_code in (200, 404)
    assert b"outside" not in client.get("/../secret.txt").data
    assert b"outside" not in client.get("/assets/../../secret.txt").data


def test_an_unbuilt_app_says_how_to_build_it(tmp_path: Path) -> None:
    answer = Client(StaticApp(tmp_path / "missing")).get("/")
    assert answer.status_code == 503
    assert b"make web" in answer.data
