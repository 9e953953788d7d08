"""Reads behind the token API: what an event's organizers see, in a fixed number of queries.

Every function takes an event id and returns plain dicts ready for JSON (instants as ISO 8601
UTC with ``+00:00``), so the views only assemble them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from podium.accounts.models import User
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event, Room, SessionType, Track
from podium.extensions import db
from podium.review import queries as review_queries
from podium.schedule.models import Slot


def event_by_slug(slug: str) -> Event | None:
    """Any event (public or not) by its slug: tokens also serve events not yet public."""
    return db.session.scalar(select(Event).where(Event.slug == slug))


def iso(instant: dt.datetime | None) -> str | None:
    """``instant`` (aware UTC) as ISO 8601 with ``+00:00``, whole seconds; None stays None."""
    if instant is None:
        return None
    return instant.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def slot_dict(slot: Slot, guid: str | None = None) -> dict[str, Any]:
    """One working-schedule slot: ids, kind, title, room id, UTC start/end, whole minutes, and
    its ``version`` (send it back with a change so a stale one is refused with 409)."""
    return {
        "id": slot.id,
        "kind": slot.kind,
        "submission_id": slot.submission_id,
        "guid": guid,
        "title": slot.title or None,
        "room_id": slot.room_id,
        "start": iso(slot.start_at),
        "end": iso(slot.end_at),
        "duration_minutes": int((slot.end_at - slot.start_at).total_seconds() // 60),
        "version": slot.version,
    }


def working_schedule(event_id: int) -> dict[str, Any]:
    """The event's rooms (by position) and every slot of its working schedule (by start).

    Two queries whatever the number of slots. Returns ``{"rooms": [...], "slots": [...]}``.
    """
    rooms = db.session.execute(
        select(Room.id, Room.name).where(Room.event_id == event_id).order_by(Room.position, Room.id)
    ).all()
    rows = db.session.execute(
        select(Slot, Submission.guid, Submission.title)
        .outerjoin(Submission, Submission.id == Slot.submission_id)
        .where(Slot.event_id == event_id)
        .order_by(Slot.start_at, Slot.id)
    ).all()
    slots = []
    for slot, guid, title in rows:
        item = slot_dict(slot, guid)
        if title is not None:
            item["title"] = title
        slots.append(item)
    return {"rooms": [{"id": r.id, "name": r.name} for r in rooms], "slots": slots}


def submissions(event_id: int, state: str | None = None) -> list[dict[str, Any]]:
    """Every submission of the event (optionally in one ``state``), by id, with its speakers'
    names and e-mail addresses, its reviews' count and mean score, and its slot if any.

    Seven queries whatever the number of submissions, speakers and reviews.
    """
    query = (
        select(Submission, Track.name, SessionType.name)
        .outerjoin(Track, Track.id == Submission.track_id)
        .outerjoin(SessionType, SessionType.id == Submission.session_type_id)
        .where(Submission.event_id == event_id)
        .order_by(Submission.id)
    )
    if state is not None:
        query = query.where(Submission.state == state)
    rows = db.session.execute(query).all()
    speakers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for submission_id, name, email in db.session.execute(
        select(SubmissionSpeaker.submission_id, SpeakerProfile.name, User.email)
        .join(Submission, Submission.id == SubmissionSpeaker.submission_id)
        .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
        .outerjoin(User, User.id == SpeakerProfile.user_id)
        .where(Submission.event_id == event_id)
        .order_by(SubmissionSpeaker.submission_id, SubmissionSpeaker.position, SubmissionSpeaker.id)
    ):
        speakers[submission_id].append({"name": name, "email": email})
    scores = review_queries.review_totals(db.session.get(Event, event_id))
    slots = {
        slot.submission_id: slot
        for slot in db.session.scalars(
            select(Slot).where(Slot.event_id == event_id, Slot.submission_id.is_not(None))
        )
    }
    result = []
    for submission, track, session_type in rows:
        count, mean = scores.get(submission.id, (0, None))
        slot = slots.get(submission.id)
        result.append(
            {
                "id": submission.id,
                "guid": submission.guid,
                "title": submission.title,
                "state": submission.state,
                "track": track,
                "session_type": session_type,
                "duration_minutes": submission.duration_minutes,
                "submitted_at": iso(submission.submitted_at),
                "speakers": speakers.get(submission.id, []),
                "reviews": {
                    "count": count,
                    "mean_score": round(float(mean), 2) if mean is not None else None,
                },
                "slot": slot_dict(slot, submission.guid) if slot is not None else None,
            }
        )
    return result
