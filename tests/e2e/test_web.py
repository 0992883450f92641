"""The web page in a real browser (Debian's Chromium through Playwright) against the whole
local system: request an analysis, follow it live, read the result, see failures and 4xx."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import Browser, Locator, Page, Request, Route, expect, sync_playwright

from tests.e2e.conftest import System
from tests.e2e.test_pipeline import wait_final

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
CHROMIUM = Path("/usr/bin/chromium")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test-deps` to install Debian's chromium "
                    "(scripts/install_browser.sh)", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              headless=True)
        yield launched
        launched.close()


class Watch:
    """What the page did that a test may check: requests made and errors raised."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Browser, system: System, watch: Watch) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(10_000)

    def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            watch.foreign.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    tab = context.new_page()
    tab.on("request", lambda request: watch.requests.append(request))
    tab.on("pageerror", lambda exc: watch.errors.append(f"uncaught: {exc}"))
    tab.on("console", lambda msg: watch.errors.append(f"console: {msg.text}")
           if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    tab.goto(system.url)
    expect(tab.locator("html")).to_have_attribute("data-ready", "true")
    yield tab
    assert not watch.foreign, f"the page reached outside the local system: {watch.foreign}"
    assert not watch.errors, f"the page logged errors: {watch.errors}"
    context.close()


def api_get(system: System, path: str) -> dict:
    response = requests.get(f"{system.url}{path}", timeout=5,
                            headers={"Authorization": f"Bearer {system.token()}"})
    response.raise_for_status()
    return response.json()


def analyze(page: Page, symbol: str, timeframe: str, language: str = "en") -> None:
    # By test id: the labels change with the language select.
    page.get_by_test_id("language").select_option(language)
    page.get_by_test_id("symbol").fill(symbol)
    page.get_by_test_id("timeframe").select_option(timeframe)
    page.get_by_test_id("analyze").click()


def test_analysis_completes_live_and_shows_what_the_api_returns(system: System, page: Page,
                                                                watch: Watch) -> None:
    analyze(page, "BTC/USDT", "1d")

    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "completed")
    result = page.get_by_test_id("result")
    expect(result).to_be_visible()
    analysis_id = result.get_attribute("data-analysis-id")
    doc = api_get(system, f"/api/analysis/{analysis_id}")
    assert doc["status"] == "completed"
    expected = doc["result"]

    signal = page.get_by_test_id("signal")
    expect(signal).to_have_attribute("data-signal", expected["signal"])
    assert signal.text_content().lower().replace(" ", "_") == expected["signal"]
    rsi = page.get_by_test_id("indicator-rsi_14")
    assert float(rsi.get_attribute("data-value") or "nan") == expected["indicators"]["rsi_14"]
    assert abs(float(rsi.inner_text()) - expected["indicators"]["rsi_14"]) <= 0.05 + 1e-9
    expect(page.get_by_test_id("result-title")).to_have_text("BTC/USDT · 1d")
    expect(page.get_by_test_id("confidence")).to_have_text(
        f"{round(expected['confidence'] * 100)}%")
    expect(page.get_by_test_id("summary")).to_have_text(expected["summary"])
    expect(page.get_by_test_id("votes").locator("li")).to_have_count(len(expected["votes"]))
    expect(page.get_by_test_id("progress-bar")).to_have_attribute("aria-valuenow", "100")
    for step in ("queued", "fetching", "analyzing"):
        expect(page.locator(f"#steps [data-step={step}]")).to_have_class("reached")
    expect(page.get_by_test_id("recent-item")).to_have_count(1)
    expect(page.get_by_test_id("recent-item")).to_contain_text("BTC/USDT")
    # The chart is drawn after the result; the page fetches it with the token and shows it.
    chart = page.get_by_test_id("chart").locator("img")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")

    shows_the_full_result(page, doc)

    # Live updates came over fetch() with the bearer token in a header, never in a URL.
    streams = [r for r in watch.requests if r.url.endswith(f"/api/analysis/{analysis_id}/events")]
    assert streams, "the page never opened the events stream"
    assert streams[0].all_headers()["authorization"].startswith("Bearer ")
    assert not [r.url for r in watch.requests if "token" in r.url.lower() or "eyJ" in r.url]

    screenshots(page, "web")


