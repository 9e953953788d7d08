"""A published program to star: two rooms, four sessions (two overlapping), one track."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from podium.events.models import Event
from podium.extensions import db
from podium.schedule import services
from podium.schedule.models import Slot
from tests.schedule.builders import make_event, make_rooms, make_speaker, place
from tests.support.factories import TrackFactory


@dataclass
class Program:
    """The event and its sessions' guids; ``slots`` by title, for changing them later."""

    event: Event
    keynote: str
    rust: str
    python: str
    late: str
    slots: dict[str, Slot]


def publish_program(slug: str = "demo") -> Program:
    """Release 1 of ``slug`` (Europe/Brussels, 2030-02-02): Keynote 09:00-10:00 (A),
    Rust 09:30-10:30 (B, track Rust), Python 11:00-11:30 (A), Late 23:30-00:30 (B)."""
    event = make_event(name="Demo Conf", slug=slug)
    room_a, room_b = make_rooms(event, 2)
    rust_track = TrackFactory(event=event, name="Rust")
    ada = make_speaker("Ada Lovelace")
    keynote = place(event, room_a, "2030-02-02 09:00", minutes=60, title="Keynote", speakers=(ada,))
    rust = place(event, room_b, "2030-02-02 09:30", minutes=60, title="Rust in space")
    rust.submission.track = rust_track
    python = place(event, room_a, "2030-02-02 11:00", title="Python at scale")
    late = place(event, room_b, "2030-02-02 23:30", minutes=60, title="Midnight hack")
    db.session.commit()
    services.publish_release(event=event, actor=None, comment="First")
    slots = {s.submission.title: s for s in (keynote, rust, python, late)}
    return Program(
        event=event,
        keynote=keynote.submission.guid,
        rust=rust.submission.guid,
        python=python.submission.guid,
        late=late.submission.guid,
        slots=slots,
    )


def move(slot: Slot, minutes: int) -> None:
    """Shift ``slot`` by ``minutes`` (not yet released)."""
    slot.start_at += dt.timedelta(minutes=minutes)
    slot.end_at += dt.timedelta(minutes=minutes)
    db.session.commit()


def cancel(slot: Slot) -> None:
    """Take ``slot`` off the schedule (not yet released)."""
    db.session.delete(slot)
    db.session.commit()


def release(program: Program, *, allow_unchanged: bool = False) -> None:
    """Publish the next release of ``program``'s event."""
    services.publish_release(
        event=program.event, actor=None, comment="Next", allow_unchanged=allow_unchanged
    )
