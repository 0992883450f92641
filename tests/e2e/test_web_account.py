"""The web app's account side in Chromium: Telegram sign-in with the production runtime
config, an expired session sent to sign-in and back, the bell and its panel, the watchlist."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import System
from tests.e2e.test_pipeline import wait_final
from tests.e2e.web_browser import (
    DESKTOP,
    PHONE,
    PRODUCTION_CONFIG,
    Watch,
    checked,
    new_context,
    open_page,
    screenshots,
)

pytestmark = pytest.mark.browser
BOT_TOKEN = "424242:web-test-bot-token"
WIDGET = "https://telegram.org/js/telegram-widget.js*"
MINI_APP_SDK = "https://telegram.org/js/telegram-web-app.js*"
THEME = {"bg_color": "#17212b", "text_color": "#f5f5f5", "hint_color": "#708499",
         "button_color": "#5288c1", "secondary_bg_color": "#232e3c"}


@pytest.fixture(autouse=True)
def _bot_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", BOT_TOKEN)


def signed_widget_user(telegram_id: int) -> dict:
    """What Telegram's Login Widget hands its callback, signed with the bot's token."""
    fields = {"id": telegram_id, "first_name": "Ada", "username": "ada",
              "auth_date": int(time.time())}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hashlib.sha256(BOT_TOKEN.encode()).digest()
    return {**fields, "hash": hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()}


def widget_stub(user: dict) -> str:
    """Stands in for telegram.org's widget script (no network in tests): a button that
    calls the page's callback as the real widget does after the user confirms."""
    return ("(() => { const button = document.createElement('button');"
            " button.textContent = 'Log in with Telegram'; button.dataset.testid = 'tg-login';"
            f" button.onclick = () => window.onTelegramAuth({json.dumps(user)});"
            " document.currentScript.parentElement.append(button); })();")


def signed_init_data(telegram_id: int) -> str:
    """A Mini App's initData as Telegram signs it for the bot."""
    user = json.dumps({"id": telegram_id, "first_name": "Ada", "username": "ada"},
                      separators=(",", ":"))
    fields = {"auth_date": str(int(time.time())), "query_id": "AAHdF6IQ", "user": user}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", BOT_TOKEN.encode(), hashlib.sha256).digest()
    return urlencode({**fields, "hash": hmac.new(secret, check.encode(), hashlib.sha256)
                      .hexdigest()})


def mini_app_sdk(init_data: str) -> str:
    """Stands in for telegram.org's Mini App script: Telegram.WebApp with the theme and a
    back button that records what the page does with it."""
    return (f"window.Telegram = {{WebApp: {{initData: {json.dumps(init_data)},"
            f" colorScheme: 'dark', themeParams: {json.dumps(THEME)},"
            " BackButton: {visible: false, show() { this.visible = true; },"
            " hide() { this.visible = false; }, onClick(cb) { this.cb = cb; }, offClick() {}},"
            " ready() { window.telegramReady = true; }, expand() {}}};")


def test_inside_telegram_the_mini_app_signs_in_by_itself(system: System,
                                                         browser: Browser) -> None:
    init_data = signed_init_data(4242)
    watch = Watch()
    context = new_context(browser, watch, PHONE, config={**PRODUCTION_CONFIG, "live": "sse"})
    context.route(MINI_APP_SDK, lambda route: route.fulfill(
        status=200, body=mini_app_sdk(init_data), headers={"Content-Type": "text/javascript"}))
    page = open_page(context, watch, f"{system.url}/#tgWebAppData={quote(init_data)}")

    expect(page.locator("html")).to_have_attribute("data-telegram", "true")
    expect(page.get_by_test_id("session")).to_contain_text("@ada")
    assert page.evaluate("window.telegramReady") is True
    signed = [r.url for r in watch.requests if "/api/auth/" in r.url]
    assert signed and all(url.endswith("/api/auth/telegram/webapp") for url in signed)
    # Telegram's colours: the top bar is the theme's secondary background
    bar = page.locator("header").first
    assert bar.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(35, 46, 60)"

    analyze(page, "BTC/USDT", "1d")
    expect(page.get_by_test_id("result")).to_be_visible()
    back = "window.Telegram.WebApp.BackButton"
    page.wait_for_function(f"{back}.visible === true")
    page.evaluate(f"{back}.cb()")  # the user presses Telegram's back button
    page.wait_for_function("location.pathname === '/'")
    page.wait_for_function(f"{back}.visible === false")
    checked(watch)
    context.close()