def screenshots(page: Page, name: str) -> None:
    """Desktop and phone screenshots for a human to look at; the page never overflows a phone."""
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True, animations="disabled")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "overflows a phone"
    page.screenshot(path=str(RESULTS / f"{name}-phone.png"), full_page=True,
                    animations="disabled")


def attributes(page: Page, test_id: str, *names: str) -> list[tuple[str, ...]]:
    return [tuple(row.get_attribute(name) or "" for name in names)
            for row in page.get_by_test_id(test_id).all()]


def value_of(locator: Locator) -> float | None:
    raw = locator.get_attribute("data-value")
    return float(raw) if raw else None


def shows_the_full_result(page: Page, doc: dict) -> None:
    """Everything in the API's result is on the page: context, report, scenarios, levels,
    every indicator and where the analysis came from."""
    expected = doc["result"]
    trend, higher = expected["trend"], expected["confluence"]
    expect(page.get_by_test_id("trend")).to_have_attribute("data-direction", trend["direction"])
    expect(page.get_by_test_id("trend")).to_contain_text(f"ADX {trend['adx']:.1f}")
    expect(page.get_by_test_id("confluence")).to_have_attribute("data-agrees",
                                                                str(higher["agrees"]).lower())
    expect(page.get_by_test_id("confluence")).to_contain_text(higher["timeframe"])

    expect(page.get_by_test_id("key-points").locator("li")).to_have_text(expected["key_points"])
    expect(page.get_by_test_id("risks").locator("li")).to_have_text(expected["risks"])
    for side in ("bull", "bear"):
        scenario, card = expected[f"{side}_scenario"], page.get_by_test_id(f"{side}-scenario")
        expect(card.locator(".scenario-text")).to_have_text(scenario["description"])
        assert value_of(card.locator(".scenario-target")) == scenario["target"]
        assert value_of(card.locator(".scenario-invalidation")) == scenario["invalidation"]

    shown_levels = attributes(page, "level", "data-price", "data-kind", "data-strength")
    assert sorted((float(p), k, int(s)) for p, k, s in shown_levels) == sorted(
        (lv["price"], lv["kind"], lv["strength"]) for lv in expected["levels"])
    assert {k: float(p) for k, p in attributes(page, "pivot", "data-key", "data-price")} \
        == expected["pivots"]
    assert {k: float(p) for k, p in attributes(page, "fib", "data-key", "data-price")} \
        == expected["fibonacci"]
    assert attributes(page, "pattern", "data-name", "data-direction", "data-ago") == [
        (p["name"], p["direction"], str(p["candles_ago"])) for p in expected["patterns"]]

    for key, value in expected["indicators"].items():
        cell = page.get_by_test_id(f"indicator-{key}")
        assert value_of(cell) == value, key
        if value is None:
            expect(cell).to_have_text("—")

    usage = expected["usage"]
    tokens = page.get_by_test_id("detail-tokens")
    assert int(tokens.get_attribute("data-input") or -1) == usage["input_tokens"]
    assert int(tokens.get_attribute("data-output") or -1) == usage["output_tokens"]
    assert value_of(page.get_by_test_id("detail-cost")) == usage["cost_usd"]
    assert value_of(page.get_by_test_id("detail-latency")) == usage["latency_ms"]
    expect(page.get_by_test_id("detail-model")).to_have_text(expected["model"])
    expect(page.get_by_test_id("detail-prompt")).to_have_text(
        f"{expected['prompt_name']} v{expected['prompt_version']}")
    expect(page.get_by_test_id("detail-fetched_from")).to_have_text("; ".join(doc["sources_tried"]))
    assert expected["provider"] == "rule_based"
    expect(page.get_by_test_id("rule-based")).to_be_visible()
    expect(page.get_by_test_id("notes")).to_be_hidden()


