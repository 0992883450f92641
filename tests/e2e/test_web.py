"""The web app in a real browser (Debian's Chromium through Playwright) against the whole
local system: request an analysis, follow it live, read the result in English and Russian,
see failures and 4xx, and find the analysis again from another browser."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.e2e.conftest import System
from tests.e2e.test_pipeline import wait_final
from tests.e2e.web_browser import (
    DESKTOP,
    PHONE,
    RESULTS,
    Watch,
    checked,
    new_context,
    open_page,
    screenshots,
)

pytestmark = pytest.mark.browser
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
REACHED = re.compile(r"\breached\b")


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture(params=[pytest.param(DESKTOP, id="desktop")])
def page(request: pytest.FixtureRequest, browser: Browser, system: System,
         watch: Watch) -> Iterator[Page]:
    context = new_context(browser, watch, request.param)
    tab = open_page(context, watch, system.url)
    yield tab
    checked(watch)
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


def ru_number(value: float, decimals: int) -> str:
    """109888.01 as Russian Intl writes it: 109 888,01 (no-break space, decimal comma)."""
    return f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")


def value_of(locator: Locator) -> float | None:
    raw = locator.get_attribute("data-value")
    return float(raw) if raw else None


def attributes(page: Page, test_id: str, *names: str) -> list[tuple[str, ...]]:
    return [tuple(row.get_attribute(name) or "" for name in names)
            for row in page.get_by_test_id(test_id).all()]


def test_analysis_completes_live_and_shows_what_the_api_returns(system: System, page: Page,
                                                                watch: Watch) -> None:
    analyze(page, "BTC/USDT", "1d")

    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "completed")
    result = page.get_by_test_id("result")
    expect(result).to_be_visible()
    analysis_id = result.get_attribute("data-analysis-id")
    assert page.evaluate("location.pathname") == f"/analysis/{analysis_id}"
    doc = api_get(system, f"/api/analysis/{analysis_id}")
    assert doc["status"] == "completed"
    expected = doc["result"]

    signal = page.get_by_test_id("signal")
    expect(signal).to_have_attribute("data-signal", expected["signal"])
    assert signal.text_content().lower().replace(" ", "_") == expected["signal"]  # type: ignore[union-attr]
    rsi = page.get_by_test_id("indicator-rsi_14")
    assert float(rsi.get_attribute("data-value") or "nan") == expected["indicators"]["rsi_14"]
    assert abs(float(rsi.inner_text()) - expected["indicators"]["rsi_14"]) <= 0.05 + 1e-9
    expect(page.get_by_test_id("result-title")).to_have_text("BTC/USDT · 1d")
    expect(page.get_by_test_id("confidence")).to_have_text(
        f"{round(expected['confidence'] * 100)}%")
    expect(page.get_by_test_id("summary")).to_have_text(expected["summary"])
    expect(page.get_by_test_id("votes").locator("li")).to_have_count(len(expected["votes"]))
    expect(page.get_by_test_id("progress-bar")).to_have_attribute("aria-valuenow", "100")
    for step in ("queued", "fetching", "analyzing", "done"):
        expect(page.locator(f"#steps [data-step={step}]")).to_have_class(REACHED)
    expect(page.get_by_test_id("recent-item").first).to_contain_text("BTC/USDT")
    # The bundled candles are old: the card says how old.
    days = page.get_by_test_id("stale-data")
    expect(days).to_contain_text(f"Candles as of {expected['as_of'][:10]}")

    shows_the_full_result(page, doc)

    # Live updates came over fetch() with the bearer token in a header, never in a URL.
    streams = [r for r in watch.requests if r.url.endswith(f"/api/analysis/{analysis_id}/events")]
    assert streams, "the page never opened the events stream"
    assert streams[0].all_headers()["authorization"].startswith("Bearer ")
    assert not [r.url for r in watch.requests if "token" in r.url.lower() or "eyJ" in r.url]
    screenshots(page, "web")


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
    fetched_from = page.get_by_test_id("detail-fetched_from")  # shown when a source was passed over
    if doc["sources_tried"]:  # or the candles came from the cache
        expect(fetched_from).to_have_text("; ".join(doc["sources_tried"]))
    else:
        expect(fetched_from).to_have_count(0)
    assert expected["provider"] == "rule_based"
    expect(page.get_by_test_id("rule-based")).to_be_visible()
    expect(page.get_by_test_id("notes")).to_have_count(0)


def test_a_russian_analysis_reads_in_russian_with_russian_numbers(system: System,
                                                                  page: Page) -> None:
    analyze(page, "ETH/USDT", "4h", language="ru")

    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "completed")
    result = page.get_by_test_id("result")
    doc = api_get(system, f"/api/analysis/{result.get_attribute('data-analysis-id')}")
    expected = doc["result"]
    assert expected["language"] == "ru" and CYRILLIC.search(expected["summary"])

    # The server's text, in Russian…
    expect(page.get_by_test_id("summary")).to_have_text(expected["summary"])
    expect(page.get_by_test_id("key-points").locator("li")).to_have_text(expected["key_points"])
    expect(result).to_have_attribute("lang", "ru")
    # …the page's own labels in Russian, and Russian number formats throughout the card.
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("combobox", name="Пара", exact=True)).to_be_visible()
    expect(page.get_by_test_id("analyze")).to_have_text("Анализ")
    for title in ("Сценарии", "Уровни", "Индикаторы", "Главное", "Риски", "Подробности"):
        expect(result.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(page.get_by_test_id("status")).to_contain_text("Готово")
    expect(page.get_by_test_id("detail-provider")).to_have_text("Аналитик на правилах")
    expect(page.get_by_test_id("stale-data")).to_contain_text("Свечи на")
    price = expected["price"]
    decimals = int(page.get_by_test_id("price").inner_text().rpartition(",")[2].__len__())
    expect(page.get_by_test_id("price")).to_have_text(ru_number(price, decimals))
    ema = expected["indicators"]["ema_20"]
    expect(page.get_by_test_id("indicator-ema_20")).to_have_text(ru_number(ema, decimals))
    assert "," in page.get_by_test_id("indicator-rsi_14").inner_text()
    english = re.compile(r"\b(Scenarios|Levels|Indicators|Key points|Risks|Bull case|Target)\b")
    assert not english.search(result.inner_text()), "English labels on a Russian analysis"
    screenshots(page, "web-ru")

    # The page chrome follows the language select; the card stays in its analysis's language.
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("language").select_option("en")
    expect(page.get_by_test_id("analyze")).to_have_text("Analyze")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(result.get_by_role("heading", name="Сценарии", exact=True)).to_be_visible()


def test_unknown_pair_fails_with_the_reason_and_reopens_from_history(system: System,
                                                                     page: Page) -> None:
    # A stale token: the dev login signs in again on the 401 and carries on.
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
    expect(page.get_by_test_id("result")).to_have_count(0)

    analyze(page, "eth-usdt", "4h")
    expect(page.get_by_test_id("result-title")).to_have_text("ETH/USDT · 4h")
    expect(status).to_have_attribute("data-status", "completed")
    expect(failure).to_have_count(0)

    items = page.get_by_test_id("recent-item")
    expect(items).to_have_count(2)
    items.filter(has_text="XRP/USDT").click()
    expect(status).to_have_attribute("data-status", "failed")
    expect(page.get_by_test_id("failure-reason")).to_have_text(reason)
    expect(page.get_by_test_id("result")).to_have_count(0)


RECORD_STATUSES = """
window.seen = [];
new MutationObserver(() => {
  const status = document.getElementById("status")?.dataset.status;
  const bar = document.getElementById("progress-bar")?.getAttribute("aria-valuenow");
  const last = window.seen[window.seen.length - 1];
  if (status && (!last || last[0] !== status || last[1] !== bar)) window.seen.push([status, bar]);
}).observe(document.body, {attributes: true, subtree: true, childList: true});
"""


def test_the_page_shows_each_status_the_stream_sends(system: System, page: Page) -> None:
    # A real analysis here takes milliseconds; replay a slow one through the events stream.
    token = system.token()
    created = requests.post(f"{system.url}/api/analysis", timeout=5,
                            json={"symbol": "BTC/USDT", "timeframe": "1d"},
                            headers={"Authorization": f"Bearer {token}"})
    final = wait_final(system, token, created.json()["id"])
    note = "The model's report quoted numbers not in the data; the rule-based report is shown."
    written = {**final["result"], "provider": "gemini", "model": "gemini-2.5-flash",
               "notes": [note]}
    stages = [("queued", 0, None), ("fetching", 20, None), ("analyzing", 60, None),
              ("completed", 100, written)]

    def analysis_doc(analysis_id: str, status: str, progress: int, result: object) -> dict:
        return {**final, "id": analysis_id, "status": status, "progress": progress,
                "result": result, "history": final["history"][: 1 + stages.index(
                    next(s for s in stages if s[0] == status))]}

    def first_state(route: Route) -> None:  # GET /api/analysis/{id}: still queued
        analysis_id = route.request.url.rsplit("/", 1)[-1]
        route.fulfill(status=200, content_type="application/json",
                      body=json.dumps(analysis_doc(analysis_id, "queued", 0, None)))

    def staged_stream(route: Route) -> None:
        analysis_id = route.request.url.rsplit("/", 2)[-2]
        events = [": keep-alive\n\nretry: 2000\n\n"] + [
            f"event: status\ndata: {json.dumps(analysis_doc(analysis_id, *stage))}\n\n"
            for stage in stages]
        route.fulfill(status=200, headers={"Content-Type": "text/event-stream"},
                      body="".join(events))

    page.route(re.compile(r".*/api/analysis/[0-9a-f]+$"), first_state)
    page.route("**/api/analysis/*/events", staged_stream)
    page.evaluate(RECORD_STATUSES)
    analyze(page, "BTC/USDT", "1d")

    expect(page.get_by_test_id("result")).to_be_visible()
    seen = page.evaluate("window.seen")
    assert seen == [["queued", "0"], ["fetching", "20"], ["analyzing", "60"],
                    ["completed", "100"]], seen
    expect(page.get_by_test_id("notes")).to_be_visible()
    expect(page.get_by_test_id("notes").locator("li")).to_have_text([note])
    expect(page.get_by_test_id("rule-based")).to_have_count(0)
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
    pair = page.get_by_role("combobox", name="Pair", exact=True)
    expect(pair).to_have_attribute("aria-invalid", "true")
    expect(error.locator("img")).to_have_count(0)
    assert page.evaluate("typeof window.pwned") == "undefined"
    expect(page.get_by_test_id("progress")).to_have_count(0)
    expect(page.get_by_test_id("recent-item")).to_have_count(0)


def test_a_second_browser_of_the_same_user_sees_the_history(system: System, browser: Browser,
                                                            page: Page) -> None:
    analyze(page, "BTC/USDT", "4h")
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "completed")
    first_id = page.get_by_test_id("result").get_attribute("data-analysis-id")
    analyze(page, "ETH/USDT", "1d")
    expect(page.get_by_test_id("result-title")).to_have_text("ETH/USDT · 1d")

    other_watch = Watch()
    other = new_context(browser, other_watch, PHONE)
    try:
        tab = open_page(other, other_watch, system.url)
        items = tab.get_by_test_id("recent-item")
        expect(items).to_have_count(2)
        expect(items.first).to_contain_text("ETH/USDT · 1d")  # newest first
        tab.get_by_test_id("history-filter").fill("BTC/USDT")
        expect(items).to_have_count(1)
        items.first.click()
        expect(tab.get_by_test_id("result")).to_have_attribute("data-analysis-id", first_id or "")
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        checked(other_watch)
    finally:
        other.close()


def test_the_chart_draws_the_candles_and_follows_the_pointer(system: System, page: Page,
                                                             watch: Watch) -> None:
    analyze(page, "BTC/USDT", "4h")
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "completed")
    analysis_id = page.get_by_test_id("result").get_attribute("data-analysis-id")
    series = api_get(system, f"/api/analysis/{analysis_id}/candles")
    canvas = page.get_by_test_id("chart-canvas")
    expect(canvas).to_have_attribute("data-candles", str(len(series["t"])))
    # asked for once, and only after the analysis completed (no 404 on the way: `checked`)
    asked = [r for r in watch.requests if r.url.endswith(f"/{analysis_id}/candles")]
    assert len(asked) == 1

    legend = page.get_by_test_id("chart-legend")
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 600
    y = box["y"] + box["height"] * 0.4
    page.mouse.move(box["x"] + box["width"] * 0.5, y)
    expect(legend).to_contain_text("O ")
    first = legend.inner_text()
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    expect(legend).not_to_have_text(first)
    assert re.search(r"H [\d,.]+ · L [\d,.]+ · C [\d,.]+", legend.inner_text())

    before = int(canvas.get_attribute("data-visible-bars") or 0)
    assert before > 50
    page.mouse.move(box["x"] + box["width"] * 0.6, y)
    page.mouse.wheel(0, -600)  # zoom in
    expect(canvas).not_to_have_attribute("data-visible-bars", str(before))
    assert int(canvas.get_attribute("data-visible-bars") or 0) < before

    page.set_viewport_size(PHONE)
    page.wait_for_timeout(150)
    phone = canvas.bounding_box()
    assert phone is not None and 300 < phone["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    canvas.scroll_into_view_if_needed()
    page.screenshot(path=str(RESULTS / "web-chart-phone.png"), animations="disabled")


def _published(system: System, symbol: str, timeframe: str) -> dict:
    """The track record the local host computes at start (a few seconds after it starts)."""
    url = f"{system.url}/api/track-record?symbol={symbol}&timeframe={timeframe}"
    for _ in range(100):
        answer = requests.get(url, timeout=5)
        if answer.status_code == 200:
            return answer.json()
        time.sleep(0.2)
    raise AssertionError(f"no track record for {symbol} {timeframe}")


@pytest.mark.host_computes_track_record
def test_the_card_and_its_page_show_the_published_track_record(system: System,
                                                              page: Page) -> None:
    record = _published(system, "BTC/USDT", "4h")
    analyze(page, "BTC/USDT", "4h")
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "completed")
    analysis_id = page.get_by_test_id("result").get_attribute("data-analysis-id")
    signal = api_get(system, f"/api/analysis/{analysis_id}")["result"]["signal"]
    side = "buy" if "buy" in signal else "sell" if "sell" in signal else "neutral"
    expect(page.get_by_test_id("track-record-line")).to_contain_text(record["summary"][side]["en"])
    page.goto(f"{system.url}/track-record?symbol=BTC/USDT&timeframe=4h")
    expect(page.get_by_test_id("track-record-summary")).to_contain_text(
        record["summary"]["buy"]["en"])
    hold = record["record"]["horizons"]["10"]["always_long"]
    row = page.get_by_test_id("horizon-10").get_by_test_id("row-always_long")
    expect(row).to_contain_text(str(hold["n"]))
    expect(row).to_contain_text(f"{hold['hit_rate'] * 100:.1f} %")
    expect(page.get_by_test_id("calibration")).to_contain_text("2023-01-01")
