"""Read-only questions about submissions and speakers; every list runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from podium.accounts.models import User
from podium.cfp.models import (
    CoSpeakerInvitation,
    SpeakerProfile,
    Submission,
    SubmissionSpeaker,
    SubmissionStateChange,
)
from podium.events.models import Event
from podium.extensions import db


def _with_relations(query: Select) -> Select:
    return query.options(
        selectinload(Submission.speakers).selectinload(SubmissionSpeaker.speaker),
        selectinload(Submission.session_type),
        selectinload(Submission.track),
        selectinload(Submission.event),
    )


def _speaker_submission_ids(user: User) -> Select:
    return (
        select(SubmissionSpeaker.submission_id)
        .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
        .where(SpeakerProfile.user_id == user.id)
    )


def submissions_for_user(user: User, *, event: Event | None = None) -> list[Submission]:
    """Submissions ``user`` is a speaker of (all events, or only ``event``), newest first.

    Each has ``event``, ``session_type``, ``track`` and ``speakers[].speaker`` loaded, so a
    dashboard listing them runs a fixed number of queries (5) whatever their count.
    """
    query = select(Submission).where(Submission.id.in_(_speaker_submission_ids(user)))
    if event is not None:
        query = query.where(Submission.event_id == event.id)
    query = query.order_by(Submission.created_at.desc(), Submission.id.desc())
    return list(db.session.scalars(_with_relations(query)))


def speaker_submission(user: User, event: Event, submission_id: int) -> Submission | None:
    """``submission_id`` if it belongs to ``event`` and ``user`` is one of its speakers."""
    return db.session.scalar(
        _with_relations(
            select(Submission).where(
                Submission.id == submission_id,
                Submission.event_id == event.id,
                Submission.id.in_(_speaker_submission_ids(user)),
            )
        )
    )


def event_submission(event: Event, submission_id: int) -> Submission | None:
    """``submission_id`` if it belongs to ``event`` (for organizers), relations loaded."""
    return db.session.scalar(
        _with_relations(
            select(Submission).where(
                Submission.id == submission_id, Submission.event_id == event.id
            )
        )
    )


def profile_of(user: User) -> SpeakerProfile | None:
    """The speaker profile tied to ``user``'s account, or ``None``."""
    return db.session.scalar(select(SpeakerProfile).where(SpeakerProfile.user_id == user.id))


def pending_invitations(submission: Submission) -> list[CoSpeakerInvitation]:
    """Co-speaker invitations of ``submission`` neither accepted nor canceled yet (1 query)."""
    return list(
        db.session.scalars(
            select(CoSpeakerInvitation)
            .where(
                CoSpeakerInvitation.submission_id == submission.id,
                CoSpeakerInvitation.accepted_at.is_(None),
                CoSpeakerInvitation.canceled_at.is_(None),
            )
            .order_by(CoSpeakerInvitation.id)
        )
    )


def state_history(submission: Submission) -> list[SubmissionStateChange]:
    """The submission's state changes, oldest first (1 query)."""
    return list(
        db.session.scalars(
            select(SubmissionStateChange)
            .where(SubmissionStateChange.submission_id == submission.id)
            .order_by(SubmissionStateChange.created_at, SubmissionStateChange.id)
        )
    )


@dataclass(frozen=True)
class SubmissionFilter:
    """Organizer list filters; ``None``/``""`` means "any". ``speaker`` matches name or e-mail."""

    state: str | None = None
    track_id: int | None = None
    session_type_id: int | None = None
    speaker: str = ""


@dataclass
class SubmissionListing:
    """The organizer list: filtered submissions, counts per state (unfiltered), speaker e-mails.

    ``emails`` maps a speaker profile id to its account's e-mail (absent without account).
    """

    submissions: list[Submission]
    counts: dict[str, int]
    emails: dict[int, str] = field(default_factory=dict)


def organizer_listing(event: Event, filters: SubmissionFilter) -> SubmissionListing:
    """Everything the organizer submissions page and CSV need, in 7 queries at any size."""
    query = select(Submission).where(Submission.event_id == event.id)
    if filters.state:
        query = query.where(Submission.state == filters.state)
    if filters.track_id:
        query = query.where(Submission.track_id == filters.track_id)
    if filters.session_type_id:
        query = query.where(Submission.session_type_id == filters.session_type_id)
    if filters.speaker.strip():
        pattern = f"%{filters.speaker.strip().lower()}%"
        matching = (
            select(SubmissionSpeaker.submission_id)
            .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
            .outerjoin(User, User.id == SpeakerProfile.user_id)
            .where(
                func.lower(SpeakerProfile.name).like(pattern)
                | func.lower(func.coalesce(User.email, "")).like(pattern)
            )
        )
        query = query.where(Submission.id.in_(matching))
    query = query.order_by(Submission.id)
    submissions = list(db.session.scalars(_with_relations(query)))
    counts = dict(
        db.session.execute(
            select(Submission.state, func.count(Submission.id))
            .where(Submission.event_id == event.id)
            .group_by(Submission.state)
        ).all()
    )
    user_ids = {
        link.speaker.user_id
        for submission in submissions
        for link in submission.speakers
        if link.speaker.user_id is not None
    }
    # Always one query, even for an empty page, so the count does not depend on the data.
    by_user = dict(
        db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids))).all()
    )
    emails = {
        link.speaker.id: by_user[link.speaker.user_id]
        for submission in submissions
        for link in submission.speakers
        if link.speaker.user_id in by_user
    }
    return SubmissionListing(submissions=submissions, counts=counts, emails=emails)
