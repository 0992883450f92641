"""The screener page in Chromium against the whole local system: a scan ranks the replay
pairs, the page lists and sorts them, a row opens a full analysis, and the digest toggle
sets the same preference the bot's /digest does."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from local.scan import scan_request
from shared.market.replay import ReplaySource
from shared.services import digest
from shared.services.fetch_market import scan_market
from tests.conftest import ROOT
from tests.e2e.conftest import System
from tests.e2e.web_browser import DESKTOP, Watch, checked, new_context, open_page
from tests.fakes import RecordingBus

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser, system: System) -> Iterator[tuple[Page, Watch]]:
    watch = Watch()
    context = new_context(browser, watch, DESKTOP)
    yield open_page(context, watch, system.url + "/screener"), watch
    checked(watch)
    context.close()


def symbols(page: Page) -> list[str]:
    return [r.get_attribute("data-symbol") or "" for r in
            page.get_by_test_id("screener-row").all()]


def test_the_screener_page_lists_sorts_and_opens_the_ranked_pairs(
        system: System, page: tuple[Page, Watch]) -> None:
    tab, _ = page
    expect(tab.get_by_text("No scan has ranked the market yet.")).to_be_visible()
    scan = threading.Thread(target=lambda: scan_market(  # Playwright's loop runs here
        system.ports.store, RecordingBus(), [ReplaySource(ROOT / "data" / "ohlcv")],
        scan_request("web-scan"), 500, use_cache=False, screener_size=10))
    scan.start()
    scan.join(60)
    tab.reload()
    rows = tab.get_by_test_id("screener-row")
    expect(rows).to_have_count(3)
    ranked = requests.get(f"{system.url}/api/screener?sort=move", timeout=5, headers={
        "Authorization": f"Bearer {system.token()}"}).json()["rows"]
    tab.get_by_role("button", name="24 h move").click()
    assert symbols(tab) == [r["symbol"] for r in ranked]  # the biggest move first
    tab.get_by_role("button", name="Pair").click()
    assert symbols(tab) == sorted(r["symbol"] for r in ranked)
    first = symbols(tab)[0]
    rows.first.click()
    expect(tab).to_have_url(re.compile(r"/analysis/[0-9a-f]{32}$"))
    expect(tab.get_by_test_id("result-title")).to_contain_text(first)


def test_the_digest_toggle_saves_the_preference(system: System,
                                                page: tuple[Page, Watch]) -> None:
    tab, _ = page
    switch = tab.get_by_test_id("digest-switch").locator("input")
    expect(switch).to_be_enabled()
    switch.click()  # saved first, then shown: the switch follows the server's answer
    expect(switch).to_be_checked()
    expect(tab.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    saved = requests.get(f"{system.url}/api/digest", timeout=5, headers={
        "Authorization": f"Bearer {system.token()}"}).json()  # the page's dev user: #1
    assert saved["enabled"] is True and digest.load(system.ports.store, "1").enabled
