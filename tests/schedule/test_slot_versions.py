"""Slot versions: every change bumps them; a change on top of someone else's is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import update

from podium.extensions import db
from podium.schedule import services
from podium.schedule.models import Slot
from tests.schedule.builders import local, make_event, make_rooms, make_submission, place


def test_every_change_bumps_the_version(app: Flask) -> None:
    event = make_event()
    room_a, room_b = make_rooms(event, 2)
    slot = services.place_session(
        event=event,
        submission=make_submission(event, minutes=30),
        room=room_a,
        start_at=local(event, "2030-02-02 10:00"),
    )
    assert slot.version == 1
    services.move_slot(
        event=event, slot=slot, room=room_b, start_at=slot.start_at, expected_version=1
    )
    services.resize_slot(event=event, slot=slot, minutes=50, expected_version=2)
    assert (slot.version, slot.room_id, slot.end_at - slot.start_at) == (
        3,
        room_b.id,
        dt.timedelta(minutes=50),
    )


def test_a_stale_expected_version_is_refused_before_writing(app: Flask) -> None:
    event = make_event()
    (room,) = make_rooms(event, 1)
    slot = place(event, room, "2030-02-02 10:00")
    start = slot.start_at
    with pytest.raises(services.StaleSlotError) as raised:
        services.move_slot(
            event=event,
            slot=slot,
            room=room,
            start_at=start + dt.timedelta(hours=1),
            expected_version=7,
        )
    assert (raised.value.slot_id, raised.value.field) == (slot.id, "version")
    with pytest.raises(services.StaleSlotError):
        services.unschedule_slot(event=event, slot=slot, expected_version=0)
    db.session.rollback()
    assert db.session.get(Slot, slot.id).start_at == start


def test_a_concurrent_commit_between_read_and_write_is_refused(app: Flask) -> None:
    event = make_event()
    (room,) = make_rooms(event, 1)
    slot_id = place(event, room, "2030-02-02 10:00").id

    def loaded_then_changed_elsewhere() -> Slot:
        # Another request changes the row after this one loaded it (version 1 in memory).
        slot = db.session.get(Slot, slot_id)
        assert slot is not None and slot.version == 1
        db.session.execute(
            update(Slot).where(Slot.id == slot_id).values(version=2),
            execution_options={"synchronize_session": False},
        )
        return slot

    with pytest.raises(services.StaleSlotError):
        services.resize_slot(event=event, slot=loaded_then_changed_elsewhere(), minutes=45)
    with pytest.raises(services.StaleSlotError):
        services.unschedule_slot(event=event, slot=loaded_then_changed_elsewhere())
    kept = db.session.get(Slot, slot_id)
    assert kept is not None
    assert kept.end_at - kept.start_at == dt.timedelta(minutes=30)


@pytest.mark.parametrize("minutes", [4, 1441])
def test_resize_refuses_lengths_out_of_range(app: Flask, minutes: int) -> None:
    event = make_event()
    (room,) = make_rooms(event, 1)
    slot = place(event, room, "2030-02-02 10:00")
    with pytest.raises(services.ScheduleError) as raised:
        services.resize_slot(event=event, slot=slot, minutes=minutes)
    assert (str(raised.value), raised.value.field) == (
        "length must be between 5 and 1440 minutes",
        "minutes",
    )


def test_slot_step_accepts_only_the_four_steps(app: Flask) -> None:
    event = make_event()
    services.set_slot_step(event=event, minutes=10)
    assert event.slot_step_minutes == 10
    with pytest.raises(services.ScheduleError) as raised:
        services.set_slot_step(event=event, minutes=20)
    assert raised.value.field == "minutes"
    assert event.slot_step_minutes == 10