def test_a_russian_analysis_reads_in_russian(system: System, page: Page) -> None:
    analyze(page, "ETH/USDT", "4h", language="ru")

    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "completed")
    result = page.get_by_test_id("result")
    doc = api_get(system, f"/api/analysis/{result.get_attribute('data-analysis-id')}")
    expected = doc["result"]
    assert expected["language"] == "ru" and CYRILLIC.search(expected["summary"])

    # The server's text, in Russian…
    expect(page.get_by_test_id("summary")).to_have_text(expected["summary"])
    expect(page.get_by_test_id("key-points").locator("li")).to_have_text(expected["key_points"])
    expect(page.get_by_test_id("bull-scenario").locator(".scenario-text")).to_have_text(
        expected["bull_scenario"]["description"])
    expect(result).to_have_attribute("lang", "ru")
    # …and the page's own labels in Russian too.
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_label("Пара")).to_be_visible()
    expect(page.get_by_test_id("analyze")).to_have_text("Анализ")
    for title in ("Сценарии", "Уровни", "Индикаторы", "Главное", "Риски", "Подробности"):
        expect(result.get_by_text(title, exact=True)).to_be_visible()
    expect(page.get_by_test_id("status")).to_contain_text("Готово")
    expect(page.get_by_test_id("detail-provider")).to_have_text("Аналитик на правилах")
    assert CYRILLIC.search(page.get_by_test_id("signal").inner_text())
    english = re.compile(r"\b(Scenarios|Levels|Indicators|Key points|Risks|Bull case|Target)\b")
    assert not english.search(result.inner_text()), "English labels on a Russian analysis"
    expect(page.get_by_test_id("chart").locator("img")).to_be_visible()
    screenshots(page, "web-ru")

    # The page chrome follows the language select; the card stays in its analysis's language.
    page.get_by_test_id("language").select_option("en")
    expect(page.get_by_test_id("analyze")).to_have_text("Analyze")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(result.get_by_text("Сценарии", exact=True)).to_be_visible()


def test_unknown_pair_fails_with_the_reason_and_can_be_reopened(system: System,
                                                                 page: Page) -> None:
    # A stale token: the page signs in again on the 401 and carries on.
    page.evaluate("localStorage.setItem('chartgenius.token', JSON.stringify('stale.token.x'))")
    analyze(page, "XRP/USDT", "1d")

    status = page.get_by_test_id("status")
    expect(status).to_have_attribute("data-status", "failed")
    failure = page.get_by_test_id("failure")
    expect(failure).to_be_visible()
    analysis_id = page.get_by_test_id("progress").get_attribute("data-analysis-id")
    reason = api_get(system, f"/api/analysis/{analysis_id}")["error"]
    assert "XRP/USDT" in reason
    expect(page.get_by_test_id("failure-reason")).to_have_text(reason)
    expect(page.get_by_test_id("result")).to_be_hidden()

    analyze(page, "eth-usdt", "4h")
    expect(page.get_by_test_id("result-title")).to_have_text("ETH/USDT · 4h")
    expect(status).to_have_attribute("data-status", "completed")
    expect(failure).to_be_hidden()

    items = page.get_by_test_id("recent-item")
    expect(items).to_have_count(2)
    items.filter(has_text="XRP/USDT").click()
    expect(status).to_have_attribute("data-status", "failed")
    expect(page.get_by_test_id("failure-reason")).to_have_text(reason)
    expect(page.get_by_test_id("result")).to_be_hidden()


RECORD_STATUSES = """
window.seen = [];
new MutationObserver(() => {
  const status = document.getElementById("status").dataset.status;
  const progress = document.getElementById("progress-bar").getAttribute("aria-valuenow");
  const last = window.seen[window.seen.length - 1];
  if (status && (!last || last[0] !== status || last[1] !== progress)) {
    window.seen.push([status, progress]);
  }
}).observe(document.getElementById("progress-card"), {attributes: true, subtree: true});
"""


