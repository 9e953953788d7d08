"""Getting around the organizer area in a real browser, as the demo administrator.

One journey (browser tests are costly): ``podium demo`` → log in as the demo administrator →
header "Organize" → an event's dashboard → every entry of the organizer menu, then a page below
one (Move slot). The event walked through is a small imported one (RomHack Camp 2026, 10
sessions): the demo's FOSDEM has 943, and axe needs minutes per page of that size. On every
page: the menu with the current entry marked, a breadcrumb back to the dashboard, the
accessibility checks; screenshots at desktop width and, for some, at 390 px.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from podium.events.navigation import MENU, Audience
from tests.e2e import a11y
from tests.e2e.a11y import REPO
from tests.e2e.journey import Person, expect_h1, log_in

pytestmark = pytest.mark.e2e

FIXTURE = REPO / "tests/fixtures/schedules/xml/romhack-camp-2026.schedule.xml"
SLUG = "nav-camp"
NAME = "RomHack Camp 2026"
# Pages screenshotted at phone width too: the ones this workstream added or changed most.
PHONE_SHOTS = {"Dashboard", "Schedule", "Team"}


def _demo_admin(live_server) -> Person:  # type: ignore[no-untyped-def]
    output = live_server.cli("demo")
    live_server.cli("import-schedule", str(FIXTURE), "--event", SLUG, "--publish")
    found = re.search(r"^Demo administrator: (\S+) / password: (\S+)$", output, re.MULTILINE)
    assert found is not None, output
    return Person("Demo Administrator", found.group(1), found.group(2))


def _menu(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("navigation", name="Organizer menu")


def _expect_marked(page: Page, label: str, current: str) -> None:
    """The menu marks ``label`` (only it) and the breadcrumb ends at this page."""
    marked = _menu(page).locator("a[aria-current]")
    expect(marked).to_have_count(1)
    expect(marked).to_have_text(label)
    expect(marked).to_have_attribute("aria-current", current)
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("listitem")
    expect(crumbs.last).to_have_attribute("aria-current", "page")


def _expect_way_back(page: Page) -> None:
    back = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").first
    expect(back).to_have_text("Dashboard")
    expect(back).to_have_attribute("href", f"/orga/{SLUG}/")


def test_demo_admin_gets_around_the_organizer_area(live_server, new_page, screenshot) -> None:  # type: ignore[no-untyped-def]
    admin = _demo_admin(live_server)
    page = new_page("demo-admin")
    log_in(page, admin)

    # The header's "Organize" leads to the events; the demo event to its dashboard.
    a11y.press_by_keyboard(page, page.get_by_role("banner").get_by_role("link", name="Organize"))
    expect_h1(page, "Organize")
    expect(page.get_by_role("main").get_by_role("link", name="New event")).to_be_visible()
    listed = page.locator("ul.workspace-events > li > a:first-child")
    expect(listed).to_contain_text([NAME, "FOSDEM 2025"])  # newest first, every event for admins
    a11y.check_page(page, "organize page")
    screenshot(page, "organize page", phone=True)
    a11y.press_by_keyboard(page, page.get_by_role("link", name=NAME, exact=True))
    assert page.url.endswith(f"/orga/{SLUG}/")

    labels = [str(e.label) for e in MENU if e.audience is Audience.ORGANIZER]
    for label in labels:
        a11y.press_by_keyboard(page, _menu(page).get_by_role("link", name=label, exact=True))
        _expect_marked(page, label, "page")
        if label != "Dashboard":
            _expect_way_back(page)
        a11y.check_page(page, f"organizer {label.lower()}")
        if label in PHONE_SHOTS:
            screenshot(page, f"organizer {label}", phone=True)

    # A page below a menu entry: moving a slot sits under Schedule.
    page.goto(f"/orga/{SLUG}/schedule/")
    a11y.press_by_keyboard(page, page.get_by_role("link", name=re.compile("^Move")).first)
    _expect_marked(page, "Schedule", "true")
    _expect_way_back(page)
    expect(
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("listitem").last
    ).to_have_text("Move slot")
    a11y.check_page(page, "organizer move slot")
    screenshot(page, "organizer move slot", phone=True)
