"""The admin panel in Chromium against one local system: every section with real data,
a prompt edited, previewed, activated and rolled back, a system alert from the panel in
another user's bell, and a user who gets "not allowed" without downloading admin code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from local.__main__ import build_server
from shared import bootstrap
from tests.conftest import make_settings
from tests.e2e.conftest import System, free_port, publish_track_records, serve
from tests.e2e.test_pipeline import wait_final
from tests.e2e.web_browser import (
    DESKTOP,
    Watch,
    checked,
    new_context,
    open_page,
    screenshots,
)

pytestmark = pytest.mark.browser
ADMIN = {"apiBase": "", "live": "sse", "devLogin": {"telegram_id": 1}}


@pytest.fixture(scope="module")
def system(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """One system for the whole module (the panel's tests build on each other's data)."""
    ports = bootstrap.Container(make_settings(Path(tmp_path_factory.mktemp("admin-web"))))
    bootstrap.reset(ports)
    publish_track_records(request, ports)
    port = free_port()
    server, host = build_server(ports, "127.0.0.1", port)
    serve(server)
    yield System(url=f"http://127.0.0.1:{port}", ports=ports)
    server.shutdown()
    host.stop()
    bootstrap.reset(None)


class Session:
    def __init__(self, browser: Browser, system: System, identity: dict) -> None:
        self.watch = Watch()
        config = {**ADMIN, "devLogin": identity}
        self.context: BrowserContext = new_context(browser, self.watch, DESKTOP, config)
        self.page: Page = open_page(self.context, self.watch, system.url)

    def scripts(self) -> set[str]:
        return {r.url for r in self.watch.requests if r.resource_type == "script"}

    def close(self) -> None:
        checked(self.watch)
        self.context.close()


@pytest.fixture
def admin(browser: Browser, system: System) -> Iterator[Session]:
    session = Session(browser, system, {"telegram_id": 1})
    yield session
    session.close()


def token(system: System, telegram_id: int, role: str) -> str:
    return system.token(telegram_id, role)


def request(system: System, who: str, symbol: str, timeframe: str = "4h") -> dict:
    answer = requests.post(f"{system.url}/api/analysis", timeout=5,
                           headers={"Authorization": f"Bearer {who}"},
                           json={"symbol": symbol, "timeframe": timeframe})
    answer.raise_for_status()
    return wait_final(system, who, answer.json()["id"], timeout=30)


def open_section(page: Page, name: str) -> None:
    page.get_by_test_id(f"tab-{name}").click()
    expect(page).to_have_url(f"{page.url.split('/admin')[0]}/admin/{name}")


ADMIN_CHUNKS: set[str] = set()


def test_every_section_loads_with_real_data(system: System, admin: Session) -> None:
    user = token(system, 4242, "user")
    failed = request(system, user, "NOPE/USDT")
    assert failed["status"] == "failed"
    page = admin.page
    before = admin.scripts()
    page.goto(f"{system.url}/admin/health")
    expect(page.get_by_test_id("check-store")).to_have_text("store: ok")
    expect(page.get_by_test_id("pipeline-day")).to_contain_text("failed: 1")
    open_section(page, "users")
    expect(page.get_by_test_id("user-4242")).to_be_visible()
    open_section(page, "prompts")
    for name in ("analysis-en", "analysis-ru"):
        expect(page.get_by_test_id(f"prompt-{name}")).to_be_visible()
    expect(page.get_by_test_id("version-1")).to_contain_text("chartgenius")
    ADMIN_CHUNKS.update(admin.scripts() - before)
    assert ADMIN_CHUNKS, "opening the panel loaded no code of its own"
    open_section(page, "sources")
    expect(page.get_by_test_id("source-replay").get_by_test_id("breaker")).to_have_text(
        "Breaker: closed")
    open_section(page, "tasks")
    row = page.get_by_test_id(f"task-{failed['id']}")
    expect(row).to_contain_text("NOPE/USDT 4h")
    row.get_by_test_id("retry").click()
    expect(page.get_by_test_id("retry-note")).to_contain_text("Retried as")
    retried = [a for a in system.ports.store.query("analyses", [("retry_of", "==", failed["id"])])]
    assert len(retried) == 1 and retried[0]["attempt"] == 2
    expect(page.get_by_test_id("scans")).to_be_visible()
    for section, testid in (("flags", "flag-FEATURE_ADMIN_PANEL"), ("moderation", "mod-log"),
                            ("messages", "sent-messages")):
        open_section(page, section)
        expect(page.get_by_test_id(testid)).to_be_visible()
    page.get_by_test_id("language").select_option("ru")
    expect(page.get_by_test_id("tab-health")).to_have_text("Состояние системы")
    screenshots(page, "admin-messages")  # fits a phone too
    page.get_by_test_id("language").select_option("en")


def test_a_prompt_is_edited_previewed_activated_used_and_rolled_back(
        system: System, admin: Session) -> None:
    owner = token(system, 4343, "user")
    assert request(system, owner, "BTC/USDT")["result"]["prompt_version"] == 1
    page = admin.page
    page.goto(f"{system.url}/admin/prompts")
    page.get_by_test_id("prompt-analysis-en").click()
    editor = page.get_by_test_id("prompt-editor")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nKeep the summary under five sentences.")
    page.get_by_test_id("preview").click()
    output = page.get_by_test_id("preview-output")
    expect(output).to_contain_text("Keep the summary under five sentences.")
    expect(output).to_contain_text("BTC/USDT 4h")
    page.get_by_test_id("save-version").click()
    expect(page.get_by_test_id("version-2")).to_be_visible()
    page.get_by_test_id("activate-newest").click()
    expect(page.get_by_test_id("prompt-done")).to_have_text("Version 2 is active.")
    assert request(system, owner, "BTC/USDT")["result"]["prompt_version"] == 2
    page.get_by_test_id("rollback").click()
    expect(page.get_by_test_id("version-1")).to_contain_text("active")
    assert request(system, owner, "BTC/USDT")["result"]["prompt_version"] == 1
    # another admin activates version 2 meanwhile: this page's activation is refused (412)
    boss = {"Authorization": f"Bearer {token(system, 1, 'admin')}"}
    requests.post(f"{system.url}/api/admin/prompts/analysis-en/activate", json={"version": 2},
                  headers=boss, timeout=5).raise_for_status()
    page.get_by_test_id("activate-newest").click()
    expect(page.get_by_test_id("stale")).to_contain_text(
        "Someone saved a newer version — reload and merge.")


def test_a_system_alert_from_the_panel_reaches_another_users_bell(
        system: System, admin: Session, browser: Browser) -> None:
    token(system, 4444, "user")
    reader = Session(browser, system, {"telegram_id": 4444})
    try:
        page = admin.page
        page.goto(f"{system.url}/admin/messages")
        page.get_by_test_id("msg-title_en").fill("Maintenance tonight")
        page.get_by_test_id("msg-body_en").fill("Analyses pause 22:00–22:10 UTC.")
        page.get_by_test_id("msg-send").click()
        expect(page.get_by_test_id("msg-sent")).to_be_visible()
        expect(reader.page.get_by_test_id("unread-count")).to_have_text("1", timeout=15_000)
        reader.page.get_by_test_id("bell").click()
        expect(reader.page.get_by_test_id("notification").first).to_contain_text(
            "Maintenance tonight")
    finally:
        reader.close()


def test_a_user_sees_not_allowed_and_loads_no_admin_code(system: System,
                                                         browser: Browser) -> None:
    token(system, 4545, "user")
    user = Session(browser, system, {"telegram_id": 4545})
    try:
        user.page.goto(f"{system.url}/admin/users")
        expect(user.page.get_by_test_id("not-allowed")).to_be_visible()
        expect(user.page.get_by_role("link", name="Admin")).to_have_count(0)
        assert ADMIN_CHUNKS and not ADMIN_CHUNKS & user.scripts()
        asked = [r.url for r in user.watch.requests if "/api/admin" in r.url or "/api/mod" in r.url]
        assert asked == []
    finally:
        user.close()


def test_a_moderator_finds_the_panel_in_the_nav_with_only_moderation(system: System,
                                                                      browser: Browser) -> None:
    """A user an admin made a moderator gets the Admin entry in the top bar, and it opens
    the panel on its one section for them: moderation (the admin sections are not offered)."""
    who = token(system, 4646, "user")
    me = requests.get(f"{system.url}/api/me", headers={"Authorization": f"Bearer {who}"},
                      timeout=5).json()
    made = requests.patch(f"{system.url}/api/admin/users/{me['user']['id']}", timeout=5,
                          headers={"Authorization": f"Bearer {token(system, 1, 'admin')}"},
                          json={"moderator": True, "reason": "helps with reports"})
    assert made.status_code == 200 and made.json()["moderator"] is True, made.text
    moderator = Session(browser, system, {"telegram_id": 4646})
    try:
        moderator.page.get_by_role("link", name="Admin").click()
        expect(moderator.page).to_have_url(f"{system.url}/admin/moderation")
        expect(moderator.page.get_by_test_id("tab-moderation")).to_be_visible()
        expect(moderator.page.get_by_test_id("tab-users")).to_have_count(0)
        expect(moderator.page.get_by_test_id("tab-health")).to_have_count(0)
    finally:
        moderator.close()
