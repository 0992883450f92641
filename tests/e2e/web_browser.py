"""Playwright helpers for the browser tests: one Chromium per module, a page that fails its
test on any console error or request outside the local system, and the runtime configs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, Response, Route, expect

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
NOT_LOCAL = re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*")
PRODUCTION_CONFIG = {"apiBase": "", "live": "firestore", "devLogin": False,
                     "telegramBotUsername": "chartgenius_bot",
                     "firebase": {"apiKey": "web-key", "projectId": "chartgenius-prod",
                                  "authDomain": "chartgenius-prod.firebaseapp.com"}}


@dataclass
class Watch:
    """What a page did that a test may check: requests made, errors raised, 404s met."""

    requests: list[Request] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def on_console(self, message: object) -> None:
        kind, text = message.type, message.text  # type: ignore[attr-defined]
        # Chromium's own line for a refused request: the tests check statuses themselves
        # (an expected 400 is part of a flow; a 404 is recorded in `missing`).
        if kind == "error" and not text.startswith("Failed to load resource"):
            self.errors.append(f"console: {text}")

    def on_response(self, response: Response) -> None:
        if response.status == 404 or response.status >= 500:
            self.missing.append(f"{response.status} {response.url}")


def launch(playwright: object) -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test-deps` to install Debian's chromium "
                    "(scripts/install_browser.sh)", pytrace=False)
    return playwright.chromium.launch(  # type: ignore[attr-defined, no-any-return]
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def new_context(browser: Browser, watch: Watch, viewport: dict[str, int] = DESKTOP,
                config: dict | None = None) -> BrowserContext:
    context = browser.new_context(viewport=viewport, locale="en-US")  # type: ignore[arg-type]
    context.set_default_timeout(10_000)

    def refuse(route: Route) -> None:
        watch.foreign.append(route.request.url)
        route.abort()

    # Only what is not the local system is intercepted: a handler runs on the test's thread,
    # so intercepting local requests would hold them while a test waits outside Playwright.
    context.route(NOT_LOCAL, refuse)
    if config is not None:
        body = f"window.CHARTGENIUS_CONFIG = {json.dumps(config)};"
        context.route("**/config.js", lambda route: route.fulfill(
            status=200, body=body, headers={"Content-Type": "text/javascript"}))
    return context


def open_page(context: BrowserContext, watch: Watch, url: str) -> Page:
    tab = context.new_page()
    tab.on("request", lambda request: watch.requests.append(request))
    tab.on("response", watch.on_response)
    tab.on("pageerror", lambda exc: watch.errors.append(f"uncaught: {exc}"))
    tab.on("console", watch.on_console)
    tab.goto(url)
    expect(tab.locator("html")).to_have_attribute("data-ready", "true")
    return tab


def checked(watch: Watch, allowed_missing: Callable[[str], bool] = lambda _: False) -> None:
    assert not watch.foreign, f"the page reached outside the local system: {watch.foreign}"
    assert not watch.errors, f"the page logged errors: {watch.errors}"
    unexpected = [m for m in watch.missing if not allowed_missing(m)]
    assert not unexpected, f"the page met 404/5xx answers: {unexpected}"


def screenshots(page: Page, name: str) -> None:
    """Desktop and phone screenshots for a human to look at; the page never overflows a phone."""
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True, animations="disabled")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(150)  # layout and the chart's autosize settle
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], \
        "overflows a phone"
    page.screenshot(path=str(RESULTS / f"{name}-phone.png"), full_page=True,
                    animations="disabled")


