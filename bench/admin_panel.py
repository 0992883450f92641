"""The admin panel: its chunks' size (gzip) in the built web app, and the time to open each
section on the local stack in headless Chromium (from the tab click to its data on screen).

Needs the built app (``make web``) and Debian's chromium (``make test-deps``). Prints figures;
no target is asserted (the panel is lazy: it costs a user's first load nothing).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.local_system import local_system  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "web" / "dist" / "assets"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
# section → what shows once its data has arrived
SECTIONS = {"health": "check-store", "users": "user-1", "prompts": "version-1",
            "sources": "source-replay", "tasks": "scans", "flags": "flag-FEATURE_ADMIN_PANEL",
            "moderation": "mod-log", "messages": "sent-messages"}
ROUNDS = 5


def chunk_sizes(names: set[str]) -> list[tuple[str, int, int]]:
    """(file, bytes, gzip bytes) of each script the panel loaded that a user's page does not."""
    out = []
    for name in sorted(names):
        data = (ASSETS / name).read_bytes()
        out.append((name, len(data), len(gzip.compress(data, 9))))
    return out


def measure(url: str) -> tuple[dict[str, list[float]], set[str]]:
    from playwright.sync_api import sync_playwright

    timings: dict[str, list[float]] = {s: [] for s in SECTIONS}
    config = {"apiBase": "", "live": "sse", "devLogin": {"telegram_id": 1}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.route("**/config.js", lambda route: route.fulfill(
            status=200, body=f"window.CHARTGENIUS_CONFIG = {json.dumps(config)};",
            headers={"Content-Type": "text/javascript"}))
        page = context.new_page()
        scripts: set[str] = set()
        page.on("request", lambda r: scripts.add(r.url) if r.resource_type == "script" else None)
        page.goto(url)
        page.wait_for_selector("html[data-ready=true]")
        home = set(scripts)
        page.goto(f"{url}/admin/messages")  # the panel's shell; each section then by its tab
        page.get_by_test_id("tab-health").wait_for()
        for _ in range(ROUNDS):
            for section, ready in SECTIONS.items():
                started = time.perf_counter()
                page.get_by_test_id(f"tab-{section}").click()
                page.get_by_test_id(ready).first.wait_for(state="visible", timeout=15_000)
                timings[section].append((time.perf_counter() - started) * 1000)
        browser.close()
    names = {u.rsplit("/", 1)[-1] for u in scripts - home}
    return timings, names


def main() -> None:
    if not ASSETS.is_dir():
        raise SystemExit("web/dist is missing: run `make web` first")
    if not Path(CHROMIUM).exists() or importlib.util.find_spec("playwright") is None:
        sys.stdout.write(f"{CHROMIUM} or playwright is missing (make test-deps): no timings\n")
        return
    with local_system() as url:
        token = requests.post(f"{url}/api/auth/dev", json={"telegram_id": 1},
                              timeout=5).json()["token"]
        requests.post(f"{url}/api/analysis", json={"symbol": "NOPE/USDT", "timeframe": "4h"},
                      headers={"Authorization": f"Bearer {token}"}, timeout=5)
        timings, names = measure(url)
    print("Admin panel chunks (loaded only when an admin opens the panel):")
    total = 0
    for name, size, packed in chunk_sizes(names):
        total += packed
        print(f"  {name:40s} {size / 1024:8.1f} KB  gzip {packed / 1024:7.1f} KB")
    print(f"  {'total':40s} {'':8s}     gzip {total / 1024:7.1f} KB")
    print(f"Time to open each section (tab click → data shown), median of {ROUNDS}; "
          "the first open includes loading its code:")
    for section, values in timings.items():
        print(f"  {section:12s} median {statistics.median(values):7.1f} ms   "
              f"first {values[0]:7.1f} ms")


if __name__ == "__main__":
    main()
