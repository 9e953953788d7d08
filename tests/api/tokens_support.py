"""Helpers of the token API tests: events with submissions, reviews and tokens."""

from __future__ import annotations

from typing import Any

from podium.api import services
from podium.cfp.models import SubmissionSpeaker
from podium.extensions import db
from podium.review.models import Review, ReviewScore, ScoreCategory
from tests.schedule.builders import make_event, make_rooms, make_submission
from tests.support.factories import (
    MembershipFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)


def bearer(token: str) -> dict[str, str]:
    """The Authorization header carrying ``token``."""
    return {"Authorization": f"Bearer {token}"}


def make_token(event: Any, *scopes: str, name: str = "script") -> str:
    """A new token of ``event`` with ``scopes``; returns its text."""
    _, token = services.create_token(event=event, name=name, scopes=scopes, actor=None)
    return token


def event_with_submissions(slug: str, count: int = 2) -> dict[str, Any]:
    """Event ``slug`` with an organizer, one room, ``count`` submitted proposals by speakers
    with accounts (the first has two reviews, scores 2 and 3), and one accepted proposal."""
    event = make_event(slug=slug, name=f"{slug} conf")
    organizer = UserFactory(email=f"orga@{slug}.example")
    MembershipFactory(event=event, user=organizer, role="organizer")
    (room,) = make_rooms(event, 1)
    proposals = []
    for number in range(count):
        user = UserFactory(email=f"speaker{number}@{slug}.example", name=f"Speaker {number}")
        profile = SpeakerProfileFactory(user=user)
        proposals.append(
            SubmissionFactory(event=event, title=f"{slug} talk {number}", speaker=profile)
        )
    reviewers = [UserFactory(), UserFactory()]
    overall = ScoreCategory(event_id=event.id, name="Overall", score_min=0, score_max=3)
    db.session.add(overall)
    for reviewer, score in zip(reviewers, (2, 3), strict=True):
        review = Review(submission_id=proposals[0].id, reviewer_id=reviewer.id)
        db.session.add(review)
        db.session.flush()
        db.session.add(ReviewScore(review_id=review.id, category_id=overall.id, value=score))
    accepted = make_submission(event, title=f"{slug} accepted", state="accepted")
    db.session.add(SubmissionSpeaker(submission=accepted, speaker=SpeakerProfileFactory()))
    db.session.commit()
    return {
        "event": event,
        "organizer": organizer,
        "room": room,
        "proposals": proposals,
        "accepted": accepted,
    }
