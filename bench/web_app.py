"""The web app's weight and speed. Bytes: what the user's page loads first (the entry JS and
CSS that index.html names, gzip) against a target of ≤ 250 KB, and every lazy chunk (chart,
Firestore transport, later admin) with its size. Speed: headless Chromium against the local
system — time to first contentful paint, to the app being ready, and from pressing Analyze to
a completed result with its chart drawn (median of N runs, default 3). Needs `make web` and
Debian's Chromium (`make test-deps`)."""

from __future__ import annotations

import gzip
import importlib.util
import re
import statistics
import sys
from pathlib import Path

from bench.local_system import local_system

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "web" / "dist"
TARGET_KB = 250
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def gzip_kb(path: Path) -> float:
    return len(gzip.compress(path.read_bytes(), compresslevel=9)) / 1024


def first_load() -> tuple[list[Path], list[Path]]:
    """(files index.html loads, lazy chunks)."""
    html = (DIST / "index.html").read_text()
    named = {DIST / ref.lstrip("/") for ref in re.findall(r'(?:src|href)="(/assets/[^"]+)"', html)}
    assets = sorted((DIST / "assets").iterdir())
    return sorted(named), [a for a in assets if a not in named and a.suffix in (".js", ".css")]


def report_bytes() -> None:
    eager, lazy = first_load()
    total = sum(gzip_kb(p) for p in eager)
    sys.stdout.write(f"first load (JS + CSS, gzip): {total:.1f} KB (target ≤ {TARGET_KB} KB)"
                     f" {'ok' if total <= TARGET_KB else 'OVER'}\n")
    for path in eager:
        sys.stdout.write(f"  {path.name:<36} {gzip_kb(path):7.1f} KB\n")
    sys.stdout.write("lazy chunks (loaded only when needed):\n")
    for path in lazy:
        sys.stdout.write(f"  {path.name:<36} {gzip_kb(path):7.1f} KB\n")


def one_run(browser: object, url: str) -> dict[str, float]:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-ready", "true", timeout=30_000)
    expect(page.get_by_test_id("analyze")).to_be_enabled(timeout=30_000)
    ready = page.evaluate("performance.now()")
    paint = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || "
                          "{startTime: NaN}).startTime")
    chunks_before = page.evaluate("performance.getEntriesByType('resource')"
                                  ".map(e => e.name).filter(n => n.includes('/assets/'))")
    start = page.evaluate("performance.now()")
    page.get_by_test_id("analyze").click()
    expect(page.get_by_test_id("result")).to_be_visible(timeout=60_000)
    done = page.evaluate("performance.now()")
    expect(page.get_by_test_id("chart-canvas")).not_to_have_attribute("data-candles", "0",
                                                                       timeout=60_000)
    charted = page.evaluate("performance.now()")
    context.close()
    lazy_early = [c for c in chunks_before if "Chart" in c or "firestore" in c]
    return {"paint": paint, "ready": ready, "result": done - start, "chart": charted - start,
            "lazy_early": float(len(lazy_early))}


def report_speed(runs: int) -> None:
    from playwright.sync_api import sync_playwright

    with local_system() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        one_run(browser, url)  # warm the system's imports (first analysis of a fresh process)
        results = [one_run(browser, url) for _ in range(runs)]
        browser.close()
    median = {key: statistics.median(r[key] for r in results) for key in results[0]}
    sys.stdout.write(f"headless Chromium, local system, median of {runs}:\n"
                     f"  first contentful paint      {median['paint']:7.0f} ms\n"
                     f"  app ready (Analyze enabled) {median['ready']:7.0f} ms\n"
                     f"  Analyze → completed result  {median['result']:7.0f} ms\n"
                     f"  Analyze → chart drawn       {median['chart']:7.0f} ms\n"
                     f"  lazy chunks loaded before Analyze: {int(median['lazy_early'])}\n")


def main() -> None:
    if not (DIST / "index.html").exists():
        sys.stdout.write("web/dist is missing: run `make web` first\n")
        return
    report_bytes()
    if not Path(CHROMIUM).exists() or importlib.util.find_spec("playwright") is None:
        sys.stdout.write(f"{CHROMIUM} or playwright is missing (make test-deps): no timings\n")
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 3
    report_speed(runs)


if __name__ == "__main__":
    main()