def test_the_production_config_shows_the_telegram_sign_in(system: System,
                                                          browser: Browser) -> None:
    watch = Watch()
    context = new_context(browser, watch, PHONE, config=PRODUCTION_CONFIG)
    # telegram.org cannot be reached here: the widget's script fails to load, and the page
    # still offers a way in (the bot) without logging an error.
    page = open_page(context, watch, system.url)
    panel = page.get_by_test_id("sign-in")
    expect(panel).to_be_visible()
    assert page.evaluate("location.pathname") == "/signin"
    expect(page.get_by_role("heading", name="Sign in to ChartGenius")).to_be_visible()
    expect(panel).to_have_attribute("data-widget", "failed")
    expect(page.get_by_test_id("widget-failed")).to_be_visible()
    expect(page.get_by_test_id("open-bot")).to_have_attribute("href",
                                                              "https://t.me/chartgenius_bot")
    expect(page.get_by_test_id("session")).to_have_text("Not signed in")
    assert [url for url in watch.foreign if "telegram.org/js/telegram-widget.js" in url]
    watch.foreign.clear()  # the one request the test expected to fail
    assert not [r.url for r in watch.requests if "/api/auth/dev" in r.url]
    screenshots(page, "web-signin")
    checked(watch)
    context.close()


def test_an_expired_session_signs_in_with_telegram_and_returns(system: System,
                                                               browser: Browser) -> None:
    owner = system.token(telegram_id=77, role="user")
    created = requests.post(f"{system.url}/api/analysis", timeout=5,
                            json={"symbol": "BTC/USDT", "timeframe": "1d"},
                            headers={"Authorization": f"Bearer {owner}"}).json()
    wait_final(system, owner, created["id"])
    watch = Watch()
    context = new_context(browser, watch, DESKTOP, config={**PRODUCTION_CONFIG, "live": "sse"})
    context.route(WIDGET, lambda route: route.fulfill(
        status=200, body=widget_stub(signed_widget_user(77)),
        headers={"Content-Type": "text/javascript"}))
    context.add_init_script(
        "localStorage.setItem('chartgenius.token', JSON.stringify('expired.token.x'))")
    page = open_page(context, watch, f"{system.url}/analysis/{created['id']}")

    expect(page.get_by_test_id("sign-in-expired")).to_be_visible()
    assert page.evaluate("location.pathname") == "/signin"
    page.get_by_test_id("tg-login").click()

    result = page.get_by_test_id("result")
    expect(result).to_have_attribute("data-analysis-id", created["id"])
    assert page.evaluate("location.pathname") == f"/analysis/{created['id']}"
    expect(page.get_by_test_id("session")).to_contain_text("@ada")
    expect(page.get_by_test_id("quota")).to_contain_text("analyses left today, resets at")

    page.get_by_test_id("sign-out").click()
    expect(page.get_by_test_id("sign-in")).to_be_visible()
    assert page.evaluate("localStorage.getItem('chartgenius.token')") is None
    # the API answered the expired token with 401: Chromium logs that line itself
    checked(watch)
    context.close()


@pytest.fixture
def page(browser: Browser, system: System) -> Iterator[Page]:
    watch = Watch()
    context = new_context(browser, watch, DESKTOP)
    tab = open_page(context, watch, system.url)
    yield tab
    checked(watch)
    context.close()


def analyze(page: Page, symbol: str, timeframe: str) -> None:
    page.get_by_test_id("symbol").fill(symbol)
    page.get_by_test_id("timeframe").select_option(timeframe)
    page.get_by_test_id("analyze").click()


def test_the_bell_counts_what_you_are_not_looking_at(system: System, page: Page) -> None:
    count, status = page.get_by_test_id("unread-count"), page.get_by_test_id("status")
    expect(count).to_be_hidden()
    analyze(page, "BTC/USDT", "1d")
    expect(status).to_have_attribute("data-status", "completed")
    shown_id = page.get_by_test_id("result").get_attribute("data-analysis-id")
    # The notification of the analysis on screen arrives already read.
    token = system.token(role="admin")  # the seeded local user keeps its role
    deadline = time.monotonic() + 30  # the notifier runs after the analyzer; a busy CI box
    while time.monotonic() < deadline:
        listed = requests.get(f"{system.url}/api/notifications", timeout=5,
                              headers={"Authorization": f"Bearer {token}"}).json()
        if listed["items"] and listed["unread"] == 0:
            break
        page.wait_for_timeout(50)
    assert [n["analysis_id"] for n in listed["items"]] == [shown_id]
    assert listed["unread"] == 0
    expect(count).to_be_hidden()

    # One made elsewhere (the bot, another tab) rings the bell.
    other = requests.post(f"{system.url}/api/analysis", timeout=5,
                          json={"symbol": "ETH/USDT", "timeframe": "4h"},
                          headers={"Authorization": f"Bearer {token}"}).json()
    wait_final(system, token, other["id"])
    expect(count).to_have_text("1")

    page.get_by_test_id("bell").click()
    panel = page.get_by_test_id("notifications-panel")
    expect(panel).to_be_visible()
    expect(page.get_by_test_id("bell")).to_have_attribute("aria-expanded", "true")
    items = panel.get_by_test_id("notification")
    expect(items).to_have_count(2)
    expect(items.first).to_have_attribute("data-read", "false")
    items.first.get_by_test_id("notification-open").click()
    expect(panel).to_be_hidden()
    expect(page.get_by_test_id("result")).to_have_attribute("data-analysis-id", other["id"])
    expect(page.get_by_test_id("result-title")).to_have_text("ETH/USDT · 4h")
    expect(count).to_be_hidden()  # opening it marked it read
    screenshots(page, "web-notifications")


