"""An organizer reads the reviews: the submission page lists every review and comment, the
ranking shows each reviewer's score on demand. Data is seeded through ``podium shell``."""

from __future__ import annotations

import re
import textwrap

import pytest
from playwright.sync_api import expect

from tests.e2e import a11y, journey
from tests.e2e.journey import Person

pytestmark = pytest.mark.e2e

READER = Person("Orla Reader", "orla@reviews.example.org")
SLUG = "reviewread"
TITLE = "Lenses for the Analytical Engine"

# Runs inside ``podium shell`` on the live server's database (its names repeat READER, SLUG
# and TITLE): an event READER organizes, two reviewers, two submissions, three reviews.
SEED = textwrap.dedent(
    """
    import datetime as dt, uuid
    from sqlalchemy import select
    from podium.accounts.models import User
    from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
    from podium.events.models import Event, EventMembership
    from podium.extensions import db
    from podium.review.models import Review, ReviewerAssignment, ReviewScore, ScoreCategory
    reader = db.session.scalar(select(User).where(User.email == "orla@reviews.example.org"))
    event = Event(slug="reviewread", name="Review Reading Conf", time_zone="Europe/Brussels",
                  start_date=dt.date(2031, 6, 1), end_date=dt.date(2031, 6, 2))
    db.session.add(event); db.session.flush()
    db.session.add(EventMembership(event_id=event.id, user_id=reader.id, role="organizer"))
    rita = User(email="rita@reviews.example.org", name="Rita Reviewer")
    theo = User(email="theo@reviews.example.org", name="Theo Thorough")
    db.session.add_all([rita, theo]); db.session.flush()
    for user in (rita, theo):
        db.session.add(EventMembership(event_id=event.id, user_id=user.id, role="reviewer"))
        db.session.add(ReviewerAssignment(event_id=event.id, reviewer_id=user.id))
    profile = SpeakerProfile(name="Ada Lovelace")
    db.session.add(profile); db.session.flush()
    subs = [Submission(event_id=event.id, guid=str(uuid.uuid4()), title=title,
                       duration_minutes=30, state="submitted")
            for title in ("Lenses for the Analytical Engine", "Punched cards, revisited")]
    db.session.add_all(subs); db.session.flush()
    for sub in subs:
        db.session.add(SubmissionSpeaker(submission_id=sub.id, speaker_id=profile.id,
                                         position=0, is_submitter=True))
    at = dt.datetime(2031, 3, 1, 9, 15, tzinfo=dt.UTC)
    overall = ScoreCategory(event_id=event.id, name="Overall", score_min=0, score_max=3)
    reviews = [
        Review(submission_id=subs[0].id, reviewer_id=rita.id,
               comment="Clear outline; the demo needs a backup plan.",
               created_at=at, updated_at=at),
        Review(submission_id=subs[0].id, reviewer_id=theo.id,
               comment="Too close to last year's talk.", created_at=at, updated_at=at),
        Review(submission_id=subs[1].id, reviewer_id=rita.id, comment="",
               created_at=at, updated_at=at),
    ]
    db.session.add_all([overall, *reviews]); db.session.flush()
    for review, score in zip(reviews, (3, 1, 2)):
        db.session.add(ReviewScore(review_id=review.id, category_id=overall.id, value=score))
    db.session.commit()
    print("seeded", subs[0].id)
    """
)


def test_organizer_reads_reviews_and_per_reviewer_ranking(  # type: ignore[no-untyped-def]
    live_server, new_page, screenshot
) -> None:
    journey.create_organizer(live_server, READER)
    # One exec() line: the interactive shell would need blank lines after each block.
    seeded = live_server.cli("shell", input_text=f"exec({SEED!r})\n")
    assert re.search(r"seeded \d+", seeded), seeded
    page = new_page("organizer")
    journey.log_in(page, READER)

    page.goto(f"/orga/{SLUG}/ranking")
    journey.expect_h1(page, "Ranking: Review Reading Conf")
    a11y.press_by_keyboard(page, page.get_by_role("link", name=TITLE))
    journey.expect_h1(page, TITLE)
    reviews = page.locator("table.submission-reviews")
    expect(reviews.locator("tbody tr")).to_have_count(2)
    expect(reviews.locator("tbody tr").nth(0).locator("td")).to_have_text(
        ["Rita Reviewer", "3", "Clear outline; the demo needs a backup plan.", "2031-03-01 10:15"]
    )
    expect(reviews.locator("tbody tr").nth(1).locator("td")).to_have_text(
        ["Theo Thorough", "1", "Too close to last year's talk.", "2031-03-01 10:15"]
    )
    a11y.check_page(page, "organizer submission with reviews")
    screenshot(page, "organizer submission reviews", phone=True)

    a11y.press_by_keyboard(page, page.get_by_role("link", name="Ranking with per-reviewer scores"))
    journey.expect_h1(page, "Ranking: Review Reading Conf")
    table = page.locator("table.review-ranking")
    expect(table.locator("thead th").nth(10)).to_have_text("Rita Reviewer")
    expect(table.locator("thead th").nth(11)).to_have_text("Theo Thorough")
    row = table.get_by_role("row").filter(has_text=TITLE)
    expect(row.locator("td").nth(10)).to_have_text("3")
    expect(row.locator("td").nth(11)).to_have_text("1")
    expect(row.locator("td.review-comments p")).to_have_text(
        [
            "Rita Reviewer (3): Clear outline; the demo needs a backup plan.",
            "Theo Thorough (1): Too close to last year's talk.",
        ]
    )
    other = table.get_by_role("row").filter(has_text="Punched cards, revisited")
    expect(other.locator("td").nth(11)).to_have_text("—")
    a11y.check_page(page, "ranking with per-reviewer scores")
    screenshot(page, "ranking per-reviewer detail", phone=True)

    a11y.press_by_keyboard(page, page.get_by_role("link", name="Hide per-reviewer scores"))
    expect(page.locator("table.review-ranking td.review-comments")).to_have_count(0)
