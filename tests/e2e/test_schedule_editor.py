"""The visual schedule editor in a real browser, with two organizers at once.

One long journey (browser tests are costly): an imported event (RomHack Camp 2026, Europe/Rome)
→ the grid of its first day → drag a session to the unscheduled list, drag it back into a room
and time, move it onto an occupied slot and see the conflict, undo, resize by dragging the
card's end; then a second organizer, whose page is out of date, is refused with a clear
message and sees the card's current state. The time from drop to the card's new state is
measured in the page (``data-last-change-ms``) and printed (the target is 300 ms; a figure, not
a timed assertion, since wall time on a shared CI machine is noise).
"""

from __future__ import annotations

import re
import statistics

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e import a11y
from tests.e2e.a11y import REPO
from tests.e2e.journey import DASH, Person, create_organizer, expect_flash, expect_h1, log_in

pytestmark = pytest.mark.e2e

FIXTURE = REPO / "tests/fixtures/schedules/xml/romhack-camp-2026.schedule.xml"
SLUG = "editor-camp"
DAY = "2026-10-02"
EDITOR = Person("Eddie Editor", "eddie@editor.example.org")
OPENING = "RomHack Camp Opening"  # STAGE 1, 11:00, 40 minutes
OCCUPIER = 'Presentazione "Manualetto'  # STAGE 1, 17:00
TALL = {"width": 1400, "height": 1900}  # the grid from 09:00 to 18:00 fits without scrolling


def _grid_point(page: Page, room: str, local_time: str) -> tuple[float, float]:
    """The page coordinates of the middle of ``room``'s column at ``local_time``'s row top."""
    header = page.locator(".grid-room", has_text=room).bounding_box()
    row = page.locator(".grid-time", has_text=re.compile(rf"^{local_time}")).first.bounding_box()
    assert header is not None and row is not None
    return header["x"] + header["width"] / 2, row["y"] + row["height"] / 2


def _drag(page: Page, source: Locator, x: float, y: float) -> None:
    """Drag ``source`` by its top edge to (x, y) with the mouse (native drag and drop)."""
    box = source.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 12, box["y"] + 6)
    page.mouse.down()
    page.mouse.move(x, y, steps=8)
    page.mouse.up()


def _card(page: Page, title: str) -> Locator:
    return page.locator("#editor-grid .slot-card", has_text=title)


def _open_grid(page: Page) -> None:
    page.goto(f"/orga/{SLUG}/schedule/grid?day={DAY}")
    expect_h1(page, "Visual schedule editor: RomHack Camp 2026")
    expect(page.locator("#editor-grid")).to_have_attribute("data-ready", "true")


def _last_change_ms(page: Page) -> int:
    return int(page.locator("#editor-grid").get_attribute("data-last-change-ms") or "99999")


