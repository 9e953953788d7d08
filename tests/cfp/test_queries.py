"""Read-only CfP queries other features call (the speaker dashboard)."""

from __future__ import annotations

from podium.cfp.queries import submissions_for_user
from tests.support.factories import (
    EventFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.support.queries import count_queries


def test_submissions_for_user_only_own_across_events_newest_first(app, db_session) -> None:
    user = UserFactory()
    profile = SpeakerProfileFactory(user=user)
    first = SubmissionFactory(event=EventFactory(name="A"), speaker=profile, title="First")
    second = SubmissionFactory(event=EventFactory(name="B"), speaker=profile, title="Second")
    SubmissionFactory(speaker=SpeakerProfileFactory(user=UserFactory()), title="Not mine")
    db_session.expire_all()
    name = user.name  # reload the user outside the count

    with count_queries() as log:
        found = submissions_for_user(user)
        shown = [(s.title, s.event.name, [x.speaker.name for x in s.speakers]) for s in found]

    assert [s.id for s in found] == [second.id, first.id]
    assert shown == [("Second", "B", [name]), ("First", "A", [name])]
    assert log.count == 4  # submissions, speakers, profiles, events (no type/track set)


def test_submissions_for_user_filtered_by_event(app) -> None:
    user = UserFactory()
    profile = SpeakerProfileFactory(user=user)
    event = EventFactory()
    mine = SubmissionFactory(event=event, speaker=profile)
    SubmissionFactory(event=EventFactory(), speaker=profile)

    assert [s.id for s in submissions_for_user(user, event=event)] == [mine.id]
    assert submissions_for_user(UserFactory()) == []
