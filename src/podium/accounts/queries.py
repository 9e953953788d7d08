"""Read-only queries for account pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from podium.accounts.models import User
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event, EventMembership
from podium.extensions import db


@dataclass(frozen=True)
class TeamEvent:
    """An event ``user`` is on the team of, with the roles held (sorted)."""

    event: Event
    roles: tuple[str, ...]


def team_events(user: User) -> list[TeamEvent]:
    """Events where ``user`` has a team role, newest first (one query)."""
    rows = db.session.execute(
        select(Event, EventMembership.role)
        .join(EventMembership, EventMembership.event_id == Event.id)
        .where(EventMembership.user_id == user.id)
        .order_by(Event.start_date.desc(), Event.id, EventMembership.role)
    ).all()
    by_event: dict[int, tuple[Event, list[str]]] = {}
    for event, role in rows:
        by_event.setdefault(event.id, (event, []))[1].append(role)
    return [TeamEvent(event=e, roles=tuple(sorted(r))) for e, r in by_event.values()]


def own_submissions(user: User) -> list[tuple[Submission, Event]]:
    """Submissions where ``user``'s speaker profile is a speaker, newest first (one query)."""
    rows = db.session.execute(
        select(Submission, Event)
        .join(Event, Event.id == Submission.event_id)
        .join(SubmissionSpeaker, SubmissionSpeaker.submission_id == Submission.id)
        .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
        .where(SpeakerProfile.user_id == user.id)
        .order_by(Submission.created_at.desc(), Submission.id.desc())
    ).all()
    return [(submission, event) for submission, event in rows]