def test_the_page_shows_each_status_the_stream_sends(system: System, page: Page) -> None:
    # A real analysis here takes milliseconds; replay a slow one through the events stream.
    token = system.token()
    created = requests.post(f"{system.url}/api/analysis", timeout=5,
                            json={"symbol": "BTC/USDT", "timeframe": "1d"},
                            headers={"Authorization": f"Bearer {token}"})
    final = wait_final(system, token, created.json()["id"])
    # An LLM's report that failed the numbers check twice: the page warns about it.
    note = "The model's report quoted numbers not in the data; the rule-based report is shown."
    written = {**final["result"], "provider": "gemini", "model": "gemini-2.5-flash",
               "notes": [note]}
    stages = [("queued", 0, None), ("fetching", 20, None), ("analyzing", 60, None),
              ("completed", 100, written)]

    def staged_stream(route: Route) -> None:
        analysis_id = route.request.url.rsplit("/", 2)[-2]
        events = [": keep-alive\n\nretry: 2000\n\n"]
        for status, progress, result in stages:
            doc = {**final, "id": analysis_id, "status": status, "progress": progress,
                   "result": result}
            events.append(f"event: status\ndata: {json.dumps(doc)}\n\n")
        route.fulfill(status=200, headers={"Content-Type": "text/event-stream"},
                      body="".join(events))

    page.route("**/api/analysis/*/events", staged_stream)
    page.evaluate(RECORD_STATUSES)
    analyze(page, "BTC/USDT", "1d")

    expect(page.get_by_test_id("result")).to_be_visible()
    seen = page.evaluate("window.seen")
    assert seen == [["queued", "0"], ["fetching", "20"], ["analyzing", "60"],
                    ["completed", "100"]], seen
    expect(page.get_by_test_id("signal")).to_have_attribute("data-signal",
                                                            final["result"]["signal"])
    expect(page.get_by_test_id("notes")).to_be_visible()
    expect(page.get_by_test_id("notes").locator("li")).to_have_text([note])
    expect(page.get_by_test_id("rule-based")).to_be_hidden()
    expect(page.get_by_test_id("detail-provider")).to_have_text("gemini")
    expect(page.get_by_test_id("detail-model")).to_have_text("gemini-2.5-flash")


@pytest.mark.parametrize("symbol", ["BTC//USDT", "<img src=x onerror=pwned=1>"])
def test_invalid_symbol_shows_the_400_message(system: System, page: Page, symbol: str) -> None:
    answer = requests.post(f"{system.url}/api/analysis", timeout=5,
                           json={"symbol": symbol, "timeframe": "1d"},
                           headers={"Authorization": f"Bearer {system.token()}"})
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]

    analyze(page, symbol, "1d")

    error = page.get_by_test_id("form-error")
    expect(error).to_have_text(message)
    expect(page.get_by_label("Pair")).to_have_attribute("aria-invalid", "true")
    expect(error.locator("img")).to_have_count(0)
    assert page.evaluate("typeof window.pwned") == "undefined"
    expect(page.get_by_test_id("progress")).to_be_hidden()
    expect(page.get_by_test_id("recent-item")).to_have_count(0)


def test_a_finished_analysis_rings_the_bell_and_opens_from_the_panel(system: System,
                                                                     page: Page) -> None:
    count, status = page.get_by_test_id("unread-count"), page.get_by_test_id("status")
    expect(count).to_be_hidden()
    analyze(page, "BTC/USDT", "1d")
    expect(status).to_have_attribute("data-status", "completed")
    first_id = page.get_by_test_id("result").get_attribute("data-analysis-id")
    expect(count).to_have_text("1")  # live: the stream sent the new count
    analyze(page, "XRP/USDT", "1d")
    expect(status).to_have_attribute("data-status", "failed")
    expect(count).to_have_text("2")

    page.get_by_test_id("bell").click()
    panel = page.get_by_test_id("notifications-panel")
    expect(panel).to_be_visible()
    expect(page.get_by_test_id("bell")).to_have_attribute("aria-expanded", "true")
    listed = api_get(system, "/api/notifications")["items"]
    assert [n["kind"] for n in listed] == ["analysis.failed", "analysis.completed"]
    items = panel.get_by_test_id("notification")
    expect(items.locator(".notification-title")).to_have_text([n["title"] for n in listed])
    expect(items.locator(".notification-body")).to_have_text([n["body"] for n in listed])
    expect(items.first).to_have_attribute("data-read", "false")

    panel.locator("[data-kind='analysis.completed']").get_by_test_id("notification-open").click()
    expect(panel).to_be_hidden()
    expect(page.get_by_test_id("result")).to_have_attribute("data-analysis-id", first_id or "")
    expect(status).to_have_attribute("data-status", "completed")
    expect(page.get_by_test_id("result-title")).to_have_text("BTC/USDT · 1d")
    assert page.evaluate("location.hash") == f"#{first_id}"
    expect(count).to_have_text("1")  # opening it marked it read

    page.get_by_test_id("bell").click()
    expect(panel.locator("[data-kind='analysis.completed']")).to_have_attribute("data-read",
                                                                               "true")
    page.get_by_test_id("mark-all-read").click()
    expect(count).to_be_hidden()
    expect(items.filter(has=page.get_by_test_id("notification-read"))).to_have_count(0)
    assert api_get(system, "/api/notifications?unread=true") == {"items": [], "unread": 0}
    screenshots(page, "web-notifications")


