"""The accessibility checker itself: it must catch what it claims to catch."""

from __future__ import annotations

import pytest

from tests.e2e import a11y

pytestmark = pytest.mark.e2e

BAD_PAGE = """<!doctype html><html lang="en"><head><title>Bad</title></head><body>
<main><h2>No level-one heading</h2>
<form><input type="text" name="title"><p style="color:#bbb">Faint text</p>
<button type="submit">Send</button></form></main></body></html>"""

GOOD_FORM = """<!doctype html><html lang="en"><head><title>Good</title></head><body>
<main><h1>Form</h1><form action="#sent">
<label for="title">Title</label><input id="title" name="title">
<label for="kind">Kind</label><select id="kind" name="kind">
<option>Talk</option><option>Workshop</option></select>
<label><input type="checkbox" name="ok"> I agree</label>
<label for="day">Day</label><input type="date" id="day" name="day">
<label for="at">Starts</label><input type="datetime-local" id="at" name="at">
<fieldset><legend>Score</legend><label><input type="radio" name="score" value="1"> 1</label>
<label><input type="radio" name="score" value="2"> 2</label>
<label><input type="radio" name="score" value="3"> 3</label></fieldset>
<button type="submit">Send</button></form></main></body></html>"""


@pytest.fixture
def blank_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_check_page_reports_missing_label_heading_and_contrast(blank_page) -> None:  # type: ignore[no-untyped-def]
    blank_page.set_content(BAD_PAGE)

    with pytest.raises(AssertionError) as failure:
        a11y.check_page(blank_page, "bad page")

    assert "has 0 h1 elements, not 1" in str(failure.value)
    report = a11y.REPORTS.pop()
    assert sorted(v["id"] for v in report.asserted) == [
        "color-contrast",
        "label",
        "page-has-heading-one",
    ]


def test_fill_by_keyboard_reaches_every_control_and_submits(blank_page) -> None:  # type: ignore[no-untyped-def]
    blank_page.set_content(GOOD_FORM)

    a11y.fill_by_keyboard(
        blank_page,
        [
            (blank_page.get_by_label("Title"), "Keyboards only"),
            (blank_page.get_by_label("Kind"), "Workshop"),
            (blank_page.get_by_label("I agree"), True),
            (blank_page.get_by_label("Day"), "2027-02-08"),
            (blank_page.get_by_label("Starts"), "2027-02-08T15:30"),
            (blank_page.get_by_role("radio", name="2"), True),
        ],
        submit=blank_page.get_by_role("button", name="Send"),
    )

    blank_page.wait_for_url("**#sent**")
    assert "title=Keyboards+only" in blank_page.url
    assert "kind=Workshop" in blank_page.url
    assert "ok=on" in blank_page.url
    assert "day=2027-02-08" in blank_page.url
    assert "at=2027-02-08T15%3A30" in blank_page.url
    assert "score=2" in blank_page.url
