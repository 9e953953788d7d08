"""Benchmark: the embeddable schedule widget for FOSDEM 2025 (943 sessions, 40 rooms).

Prints the bytes of JavaScript a page embedding the widget loads (widget.js on the host page,
widget-frame.js inside the frame; plain and gzip), and, in headless Chromium against gunicorn
(a temporary SQLite database set up as bench/bench_http.py does), the HTML size and the time
until the widget document has loaded (navigation start to ``loadEventEnd``, median of
``--repeat`` loads after one warm-up that fills the per-release cache), for the list of every
day, the list of one track and the grid of the first day. Other processes share the CPUs:
compare rows, not absolute figures.

    .venv/bin/python bench/bench_widget.py [--repeat 5] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
from pathlib import Path

from bench_http import SLUG, Server, _get, environment, prepare

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "podium" / "static"
PAGES = {
    "list, all days": "view=list",
    "list, one track": "view=list&track=Rust",
    "grid, day 1": "view=grid",
    "grid, day 2": "view=grid&day=2025-02-02",
}


def javascript_bytes(port: int) -> None:
    """Bytes of every script the widget needs, as served."""
    scripts = {
        "widget.js (host page)": _get(port, f"/{SLUG}/widget.js"),
        "widget-frame.js (frame)": (STATIC / "widget-frame.js").read_bytes(),
    }
    print(f"{'script':28} {'bytes':>7} {'gzip':>6}")
    for name, body in scripts.items():
        print(f"{name:28} {len(body):7d} {len(gzip.compress(body, 9)):6d}")
    total = sum(len(b) for b in scripts.values())
    total_gz = sum(len(gzip.compress(b, 9)) for b in scripts.values())
    print(f"{'total':28} {total:7d} {total_gz:6d}")


def render_times(base: str, chromium: str, repeat: int) -> None:
    """Load each widget variant in Chromium and print size and load time (skipped, saying
    why, without Playwright or Chromium: ``make bench`` runs every benchmark)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("\nChromium render times skipped: the Python package playwright is missing")
        return
    if not Path(chromium).exists():
        print(f"\nChromium render times skipped: {chromium} does not exist")
        return

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(timezone_id="Europe/Brussels")
        print(f"\n{'widget':18} {'HTML bytes':>10} {'sessions':>9} {'load ms (median)':>17}")
        for name, query in PAGES.items():
            url = f"{base}/{SLUG}/widget?{query}"
            page.goto(url)  # warm-up: fills the per-release cache
            times = []
            for _ in range(repeat):
                page.goto(url, wait_until="load")
                entry = page.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return [n.loadEventEnd - n.startTime, n.decodedBodySize]; }"
                )
                times.append(entry[0])
            sessions = page.locator("a[href*='/sessions/']").count()
            print(f"{name:18} {int(entry[1]):10d} {sessions:9d} {statistics.median(times):17.1f}")
        browser.close()


def star_marking(port: int, repeat: int) -> None:
    """CPU time to show a logged-in user's stars on the day-1 grid (one regex pass over the
    cached page, see podium.agenda.stars.mark_stars), with 20 of its sessions starred."""
    import re
    import time

    from podium.agenda.stars import mark_stars

    page = _get(port, f"/{SLUG}/schedule/").decode("utf-8")
    guids = re.findall(r'class="star" name="star" value="([^"]+)"', page)
    starred = frozenset(guids[::20][:20])
    times = []
    for _ in range(max(repeat, 5)):
        start = time.process_time()
        marked = mark_stars(page, starred)
        times.append((time.process_time() - start) * 1000)
    pressed = marked.count('aria-pressed="true"')
    print(
        f"\nstars on the day-1 grid ({len(page)} bytes, {len(guids)} buttons, {pressed} pressed): "
        f"{statistics.median(times):.2f} ms CPU per logged-in page"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="podium-bench-widget-"))
    env = environment(folder)
    prepare(folder, env)
    server = Server("podium.wsgi:app", env, folder)
    try:
        javascript_bytes(server.port)
        render_times(f"http://127.0.0.1:{server.port}", args.chromium, args.repeat)
        star_marking(server.port, args.repeat)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
