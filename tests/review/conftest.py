"""A review world: an event with organizer, reviewers, speakers and submissions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest

from podium.accounts.models import User
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event, Track
from podium.extensions import db
from podium.review.models import ReviewerAssignment
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    TrackFactory,
    UserFactory,
)

# Distinctive speaker data that must never reach a reviewer when review is anonymised.
SPEAKER_NAME = "Zebulon Quixotefield"
SPEAKER_EMAIL = "zq-hidden-speaker@speakers.test"
SPEAKER_BIO = "Biography-marker-4471 of a famous person"
SPEAKER_AVATAR = "avatar-marker-4471.png"
CO_SPEAKER_NAME = "Wilhelmina Xanthoporter"
CO_SPEAKER_EMAIL = "wx-hidden-cospeaker@speakers.test"


@dataclass
class World:
    """Everything the review tests use; ``subs[0]`` has two speakers, ``subs[2]`` is in track B."""

    event: Event
    organizer: User
    admin: User
    reviewer: User
    reviewer_speaker: User  # a reviewer who speaks in ``own``
    other_reviewer: User  # a reviewer with no assignment
    speaker: User
    co_speaker: User
    outsider: User
    track_a: Track
    track_b: Track
    subs: list[Submission]
    own: Submission
    profiles: dict[str, SpeakerProfile] = field(default_factory=dict)


def add_speaker(submission: Submission, profile: SpeakerProfile, position: int = 0) -> None:
    """Link ``profile`` to ``submission`` as a (co-)speaker."""
    db.session.add(
        SubmissionSpeaker(
            submission_id=submission.id,
            speaker_id=profile.id,
            position=position,
            is_submitter=position == 0,
        )
    )
    db.session.commit()


@pytest.fixture
def world(app) -> World:  # type: ignore[no-untyped-def]
    event = EventFactory(slug="revconf", name="RevConf 2031")
    organizer = UserFactory(name="Olga Organizer")
    admin = UserFactory(name="Ada Admin", is_admin=True)
    reviewer = UserFactory(name="Rita Reviewer")
    reviewer_speaker = UserFactory(name="Sam Selfreviewer")
    other_reviewer = UserFactory(name="Otto Unassigned")
    speaker = UserFactory(name=SPEAKER_NAME, email=SPEAKER_EMAIL)
    co_speaker = UserFactory(name=CO_SPEAKER_NAME, email=CO_SPEAKER_EMAIL)
    outsider = UserFactory(name="Xavier Outsider")
    MembershipFactory(event=event, user=organizer, role="organizer")
    for user in (reviewer, reviewer_speaker, other_reviewer):
        MembershipFactory(event=event, user=user, role="reviewer")
    track_a = TrackFactory(event=event, name="Track A")
    track_b = TrackFactory(event=event, name="Track B")
    profile = SpeakerProfileFactory(
        user=speaker, biography=SPEAKER_BIO, avatar_filename=SPEAKER_AVATAR
    )
    co_profile = SpeakerProfileFactory(user=co_speaker, biography="Co " + SPEAKER_BIO)
    self_profile = SpeakerProfileFactory(user=reviewer_speaker)
    subs = [
        SubmissionFactory(event=event, speaker=profile, title="Alpha talk", track=track_a),
        SubmissionFactory(event=event, speaker=profile, title="Beta talk", track=track_a),
        SubmissionFactory(event=event, speaker=co_profile, title="Gamma talk", track=track_b),
    ]
    add_speaker(subs[0], co_profile, position=1)
    own = SubmissionFactory(event=event, speaker=self_profile, title="Own talk", track=track_a)
    for user in (reviewer, reviewer_speaker):
        db.session.add(ReviewerAssignment(event_id=event.id, reviewer_id=user.id))
    db.session.commit()
    return World(
        event=event,
        organizer=organizer,
        admin=admin,
        reviewer=reviewer,
        reviewer_speaker=reviewer_speaker,
        other_reviewer=other_reviewer,
        speaker=speaker,
        co_speaker=co_speaker,
        outsider=outsider,
        track_a=track_a,
        track_b=track_b,
        subs=subs,
        own=own,
        profiles={"speaker": profile, "co": co_profile, "self": self_profile},
    )


def bulk_submissions(event: Event, count: int, *, speakers_each: int = 1) -> list[Submission]:
    """Create ``count`` submitted submissions with fresh speaker accounts, in one commit.

    Submission ``i`` gets ``speakers_each`` speakers; every third submission shares its first
    speaker with the previous one, so speakers with several submissions are covered too.
    """
    users = [
        User(email=f"bulk{uuid.uuid4().hex[:10]}@example.org", name=f"Bulk {i}")
        for i in range(count * speakers_each)
    ]
    db.session.add_all(users)
    db.session.flush()
    profiles = [SpeakerProfile(user_id=u.id, name=u.name) for u in users]
    db.session.add_all(profiles)
    submissions = [
        Submission(
            event_id=event.id,
            guid=str(uuid.uuid4()),
            title=f"Bulk submission {i:04d}",
            duration_minutes=30,
            state="submitted",
        )
        for i in range(count)
    ]
    db.session.add_all(submissions)
    db.session.flush()
    for i, submission in enumerate(submissions):
        chosen = profiles[i * speakers_each : (i + 1) * speakers_each]
        if i % 3 == 2:
            chosen = [profiles[(i - 1) * speakers_each], *chosen[1:]]
        for position, profile in enumerate(chosen):
            db.session.add(
                SubmissionSpeaker(
                    submission_id=submission.id,
                    speaker_id=profile.id,
                    position=position,
                    is_submitter=position == 0,
                )
            )
    db.session.commit()
    return submissions
