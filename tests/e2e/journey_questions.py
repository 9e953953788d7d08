"""Journey steps of custom CfP questions: the organizer asks two questions before the CfP
opens to speakers, and the speaker answers them in the submission form (keyboard only)."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e import a11y
from tests.e2e.journey import Plan, expect_flash, expect_h1

# The required single-choice question, its options and the speaker's choice.
REQUIRED_QUESTION = "Prior knowledge"
OPTIONS = ("Newcomers welcome", "Some programming", "Experts only")
CHOSEN = "Some programming"
# The optional, public question about the speaker, and the speaker's answer.
OPTIONAL_QUESTION = "Pronouns"
PRONOUNS = "she/her"


def organizer_adds_questions(page: Page, plan: Plan, screenshot) -> None:  # type: ignore[no-untyped-def]
    """Add a required single-choice question and an optional public speaker question."""
    page.goto(f"/orga/{plan.slug}/questions/")
    expect_h1(page, "Questions")
    a11y.press_by_keyboard(page, page.get_by_role("link", name="Add a question"))
    expect_h1(page, "New question")
    a11y.check_page(page, "organizer new question")
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Question", exact=True), REQUIRED_QUESTION),
            (page.get_by_label("Kind of answer"), "Single choice"),
            (page.get_by_label("Options"), "\n".join(OPTIONS)),
            (page.get_by_label("An answer is required to submit"), True),
        ],
        submit=page.get_by_role("button", name="Save"),
    )
    expect_flash(page, f"Question “{REQUIRED_QUESTION}” added.")

    a11y.press_by_keyboard(page, page.get_by_role("link", name="Add a question"))
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Question", exact=True), OPTIONAL_QUESTION),
            (page.get_by_label("Asked about"), "The speaker"),
            (page.get_by_label("Public"), True),
        ],
        submit=page.get_by_role("button", name="Save"),
    )
    expect_flash(page, f"Question “{OPTIONAL_QUESTION}” added.")
    rows = page.get_by_role("row")
    expect(rows.filter(has_text=REQUIRED_QUESTION)).to_contain_text("required")
    expect(rows.filter(has_text=OPTIONAL_QUESTION)).to_contain_text("public")
    a11y.check_page(page, "organizer questions")
    screenshot(page, "organizer questions")


def speaker_answers(page: Page) -> list[tuple[Locator, str | bool]]:
    """The answer fields for :func:`tests.e2e.a11y.fill_by_keyboard`, in the form's order."""
    return [
        (page.get_by_role("radio", name=CHOSEN), True),
        (page.get_by_label(f"{OPTIONAL_QUESTION} (optional)"), PRONOUNS),
    ]


def visitor_reads_public_answer(page: Page, speaker_name: str) -> None:
    """On the public session page (where the visitor's journey ends): the public answer is
    shown with the speaker's name, the answer to the question that is not public is not."""
    expect_h1(page, re.compile("."))
    answers = page.locator(".session-answers")
    expect(answers).to_contain_text(f"{OPTIONAL_QUESTION} · {speaker_name}")
    expect(answers).to_contain_text(PRONOUNS)
    expect(page.get_by_role("main")).not_to_contain_text(CHOSEN)
