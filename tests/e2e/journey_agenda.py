"""Browser-journey steps of the personal agenda: starring with and without an account."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e import a11y
from tests.e2e.journey import VISITOR_ZONE, Plan, expect_h1


def _star(page: Page, plan: Plan):  # type: ignore[no-untyped-def]
    return page.get_by_role("button", name=f"Star: {plan.title}")


def _toggle_by_keyboard(page: Page, star) -> None:  # type: ignore[no-untyped-def]
    """Tab to the star and press Enter; the page stays (agenda.js answers the click)."""
    a11y.tab_to(page, star)
    page.keyboard.press("Enter")


def visitor_stars_without_account(page: Page, plan: Plan, screenshot) -> None:  # type: ignore[no-untyped-def]
    """An anonymous visitor stars the session on the grid (kept in this browser: the page says
    so), still sees it starred after a reload, finds it in My agenda and removes it there."""
    # With ?tz= the page stays put (program.js would otherwise switch to the browser's zone).
    page.goto(f"/{plan.slug}/schedule/?tz={VISITOR_ZONE}")
    note = page.locator("#agenda-note")
    expect(note).to_contain_text("Your stars are kept in this browser only.")
    star = _star(page, plan)
    expect(star).to_have_attribute("aria-pressed", "false")
    _toggle_by_keyboard(page, star)
    expect(star).to_have_attribute("aria-pressed", "true")
    a11y.check_page(page, "public schedule with stars")
    screenshot(page, "schedule starred in the browser")

    page.reload()
    expect(_star(page, plan)).to_have_attribute("aria-pressed", "true")
    a11y.press_by_keyboard(page, page.locator("#agenda-note").get_by_role("link", name="My agenda"))
    expect_h1(page, "My agenda")
    page.wait_for_url(re.compile(r"[?&]s="))
    expect(page.locator(".agenda-list")).to_contain_text(plan.title)
    a11y.check_page(page, "my agenda in the browser")
    screenshot(page, "my agenda in the browser", phone=True)
    a11y.press_by_keyboard(
        page, page.get_by_role("button", name=f"Remove {plan.title} from my agenda")
    )
    expect(page.get_by_role("main")).to_contain_text("You have not starred any sessions yet.")


def speaker_stars_with_account(page: Page, plan: Plan, screenshot) -> None:  # type: ignore[no-untyped-def]
    """The logged-in speaker stars the session on the list (stored in the account, so it is
    starred after a reload), makes a calendar feed address, and the feed holds the session."""
    page.goto(f"/{plan.slug}/schedule/list")
    expect(page.locator("#agenda-stars")).to_contain_text("Your stars are saved to your account.")
    star = _star(page, plan)
    expect(star).to_have_attribute("aria-pressed", "false")
    _toggle_by_keyboard(page, star)
    expect(star).to_have_attribute("aria-pressed", "true")
    page.evaluate("window.localStorage.clear()")  # nothing is kept in the browser
    page.reload()
    expect(_star(page, plan)).to_have_attribute("aria-pressed", "true")

    a11y.press_by_keyboard(
        page, page.locator("#agenda-stars").get_by_role("link", name="My agenda")
    )
    expect_h1(page, "My agenda")
    expect(page.locator(".agenda-list")).to_contain_text(plan.title)
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Make a feed address"))
    feed = page.get_by_label("Your feed address (copy it now, it is shown only once)")
    address = feed.input_value()
    assert re.search(rf"/{plan.slug}/agenda/feed/[A-Za-z0-9_-]{{43}}\.ics$", address), address
    a11y.check_page(page, "my agenda with an account")
    screenshot(page, "my agenda with an account")
    calendar = page.request.get(address)
    assert calendar.status == 200
    assert f"SUMMARY:{plan.title}" in calendar.text().replace("\r\n ", "")
