"""Read-only queries of the schedule editor; each runs a fixed number of SQL statements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import defer

from podium.availability import queries as availability_queries
from podium.availability.ranges import range_label as availability_range_label
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event, Room, Track
from podium.extensions import db
from podium.schedule.conflicts import (
    Conflict,
    SlotInfo,
    conflicts_affected_by,
    event_bounds,
    find_conflicts,
)
from podium.schedule.enums import PUBLISHABLE_STATES
from podium.schedule.models import ScheduleRelease, Slot


def event_or_404(slug: str) -> Event:
    """The event with this slug, or abort 404."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404, description=_("There is no event %(slug)s.", slug=repr(slug)))
    return event


def slot_or_404(event: Event, slot_id: int) -> Slot:
    """The slot ``slot_id`` of ``event`` (404 for another event's slot)."""
    slot = db.session.get(Slot, slot_id)
    if slot is None or slot.event_id != event.id:
        abort(404, description=_("There is no such slot in this event."))
    return slot


@dataclass(frozen=True)
class EditorRow:
    """One slot as the editor lists it; times are aware UTC, ``kind`` a SlotKind value."""

    info: SlotInfo
    kind: str
    submission_id: int | None
    duration_minutes: int
    version: int = 1
    track_color: str | None = None

    @property
    def speaker_names(self) -> str:
        """Comma-separated speaker names."""
        return ", ".join(name for _, name in self.info.speakers)


def load_rows(
    event: Event,
    *,
    window: tuple[dt.datetime, dt.datetime] | None = None,
    slot_ids: list[int] | None = None,
) -> list[EditorRow]:
    """Every slot of ``event`` with its room, submission state, speakers and their
    availability (three queries).

    ``window`` (aware UTC ``(start, end)``) keeps only slots touching it, ends included, so
    that a slot starting exactly at ``end`` (a same-start clash) is still loaded;
    ``slot_ids`` keeps only those slots.
    """
    where = [Slot.event_id == event.id]
    if window is not None:
        where += [Slot.start_at <= window[1], Slot.end_at >= window[0]]
    if slot_ids is not None:
        where.append(Slot.id.in_(slot_ids))
    result = db.session.execute(
        select(
            Slot.id,
            Slot.kind,
            Slot.title,
            Slot.start_at,
            Slot.end_at,
            Slot.room_id,
            Slot.submission_id,
            Slot.version,
            Room.name.label("room_name"),
            Submission.title.label("submission_title"),
            Submission.state,
            Track.color.label("track_color"),
        )
        .outerjoin(Room, Room.id == Slot.room_id)
        .outerjoin(Submission, Submission.id == Slot.submission_id)
        .outerjoin(Track, Track.id == Submission.track_id)
        .where(*where)
        .order_by(Slot.start_at, Room.position, Slot.id)
    ).all()
    speakers: dict[int, list[tuple[int, str]]] = {}
    for submission_id, speaker_id, name in db.session.execute(
        select(SubmissionSpeaker.submission_id, SpeakerProfile.id, SpeakerProfile.name)
        .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
        .join(Slot, Slot.submission_id == SubmissionSpeaker.submission_id)
        .where(*where)
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
        rows.append(EditorRow(info, r.kind, r.submission_id, minutes, r.version, r.track_color))
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


def conflicts_involving(event: Event, slot_ids: list[int]) -> list[Conflict]:
    """The conflicts of ``event`` that involve any of ``slot_ids`` (after a change to them).

    Only slots overlapping the changed slots' times are loaded (room and speaker clashes need
    nothing else), so the cost follows the neighbourhood, not the event's size: four queries.
    Only pairs involving a changed slot are compared
    (:func:`podium.schedule.conflicts.conflicts_affected_by`). Ids of removed slots simply
    have no conflicts.
    """
    if not slot_ids:
        return []
    spans = db.session.execute(
        select(Slot.start_at, Slot.end_at).where(Slot.event_id == event.id, Slot.id.in_(slot_ids))
    ).all()
    if not spans:
        return []
    window = (min(s.start_at for s in spans), max(s.end_at for s in spans))
    rows = load_rows(event, window=window)
    bounds = event_bounds(
        event.start_date, event.end_date, event.time_zone, event.day_change_minutes or 0
    )
    return conflicts_affected_by([row.info for row in rows], set(slot_ids), bounds=bounds)


def availability_notes(event: Event) -> dict[int, str]:
    """The visual editor's side list: submission id -> "Can present: …" in the event's zone.

    Built from :func:`availability_by_submission` (one query); submissions whose speakers
    gave no availability are absent.
    """
    label = availability_range_label
    return {
        submission_id: _(
            "Can present: %(ranges)s",
            ranges="; ".join(label(r, event.time_zone) for r in ranges)
            or _("no time all speakers share"),
        )
        for submission_id, ranges in availability_by_submission(event).items()
    }


def unscheduled_submissions(
    event: Event,
    *,
    track_id: int | None = None,
    session_type_id: int | None = None,
    text: str = "",
) -> list[Submission]:
    """Accepted or confirmed submissions of ``event`` without a slot, by title (one query).

    Optional filters: a track, a session type, and ``text`` found (case-insensitively) in
    the title.
    """
    scheduled = select(Slot.submission_id).where(
        Slot.event_id == event.id, Slot.submission_id.is_not(None)
    )
    where = [
        Submission.event_id == event.id,
        Submission.state.in_(PUBLISHABLE_STATES),
        Submission.id.not_in(scheduled),
    ]
    if track_id:
        where.append(Submission.track_id == track_id)
    if session_type_id:
        where.append(Submission.session_type_id == session_type_id)
    if text.strip():
        where.append(Submission.title.ilike(f"%{_like_escape(text.strip())}%", escape="\\"))
    return list(
        db.session.scalars(
            select(Submission).where(*where).order_by(Submission.title, Submission.id)
        )
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