def test_two_organizers_drag_move_undo_resize_and_stale_refusal(  # type: ignore[no-untyped-def]
    live_server, new_page, screenshot
) -> None:
    create_organizer(live_server, EDITOR)
    live_server.cli("import-schedule", str(FIXTURE), "--event", SLUG)
    first = new_page("editor-first", viewport=TALL)
    log_in(first, EDITOR)
    _open_grid(first)
    a11y.check_page(first, "visual schedule editor")
    timings = []

    # Drag the opening back to the unscheduled list: it leaves the grid.
    _drag(first, _card(first, OPENING), *_centre(first.locator("#unscheduled-list")))
    expect(first.locator("#unscheduled-list")).to_contain_text(OPENING)
    expect(_card(first, OPENING)).to_have_count(0)
    expect(first.locator("#editor-status")).to_have_text(f"Saved: unscheduled “{OPENING}”.")
    timings.append(_last_change_ms(first))

    # ...and from the list into WORKSHOP 2 at 13:00.
    item = first.locator(".unscheduled-item", has_text=OPENING)
    _drag(first, item, *_grid_point(first, "WORKSHOP 2", "13:00"))
    expect(_card(first, OPENING)).to_contain_text(f"13:00{DASH}13:40")
    expect(first.locator(".unscheduled-item", has_text=OPENING)).to_have_count(0)
    timings.append(_last_change_ms(first))

    # Onto an occupied slot: STAGE 1 at 17:00 holds another talk; the conflict shows at once.
    _drag(first, _card(first, OPENING), *_grid_point(first, "STAGE 1", "17:00"))
    expect(_card(first, OPENING)).to_contain_text(f"17:00{DASH}17:40")
    expect(_card(first, OPENING)).to_have_class(re.compile(r"\bhas-conflict\b"))
    expect(_card(first, OCCUPIER)).to_contain_text("⚠ 1 conflict")
    conflicts = first.locator("#conflict-list")
    expect(conflicts).to_contain_text(f"and “{OPENING}” overlap in room STAGE 1.")
    timings.append(_last_change_ms(first))
    grid_scroll = first.locator(".grid-scroll")
    # The documentation's picture (docs/images/schedule-editor.png): the afternoon in view.
    grid_scroll.evaluate(
        "box => { box.scrollTop = [...box.querySelectorAll('.grid-time')]"
        ".find(row => row.textContent.startsWith('15:00')).offsetTop - 40; }"
    )
    screenshot(first, "visual schedule editor with a conflict")
    grid_scroll.evaluate("box => { box.scrollTop = 0; }")
    first.set_viewport_size(TALL)  # the screenshot left it at the usual desktop size

    # Undo puts it back in WORKSHOP 2 at 13:00 and the conflict goes away.
    first.get_by_role("button", name=re.compile("^Undo: moved")).click()
    expect(_card(first, OPENING)).to_contain_text(f"13:00{DASH}13:40")
    expect(_card(first, OPENING)).not_to_have_class(re.compile(r"\bhas-conflict\b"))
    expect(conflicts).not_to_contain_text(OPENING)
    expect(first.locator("#editor-status")).to_have_text("Undone.")

    # Resize: drag the card's lower edge two rows (2 x 15 minutes) down: 40 -> 75 minutes.
    handle = _card(first, OPENING).locator(".resize-handle")
    box = handle.bounding_box()
    assert box is not None
    row_height = first.locator(".grid-time").first.bounding_box()["height"]  # type: ignore[index]
    first.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    first.mouse.down()
    first.mouse.move(box["x"] + box["width"] / 2, box["y"] + 2 * row_height, steps=6)
    first.mouse.up()
    expect(_card(first, OPENING)).to_contain_text(f"13:00{DASH}14:15")
    timings.append(_last_change_ms(first))
    a11y.check_page(first, "visual schedule editor after changes")

    # A second organizer opens the grid now; then the first moves the session to 14:00.
    second = new_page("editor-second", viewport=TALL)
    log_in(second, EDITOR)
    _open_grid(second)
    expect(_card(second, OPENING)).to_contain_text(f"13:00{DASH}14:15")
    _drag(first, _card(first, OPENING), *_grid_point(first, "WORKSHOP 2", "14:00"))
    expect(_card(first, OPENING)).to_contain_text(f"14:00{DASH}15:15")
    timings.append(_last_change_ms(first))

    # The second, still seeing 13:00, drags it to 15:30: refused, and the card shows 14:00.
    _drag(second, _card(second, OPENING), *_grid_point(second, "WORKSHOP 2", "15:30"))
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("Someone else changed this slot since you loaded the page")
    expect(_card(second, OPENING)).to_contain_text(f"14:00{DASH}15:15")
    screenshot(second, "visual schedule editor stale refusal")
    _open_grid(first)  # nothing was overwritten
    expect(_card(first, OPENING)).to_contain_text(f"14:00{DASH}15:15")

    # The keyboard way: the card's link opens the form page, which resizes too.
    a11y.press_by_keyboard(first, _card(first, OPENING).get_by_role("link"))
    expect_h1(first, f"Move “{OPENING}”")
    a11y.fill_by_keyboard(
        first,
        [(first.get_by_label("Length (minutes)"), "60")],
        submit=first.get_by_role("button", name="Change length"),
    )
    expect_flash(first, "Now 60 minutes long.")

    # Wall time in the page, so it includes the server's queueing on a busy machine: printed
    # as a figure (target: median under 300 ms), not asserted.
    print(f"drop to new card state (ms): {timings}, median {statistics.median(timings)}")
    assert len(timings) == 5 and all(ms > 0 for ms in timings), timings


def _centre(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 30)
