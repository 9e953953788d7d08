"""Browser-test fixtures: a production-like Podium server, Debian's Chromium, screenshots.

The tests skip, with the reason shown, when Chromium, Playwright or axe-core is missing
(``scripts/ensure-browser.sh`` installs them); with ``PODIUM_REQUIRE_BROWSER=1`` (CI) a missing
piece fails instead. Screenshots and the accessibility report go to ``test-artifacts/e2e/``
(or ``PODIUM_TEST_E2E_ARTIFACTS``); the folder is printed at the end of the run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.conftest import create_postgres_database, drop_postgres_database
from tests.e2e import a11y
from tests.e2e.server import LiveServer, run_live_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    # Date fields take keystrokes in the UI language's order; fix it so typing is predictable.
    "--lang=en-US",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(
    os.environ.get("PODIUM_TEST_E2E_ARTIFACTS") or a11y.REPO / "test-artifacts" / "e2e"
).resolve()

_state: dict[str, int] = {}  # screenshots taken per backend; whether artifacts were made
# Screenshots whose page was wider than the window (printed in the summary).
LAYOUT_NOTES: list[str] = []


def _missing_pieces() -> list[str]:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401  only checking that it is installed
    except ImportError:
        missing.append("the Python package playwright")
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (Debian packages chromium, chromium-driver)")
    if not a11y.AXE_PATH.exists():
        missing.append(f"axe-core ({a11y.AXE_PATH.relative_to(a11y.REPO)})")
    return missing


@pytest.fixture(scope="session")
def browser_ready() -> None:
    """Skip (fail under PODIUM_REQUIRE_BROWSER=1) unless all a browser test needs is here."""
    missing = _missing_pieces()
    if not missing:
        return
    reason = "browser tests need " + ", ".join(missing) + "; run scripts/ensure-browser.sh"
    if os.environ.get("PODIUM_REQUIRE_BROWSER") == "1":
        pytest.fail("PODIUM_REQUIRE_BROWSER=1 but " + reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def artifacts(browser_ready: None) -> Path:
    """The emptied screenshot folder of this run."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    _state["artifacts"] = 1
    return ARTIFACTS


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def live_server(
    request: pytest.FixtureRequest, browser_ready: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """Podium under gunicorn on a fresh database, shared by the session's tests.

    Once on SQLite and, like the rest of the suite, once on PostgreSQL when
    ``PODIUM_TEST_POSTGRES_URL`` is set (the production database of the compose stack).
    """
    server_url = database_url = None
    if request.param == "postgresql":
        server_url = request.getfixturevalue("postgres_server_url")
        database_url = create_postgres_database(server_url, prefix="podium_e2e")
    try:
        instance = tmp_path_factory.mktemp(f"e2e-{request.param}")
        with run_live_server(instance, database_url=database_url) as server:
            yield server
    finally:
        if server_url and database_url:
            drop_postgres_database(server_url, database_url)


@pytest.fixture(scope="session")
def browser(browser_ready: None):  # type: ignore[no-untyped-def]
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import expect, sync_playwright

    # A busy CI machine can take seconds per page; assertions wait as long as actions do.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest, browser, live_server: LiveServer, artifacts: Path
) -> Iterator[Callable[..., object]]:
    """Open a page in a fresh browser context (its own cookies: one per role).

    ``new_page("speaker", timezone_id="America/New_York")`` returns a Playwright ``Page`` at
    desktop width whose relative URLs resolve against the live server. When the test fails,
    each open page is screenshotted as ``FAILED-<role>.png`` and the server log is printed.
    """
    opened: list[tuple[str, object]] = []
    contexts = []

    def open_page(role: str, **context_options: object):  # type: ignore[no-untyped-def]
        options = {
            "base_url": live_server.url,
            "viewport": DESKTOP,
            "locale": "en-GB",
            "timezone_id": "UTC",
        }
        options.update(context_options)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        a11y.watch_page(page)
        opened.append((role, page))
        return page

    yield open_page
    if request.node.stash.get(_FAILED, False):
        for role, page in opened:
            try:
                page.screenshot(path=artifacts / f"FAILED-{role}.png", full_page=True)  # type: ignore[attr-defined]
                print(f"{role} was at {page.url}")  # type: ignore[attr-defined]
            except Exception as exc:  # the page may be gone; the report matters more
                print(f"no failure screenshot of {role}: {exc}")
        print("server log tail:\n" + live_server.log_tail())
    for context in contexts:
        context.close()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@pytest.fixture
def screenshot(artifacts: Path, live_server: LiveServer) -> Callable[..., list[Path]]:
    """``screenshot(page, "cfp form", phone=True)`` saves full-page PNGs, numbered in order,
    in a folder per database backend (``test-artifacts/e2e/sqlite/`` ...).

    Always at desktop width (1280 px); with ``phone=True`` also at 390 px. The page is left at
    desktop width. Returns the files written.
    """
    folder = artifacts / live_server.backend
    folder.mkdir(exist_ok=True)

    def shoot(page, name: str, phone: bool = False) -> list[Path]:  # type: ignore[no-untyped-def]
        number = _state[live_server.backend] = _state.get(live_server.backend, 0) + 1
        written = []
        sizes = [("desktop", DESKTOP)] + ([("phone", PHONE)] if phone else [])
        for label, size in sizes:
            page.set_viewport_size(size)
            path = folder / f"{number:02d}-{_slug(name)}-{label}-{size['width']}.png"
            page.screenshot(path=path, full_page=True)
            written.append(path)
            overflow = a11y.horizontal_overflow(page)
            if overflow > 0:
                LAYOUT_NOTES.append(
                    f"{path.relative_to(artifacts)}: page {overflow}px wider than the viewport"
                )
        page.set_viewport_size(DESKTOP)
        return written

    return shoot


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if not _state.get("artifacts"):
        return
    reports = a11y.REPORTS
    (ARTIFACTS / "a11y-report.json").write_text(
        json.dumps([asdict(r) for r in reports], indent=2), encoding="utf-8"
    )
    terminalreporter.section("browser tests")
    terminalreporter.write_line(f"screenshots and a11y-report.json: {ARTIFACTS}")
    failing = sorted({r.name for r in reports if r.asserted or r.h1_count != 1})
    terminalreporter.write_line(
        f"accessibility: {len(reports)} checks of {len({r.name for r in reports})} pages; "
        f"failing ({', '.join(a11y.ASSERTED_RULES)}, one h1): {', '.join(failing) or 'none'}"
    )
    notes = sorted(
        {f"{r.name}: " + ", ".join(v["id"] for v in r.other) for r in reports if r.other}
        | {
            f"{r.name}: page {r.horizontal_overflow_px}px wider than the 1280px window"
            for r in reports
            if r.horizontal_overflow_px > 0
        }
        | {f"{note}" for note in LAYOUT_NOTES}
    )
    for note in notes:
        terminalreporter.write_line(f"  note: {note}")
