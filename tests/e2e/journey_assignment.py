"""Journey steps of bidding and the automatic assignment (keyboard only, axe-checked)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e import a11y
from tests.e2e.journey import Person, Plan, expect_flash, expect_h1


def reviewer_bids(page: Page, plan: Plan, hidden: list[Person], screenshot) -> None:  # type: ignore[no-untyped-def]
    """From the review list, open the bidding page, bid "Want" on the proposal and save.

    Review is anonymised, so no name of ``hidden`` may appear on the bidding page.
    """
    page.goto(f"/review/{plan.slug}/")
    a11y.press_by_keyboard(page, page.get_by_role("link", name="Bid on proposals"))
    expect_h1(page, f"Bids: {plan.name}")
    text = page.locator("main").inner_text()
    for person in hidden:
        assert person.name not in text, f"the anonymised bidding page shows {person.name!r}"
    group = page.get_by_role("group", name=plan.title)
    expect(group.get_by_role("radio", name="No bid")).to_be_checked()
    a11y.check_page(page, "reviewer bidding")
    a11y.fill_by_keyboard(
        page,
        [(group.get_by_role("radio", name="Want"), True)],
        submit=page.get_by_role("button", name="Save bids"),
    )
    expect_flash(page, "Bids saved (1 changed).")
    expect(
        page.get_by_role("group", name=plan.title).get_by_role("radio", name="Want")
    ).to_be_checked()
    screenshot(page, "reviewer bidding", phone=True)


def organizer_runs_automatic_assignment(
    page: Page,
    plan: Plan,
    reviewer: Person,
    screenshot,  # type: ignore[no-untyped-def]
) -> None:
    """Preview the automatic assignment with one reviewer per proposal, then apply it; the
    reviewer (who wanted the proposal) ends up assigned to it."""
    page.goto(f"/orga/{plan.slug}/")
    a11y.press_by_keyboard(page, page.get_by_role("link", name="Assignment", exact=True))
    expect_h1(page, f"Automatic assignment: {plan.name}")
    a11y.check_page(page, "automatic assignment form")
    a11y.fill_by_keyboard(
        page,
        [(page.get_by_label("Reviewers per proposal"), "1")],
        submit=page.get_by_role("button", name="Preview"),
    )
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("1 new assignment(s).")
    expect(main).to_contain_text('"Want" bids honoured after applying: 1 of 1.')
    expect(main).to_contain_text("Every proposal gets its 1 reviewer(s).")
    pair = page.get_by_role("row").filter(has_text=plan.title).filter(has_text=reviewer.name)
    expect(pair).to_have_count(1)
    a11y.check_page(page, "automatic assignment preview")
    screenshot(page, "automatic assignment preview")
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Apply assignment"))
    expect_flash(page, "Automatic assignment applied: 1 added.")
    expect(
        page.get_by_role("row").filter(has_text=reviewer.name).filter(has_text=plan.title)
    ).to_have_count(1)
