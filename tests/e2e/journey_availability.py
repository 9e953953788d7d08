"""Journey steps for speaker availability: the organizer asks for it in the CfP, the speaker
gives it on the proposal form, the organizer sees it (and no conflict) in the schedule editor,
and the speaker finds it read-only once the schedule is published.

Every step uses the keyboard only, like the rest of :mod:`tests.e2e.journey`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page, expect

# journey.py imports this module for the proposal step, so its names are looked up at call
# time (``journey.X``), not imported by name while journey.py is still loading.
from tests.e2e import a11y, journey

if TYPE_CHECKING:
    from tests.e2e.journey import Person, Plan

REQUIRED = "Ask for speaker availability in the CfP (required to submit)"
# The range the speaker gives on the first conference day (local, in the event's zone).
FROM, TO = "09:00", "12:00"


def organizer_requires_availability(page: Page, plan: Plan) -> None:
    """Tick "required in the CfP" on the organizers' availability page."""
    page.goto(f"/orga/{plan.slug}/availability")
    journey.expect_h1(page, f"Speaker availability: {plan.name}")
    a11y.fill_by_keyboard(
        page,
        [(page.get_by_label(REQUIRED), True)],
        submit=page.get_by_role("button", name="Save setting"),
    )
    journey.expect_flash(page, "Availability setting saved.")
    expect(page.get_by_label(REQUIRED)).to_be_checked()


def availability_fields(page: Page) -> list[tuple[Locator, str | bool]]:
    """The proposal form's first availability row, filled with :data:`FROM`-:data:`TO` on the
    first day (the day select's default), for :func:`a11y.fill_by_keyboard`."""
    row = page.get_by_role("group", name="Range 1")
    return [(row.get_by_label("From"), FROM), (row.get_by_label("To"), TO)]


def given_range(plan: Plan) -> str:
    """The range as Podium writes it, e.g. ``Sat 02 Feb 09:00-12:00`` with an en dash."""
    return f"{plan.start_date:%a %d %b} {FROM}{journey.DASH}{TO}"


def speaker_paints_availability(page: Page, plan: Plan) -> None:
    """On their own availability page, the speaker adds 14:00-15:00 on the second day with
    the JavaScript grid (keyboard: arrows, Space), which rewrites the rows, and saves."""
    page.goto(f"/{plan.slug}/me/")
    a11y.press_by_keyboard(page, page.get_by_role("link", name="When I can present"))
    journey.expect_h1(page, f"My availability at {plan.name}")
    first_day = f"{plan.start_date:%a %d %b}"
    grid = page.get_by_role("grid")
    expect(grid.get_by_role("gridcell", name=f"{first_day} 10:00")).to_have_attribute(
        "aria-selected", "true"
    )
    a11y.tab_to(page, grid.get_by_role("gridcell", name=f"{first_day} 00:00"))
    page.keyboard.press("ArrowDown")
    for _ in range(14):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    second = page.get_by_role("group", name="Range 2")
    expect(second.get_by_label("From")).to_have_value("14:00")
    expect(second.get_by_label("To")).to_have_value("15:00")
    a11y.check_page(page, "speaker availability with grid")
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Save availability"))
    journey.expect_flash(page, "Availability saved: 2 ranges.")
    second_day = f"{plan.end_date:%a %d %b}"
    expect(page.get_by_role("listitem").filter(has_text=second_day)).to_have_text(
        f"{second_day} 14:00{journey.DASH}15:00"
    )


def organizer_sees_availability(page: Page, plan: Plan, speaker: Person, screenshot) -> None:  # type: ignore[no-untyped-def]
    """The overview lists the speaker's range; the editor shows it by the session, no conflict."""
    page.goto(f"/orga/{plan.slug}/availability")
    row = page.get_by_role("row").filter(has_text=speaker.name)
    expect(row.get_by_role("cell").nth(1)).to_contain_text(given_range(plan))
    a11y.check_page(page, "organizer availability overview")
    screenshot(page, "organizer availability overview")
    page.goto(f"/orga/{plan.slug}/schedule/?day={plan.start_date.isoformat()}")
    session = page.get_by_role("row").filter(has_text=plan.title)
    expect(session).to_contain_text(f"Can present: {given_range(plan)}")
    expect(session).not_to_contain_text("outside its speakers' availability")


def speaker_sees_availability_locked(page: Page, plan: Plan, screenshot) -> None:  # type: ignore[no-untyped-def]
    """After the first release the speaker's page shows the range but no form."""
    page.goto(f"/{plan.slug}/me/")
    a11y.press_by_keyboard(page, page.get_by_role("link", name="When I can present"))
    journey.expect_h1(page, f"My availability at {plan.name}")
    expect(page.get_by_role("listitem").filter(has_text=given_range(plan))).to_be_visible()
    expect(page.get_by_text("The schedule is published")).to_be_visible()
    expect(page.get_by_role("button", name="Save availability")).to_have_count(0)
    a11y.check_page(page, "speaker availability (locked)")
    screenshot(page, "speaker availability locked", phone=True)
