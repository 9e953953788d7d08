"""Small builders for schedule and program tests: events with dated days, placed sessions."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event, Room
from podium.extensions import db
from podium.schedule.models import Slot
from tests.support.factories import (
    EventFactory,
    RoomFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
)


def make_event(
    *,
    start: str = "2030-02-02",
    end: str = "2030-02-03",
    time_zone: str = "Europe/Brussels",
    day_change_minutes: int = 0,
    **extra: object,
) -> Event:
    """A public event on local dates ``start``..``end`` in ``time_zone``."""
    return EventFactory(
        start_date=dt.date.fromisoformat(start),
        end_date=dt.date.fromisoformat(end),
        time_zone=time_zone,
        day_change_minutes=day_change_minutes,
        **extra,
    )


def local(event: Event, text: str) -> dt.datetime:
    """``"2030-02-02 10:00"`` as wall-clock time in the event's zone, returned as aware UTC."""
    naive = dt.datetime.fromisoformat(text)
    return naive.replace(tzinfo=ZoneInfo(event.time_zone)).astimezone(dt.UTC)


def make_speaker(name: str) -> SpeakerProfile:
    """A speaker profile without an account."""
    return SpeakerProfileFactory(name=name)


def make_submission(
    event: Event,
    *,
    title: str | None = None,
    minutes: int = 30,
    state: str = "confirmed",
    speakers: tuple[SpeakerProfile, ...] = (),
) -> Submission:
    """A submission in ``state`` with ``speakers`` (first one is the submitter)."""
    kwargs: dict[str, object] = {"event": event, "duration_minutes": minutes, "state": state}
    if title is not None:
        kwargs["title"] = title
    submission = SubmissionFactory(**kwargs)
    for position, speaker in enumerate(speakers):
        db.session.add(
            SubmissionSpeaker(
                submission=submission,
                speaker=speaker,
                position=position,
                is_submitter=position == 0,
            )
        )
    db.session.commit()
    return submission


def place(
    event: Event,
    room: Room | None,
    start_local: str,
    *,
    minutes: int = 30,
    title: str | None = None,
    state: str = "confirmed",
    speakers: tuple[SpeakerProfile, ...] = (),
) -> Slot:
    """A submission with a slot in ``room`` from local ``start_local`` for ``minutes``."""
    submission = make_submission(
        event, title=title, minutes=minutes, state=state, speakers=speakers
    )
    start = local(event, start_local)
    # Built directly: the shared SlotFactory passes an ``event`` that Slot has no relationship for.
    slot = Slot(
        event_id=event.id,
        submission_id=submission.id,
        room_id=room.id if room is not None else None,
        start_at=start,
        end_at=start + dt.timedelta(minutes=minutes),
    )
    db.session.add(slot)
    db.session.commit()
    return slot


def make_rooms(event: Event, count: int) -> list[Room]:
    """``count`` rooms named ``Room A``, ``Room B``... in grid order."""
    return [RoomFactory(event=event, name=f"Room {chr(65 + i)}", position=i) for i in range(count)]