def scan_now(system: System, scan_id: str) -> dict:
    from local.scan import scan_request

    system.ports.bus.publish(scan_request(scan_id))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        record = system.ports.store.get("scans", scan_id)
        if record is not None:
            return record
        time.sleep(0.05)
    raise AssertionError(f"scan {scan_id} left no record")


def test_a_watch_item_added_in_the_panel_alerts_after_a_scan(system: System,
                                                             page: Page) -> None:
    form = page.get_by_test_id("watch-form")
    form.get_by_test_id("watch-symbol").fill("BTC/USDT")
    form.get_by_test_id("watch-timeframe").select_option("4h")
    rule = form.get_by_test_id("rule-row").first
    rule.get_by_test_id("rule-kind").select_option("price_above")
    rule.get_by_test_id("rule-price").fill("0")
    form.get_by_test_id("watch-submit").click()
    refused = requests.post(f"{system.url}/api/watch", timeout=5, json={
        "symbol": "BTC/USDT", "timeframe": "4h", "rules": [{"kind": "price_above", "price": 0}]},
        headers={"Authorization": f"Bearer {system.token()}"})
    assert refused.status_code == 400
    expect(page.get_by_test_id("watch-error")).to_have_text(refused.json()["error"]["message"])
    expect(page.get_by_test_id("watch-item")).to_have_count(0)

    rule.get_by_test_id("rule-price").fill("100000")
    form.get_by_test_id("watch-add-rule").click()
    second = form.get_by_test_id("rule-row").nth(1)
    second.get_by_test_id("rule-kind").select_option("rsi_below")
    second.get_by_test_id("rule-value").fill("20")
    form.get_by_test_id("watch-submit").click()
    expect(page.get_by_test_id("watch-error")).to_be_hidden()
    expect(page.get_by_test_id("watch-item")).to_have_count(1)
    (item,) = api_get(system, "/api/watch")["items"]
    assert (item["symbol"], item["timeframe"]) == ("BTC/USDT", "4h")
    assert item["rules"] == [{"kind": "price_above", "price": 100000.0},
                             {"kind": "rsi_below", "value": 20.0, "period": 14}]
    expect(page.get_by_test_id("watch-item").locator("li")).to_have_text(
        ["price above 100,000", "RSI(14) below 20"])

    record = scan_now(system, "web-scan-1")
    assert record["alerts_fired"] == 1, record  # the price rule; RSI is not below 20
    count = page.get_by_test_id("unread-count")
    expect(count).to_have_text("1")
    page.get_by_test_id("bell").click()
    alert = page.get_by_test_id("notifications-panel").locator("[data-kind='alert.triggered']")
    expect(alert).to_have_count(1)
    expect(alert.locator(".notification-title")).to_have_text("BTC/USDT 4h: alert")
    expect(alert.locator(".notification-body")).to_contain_text("above 100,000")
    expect(alert.locator(".notification-body")).to_contain_text("109,888.01")
    expect(alert.get_by_test_id("notification-open")).to_have_count(0)  # nothing to open
    alert.get_by_test_id("notification-read").click()
    expect(count).to_be_hidden()
    expect(alert).to_have_attribute("data-read", "true")
    screenshots(page, "web-watchlist")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.keyboard.press("Escape")
    page.get_by_test_id("language").select_option("ru")
    expect(page.get_by_test_id("watchlist").get_by_role("heading", level=2)).to_have_text(
        "Список наблюдения")
    expect(page.get_by_test_id("watch-item").locator("li")).to_have_text(
        ["цена выше 100,000", "RSI(14) ниже 20"])
    expect(page.get_by_test_id("rule-price")).to_have_value("100000")  # kept across languages
    page.get_by_test_id("watch-delete").click()
    expect(page.get_by_test_id("watch-item")).to_have_count(0)
    assert api_get(system, "/api/watch")["items"] == []
