"""The seeded event the navigation tests share: every kind of organizer and reviewer page."""

from __future__ import annotations

import pytest
from flask import Flask

from podium.cfp.models import Submission
from podium.extensions import db
from podium.review import services as review_services
from podium.schedule import services as schedule_services
from tests.schedule.builders import make_event, make_rooms, make_speaker, make_submission, place
from tests.support.factories import MembershipFactory, TrackFactory, UserFactory


@pytest.fixture(name="seeded")
def seeded_fixture(app: Flask) -> dict[str, object]:
    """An event with submissions (one scheduled and released), a review, a reviewer and an admin."""
    event = make_event(slug="navconf", name="NavConf 2030")
    track = TrackFactory(event=event, name="Main track")
    room_a, _room_b = make_rooms(event, 2)
    organizer = UserFactory(name="Olive Organizer")
    reviewer = UserFactory(name="Rex Reviewer")
    admin = UserFactory(name="Ann Admin", is_admin=True)
    MembershipFactory(event=event, user=organizer, role="organizer")
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    speaker = make_speaker("Sally Speaker")
    submitted = make_submission(event, title="Submitted talk", state="submitted")
    submitted.track_id = track.id
    placed = place(event, room_a, "2030-02-02 10:00", title="Placed talk", speakers=(speaker,))
    make_submission(event, title="Unplaced talk", state="accepted")
    review_services.add_assignment(event=event, reviewer_id=reviewer.id, scope="all")
    review_services.save_review(
        event=event, reviewer=reviewer, submission_id=submitted.id, score=2, comment="Good."
    )
    schedule_services.publish_release(event=event, actor=organizer, comment="First")
    return {
        "event": event,
        "organizer": organizer,
        "reviewer": reviewer,
        "admin": admin,
        "placed": placed,
        "submitted": submitted,
        "placed_guid": db.session.get(Submission, placed.submission_id).guid,
    }
