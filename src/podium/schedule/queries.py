"""Read-only queries of the schedule editor; each runs a fixed number of SQL statements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import defer

from podium.availability import queries as availability_queries
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event, Room
from podium.extensions import db
from podium.schedule.conflicts import Conflict, SlotInfo, event_bounds, find_conflicts
from podium.schedule.enums import PUBLISHABLE_STATES
from podium.schedule.models import ScheduleRelease, Slot


def event_or_404(slug: str) -> Event:
    """The event with this slug, or abort 404."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404, description=f"There is no event {slug!r}.")
    return event


def slot_or_404(event: Event, slot_id: int) -> Slot:
    """The slot ``slot_id`` of ``event`` (404 for another event's slot)."""
    slot = db.session.get(Slot, slot_id)
    if slot is None or slot.event_id != event.id:
        abort(404, description="There is no such slot in this event.")
    return slot


@dataclass(frozen=True)
class EditorRow:
    """One slot as the editor lists it; times are aware UTC, ``kind`` a SlotKind value."""

    info: SlotInfo
    kind: str
    submission_id: int | None
    duration_minutes: int

    @property
    def speaker_names(self) -> str:
        """Comma-separated speaker names."""
        return ", ".join(name for _, name in self.info.speakers)


def load_rows(event: Event) -> list[EditorRow]:
    """Every slot of ``event`` with its room, submission state, speakers and their
    availability (three queries)."""
    result = db.session.execute(
        select(
            Slot.id,
            Slot.kind,
            Slot.title,
            Slot.start_at,
            Slot.end_at,
            Slot.room_id,
            Slot.submission_id,
            Room.name.label("room_name"),
            Submission.title.label("submission_title"),
            Submission.state,
        )
        .outerjoin(Room, Room.id == Slot.room_id)
        .outerjoin(Submission, Submission.id == Slot.submission_id)
        .where(Slot.event_id == event.id)
        .order_by(Slot.start_at, Room.position, Slot.id)
    ).all()
    speakers: dict[int, list[tuple[int, str]]] = {}
    for submission_id, speaker_id, name in db.session.execute(
        select(SubmissionSpeaker.submission_id, SpeakerProfile.id, SpeakerProfile.name)
        .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
        .join(Slot, Slot.submission_id == SubmissionSpeaker.submission_id)
        .where(Slot.event_id == event.id)
        .order_by(SubmissionSpeaker.submission_id, SubmissionSpeaker.position)
    ):
        speakers.setdefault(submission_id, []).append((speaker_id, name))
    availability = availability_by_submission(event)
    rows = []
    for r in result:
        info = SlotInfo(
            id=r.id,
            title=r.submission_title if r.submission_id else r.title,
            start=r.start_at,
            end=r.end_at,
            room_id=r.room_id,
            room_name=r.room_name or "",
            state=r.state if r.submission_id else None,
            speakers=tuple(speakers.get(r.submission_id, ())),
            availability=_availability_of(availability, r.submission_id),
        )
        minutes = int((r.end_at - r.start_at).total_seconds() // 60)
        rows.append(EditorRow(info, r.kind, r.submission_id, minutes))
    return rows


def availability_by_submission(event: Event) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """Submission id → merged UTC ranges when all its speakers who gave availability can
    present (one query); absent when none gave any. See
    :func:`podium.availability.queries.availability_by_submission`."""
    return availability_queries.availability_by_submission(event)


def _availability_of(
    availability: dict[int, list[tuple[dt.datetime, dt.datetime]]], submission_id: int | None
) -> tuple[tuple[dt.datetime, dt.datetime], ...] | None:
    if submission_id is None or submission_id not in availability:
        return None
    return tuple(availability[submission_id])


def event_conflicts(event: Event, rows: list[EditorRow] | None = None) -> list[Conflict]:
    """Every conflict in ``event``'s working schedule (see ``conflicts.find_conflicts``)."""
    rows = load_rows(event) if rows is None else rows
    bounds = event_bounds(
        event.start_date, event.end_date, event.time_zone, event.day_change_minutes or 0
    )
    return find_conflicts([row.info for row in rows], bounds=bounds)


def unscheduled_submissions(event: Event) -> list[Submission]:
    """Accepted or confirmed submissions of ``event`` without a slot, by title (one query)."""
    scheduled = select(Slot.submission_id).where(
        Slot.event_id == event.id, Slot.submission_id.is_not(None)
    )
    return list(
        db.session.scalars(
            select(Submission)
            .where(
                Submission.event_id == event.id,
                Submission.state.in_(PUBLISHABLE_STATES),
                Submission.id.not_in(scheduled),
            )
            .order_by(Submission.title, Submission.id)
        )
    )


def rooms_of(event: Event) -> list[Room]:
    """The event's rooms in grid order (one query)."""
    return list(
        db.session.scalars(
            select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)
        )
    )


def releases_of(event: Event) -> list[ScheduleRelease]:
    """The event's releases, newest first, without loading their snapshots (one query)."""
    return list(
        db.session.scalars(
            select(ScheduleRelease)
            .where(ScheduleRelease.event_id == event.id)
            .options(defer(ScheduleRelease.snapshot))
            .order_by(ScheduleRelease.version.desc())
        )
    )


def conference_days(event: Event) -> list[dt.date]:
    """The event's local calendar days, first to last."""
    count = (event.end_date - event.start_date).days + 1
    return [event.start_date + dt.timedelta(days=i) for i in range(max(count, 1))]


def day_of(event: Event, instant: dt.datetime) -> dt.date:
    """The conference day (local date) ``instant`` belongs to, honouring the day change."""
    local = instant.astimezone(ZoneInfo(event.time_zone))
    minutes = local.hour * 60 + local.minute
    if minutes < (event.day_change_minutes or 0):
        return local.date() - dt.timedelta(days=1)
    return local.date()


def to_event_zone(instant: dt.datetime, event: Event) -> dt.datetime:
    """Naive wall-clock time of aware ``instant`` in the event's zone (for forms and lists)."""
    return to_event_zone_name(instant, event.time_zone)


def to_event_zone_name(instant: dt.datetime, time_zone: str) -> dt.datetime:
    """Naive wall-clock time of aware ``instant`` in IANA ``time_zone``."""
    return instant.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)