def test_the_watchlist_adds_edits_pauses_and_deletes(system: System, page: Page) -> None:
    form = page.get_by_test_id("watch-form")
    form.get_by_test_id("watch-symbol").fill("BTC/USDT")
    form.get_by_test_id("watch-timeframe").select_option("4h")
    rule = form.get_by_test_id("rule-row").first
    rule.get_by_test_id("rule-kind").select_option("price_above")
    rule.get_by_test_id("rule-price").fill("0")
    form.get_by_test_id("watch-submit").click()
    # A refusal reads as a sentence, not as the API's field path.
    error = page.get_by_test_id("watch-error")
    expect(error).to_have_text("Rule 1 — Price must be greater than 0.")
    expect(page.get_by_test_id("watch-item")).to_have_count(0)

    rule.get_by_test_id("rule-price").fill("100000")
    form.get_by_test_id("watch-add-rule").click()
    second = form.get_by_test_id("rule-row").nth(1)
    second.get_by_test_id("rule-kind").select_option("rsi_below")
    second.get_by_test_id("rule-value").fill("20")
    form.get_by_test_id("watch-submit").click()
    expect(error).to_have_count(0)
    item = page.get_by_test_id("watch-item")
    expect(item).to_have_count(1)
    expect(item.locator("li")).to_have_text(["price above 100,000", "RSI(14) below 20"])
    # The form is empty again for the next item.
    expect(form.get_by_test_id("watch-symbol")).to_have_value("")
    expect(form.get_by_test_id("rule-row")).to_have_count(1)
    expect(form.get_by_test_id("rule-price")).to_have_value("")

    page.get_by_test_id("watch-pause").click()
    expect(item).to_have_attribute("data-enabled", "false")
    expect(page.get_by_test_id("watch-paused")).to_be_visible()
    token = system.token()
    (saved,) = requests.get(f"{system.url}/api/watch", timeout=5,
                            headers={"Authorization": f"Bearer {token}"}).json()["items"]
    assert saved["enabled"] is False
    set_fields = [{k: v for k, v in rule.items() if v is not None} for rule in saved["rules"]]
    assert set_fields == [{"kind": "price_above", "price": 100000.0},
                          {"kind": "rsi_below", "value": 20.0, "period": 14}]

    page.get_by_test_id("watch-edit").click()
    editor = page.get_by_test_id("watchlist").locator("form").first
    editor.get_by_test_id("rule-price").fill("120000")
    editor.get_by_test_id("watch-submit").click()
    expect(item.locator("li").first).to_have_text("price above 120,000")

    page.get_by_test_id("language").select_option("ru")
    expect(page.get_by_test_id("watchlist").get_by_role("heading", level=2)).to_have_text(
        "Список наблюдения")
    expect(item.locator("li")).to_have_text(["цена выше 120\u00a0000", "RSI(14) ниже 20"])
    form.get_by_test_id("watch-symbol").fill("ETH/USDT")
    form.get_by_test_id("rule-price").fill("-5")
    form.get_by_test_id("watch-submit").click()
    expect(error).to_have_text("Условие 1 — Цена: значение должно быть больше 0.")
    screenshots(page, "web-watchlist")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("watch-delete").click()
    expect(item).to_have_count(0)
    assert requests.get(f"{system.url}/api/watch", timeout=5,
                        headers={"Authorization": f"Bearer {token}"}).json()["items"] == []


def test_analyze_is_disabled_with_the_reason_when_the_quota_is_used(system: System,
                                                                     browser: Browser) -> None:
    token = system.token(telegram_id=55, role="user")
    headers = {"Authorization": f"Bearer {token}"}
    quota = requests.get(f"{system.url}/api/me", headers=headers, timeout=5).json()["quota"]
    limit = quota["limit"]
    assert isinstance(limit, int) and limit > 0
    for n in range(limit):
        made = requests.post(f"{system.url}/api/analysis", headers=headers, timeout=5,
                             json={"symbol": "BTC/USDT", "timeframe": ["1d", "4h", "2h"][n % 3],
                                   "language": ["en", "ru"][n % 2]})
        assert made.status_code in (200, 202), made.text
    assert requests.get(f"{system.url}/api/me", headers=headers,
                        timeout=5).json()["quota"]["remaining"] == 0
    watch = Watch()
    context = new_context(browser, watch, PHONE, config={
        "apiBase": "", "live": "sse", "devLogin": {"telegram_id": 55, "role": "user"}})
    page = open_page(context, watch, system.url)
    line = page.get_by_test_id("quota")
    expect(line).to_contain_text(f"You have used all {limit} analyses for today; more at 00:00 UTC")
    expect(page.get_by_test_id("analyze")).to_be_disabled()
    expect(page.get_by_test_id("analyze")).to_have_attribute("aria-describedby", "quota-line")
    page.get_by_test_id("language").select_option("ru")
    expect(line).to_contain_text("использованы")
    checked(watch)
    context.close()
