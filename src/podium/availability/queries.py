"""Read-only availability queries; each runs one SQL statement whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from sqlalchemy import select

from podium.availability.models import SpeakerAvailability
from podium.availability.ranges import Range, intersect
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event
from podium.extensions import db
from podium.schedule.models import ScheduleRelease


def ranges_of(event: Event, speaker_id: int) -> list[Range]:
    """One speaker's merged ranges at ``event`` (aware UTC), earliest first (one query)."""
    rows = db.session.execute(
        select(SpeakerAvailability.start_at, SpeakerAvailability.end_at)
        .where(SpeakerAvailability.event_id == event.id)
        .where(SpeakerAvailability.speaker_id == speaker_id)
        .order_by(SpeakerAvailability.start_at)
    )
    return [(start, end) for start, end in rows]


def availability_by_speaker(event: Event) -> dict[int, list[Range]]:
    """Speaker profile id → merged ranges (aware UTC) for everyone who gave some (one query)."""
    result: dict[int, list[Range]] = defaultdict(list)
    for speaker_id, start, end in db.session.execute(
        select(
            SpeakerAvailability.speaker_id, SpeakerAvailability.start_at, SpeakerAvailability.end_at
        )
        .where(SpeakerAvailability.event_id == event.id)
        .order_by(SpeakerAvailability.speaker_id, SpeakerAvailability.start_at)
    ):
        result[speaker_id].append((start, end))
    return dict(result)


def availability_by_submission(event: Event) -> dict[int, list[Range]]:
    """Submission id → when all its speakers who gave availability can present (one query).

    The value is the intersection of those speakers' ranges (aware UTC, merged, earliest
    first); an empty list means they gave availability but share no time. Speakers who gave
    none do not narrow it, and a submission none of whose speakers gave any is absent: "not
    given", which constrains nothing (the editor shows no conflict for it).
    """
    per_speaker: dict[int, dict[int, list[Range]]] = defaultdict(lambda: defaultdict(list))
    for submission_id, speaker_id, start, end in db.session.execute(
        select(
            SubmissionSpeaker.submission_id,
            SpeakerAvailability.speaker_id,
            SpeakerAvailability.start_at,
            SpeakerAvailability.end_at,
        )
        .join(SpeakerAvailability, SpeakerAvailability.speaker_id == SubmissionSpeaker.speaker_id)
        .join(Submission, Submission.id == SubmissionSpeaker.submission_id)
        .where(Submission.event_id == event.id, SpeakerAvailability.event_id == event.id)
        .order_by(SubmissionSpeaker.submission_id, SpeakerAvailability.start_at)
    ):
        per_speaker[submission_id][speaker_id].append((start, end))
    result: dict[int, list[Range]] = {}
    for submission_id, speakers in per_speaker.items():
        common: list[Range] | None = None
        for ranges in speakers.values():
            common = ranges if common is None else intersect(common, ranges)
        result[submission_id] = common or []
    return result


def schedule_published(event: Event) -> bool:
    """True once ``event`` has a published schedule release (one query)."""
    return (
        db.session.scalar(
            select(ScheduleRelease.id).where(ScheduleRelease.event_id == event.id).limit(1)
        )
        is not None
    )


def speaker_in_event(user_id: int, event: Event) -> SpeakerProfile | None:
    """The user's speaker profile if it is a speaker of a submission of ``event`` (one query)."""
    return db.session.scalar(
        select(SpeakerProfile)
        .join(SubmissionSpeaker, SubmissionSpeaker.speaker_id == SpeakerProfile.id)
        .join(Submission, Submission.id == SubmissionSpeaker.submission_id)
        .where(SpeakerProfile.user_id == user_id, Submission.event_id == event.id)
        .limit(1)
    )


def event_speaker(event: Event, speaker_id: int) -> SpeakerProfile | None:
    """Speaker profile ``speaker_id`` if it speaks in a submission of ``event`` (one query)."""
    return db.session.scalar(
        select(SpeakerProfile)
        .join(SubmissionSpeaker, SubmissionSpeaker.speaker_id == SpeakerProfile.id)
        .join(Submission, Submission.id == SubmissionSpeaker.submission_id)
        .where(SpeakerProfile.id == speaker_id, Submission.event_id == event.id)
        .limit(1)
    )


def speakers_of(event: Event) -> list[tuple[int, str]]:
    """``(speaker profile id, name)`` of every speaker of a non-draft submission, by name."""
    rows = db.session.execute(
        select(SpeakerProfile.id, SpeakerProfile.name)
        .join(SubmissionSpeaker, SubmissionSpeaker.speaker_id == SpeakerProfile.id)
        .join(Submission, Submission.id == SubmissionSpeaker.submission_id)
        .where(Submission.event_id == event.id, Submission.state != "draft")
        .distinct()
        .order_by(SpeakerProfile.name, SpeakerProfile.id)
    )
    return [(speaker_id, name) for speaker_id, name in rows]


def to_zone(instant: dt.datetime, time_zone: str) -> dt.datetime:
    """Naive wall-clock time of aware ``instant`` in IANA ``time_zone``."""
    return instant.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)
