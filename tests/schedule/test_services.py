"""Placing, moving, unscheduling, blocks and publishing releases with their changelog."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from podium.exchange.schedule_data import ScheduleData
from podium.extensions import db
from podium.schedule import services
from podium.schedule.models import ScheduleRelease, Slot
from tests.schedule.builders import (
    local,
    make_event,
    make_rooms,
    make_speaker,
    make_submission,
    place,
)
from tests.support.factories import UserFactory


def test_place_session_uses_submission_duration(app: Flask) -> None:
    event = make_event()
    (room,) = make_rooms(event, 1)
    submission = make_submission(event, minutes=45, state="accepted")
    slot = services.place_session(
        event=event, submission=submission, room=room, start_at=local(event, "2030-02-02 10:00")
    )
    assert (slot.start_at, slot.end_at) == (
        dt.datetime(2030, 2, 2, 9, 0, tzinfo=dt.UTC),
        dt.datetime(2030, 2, 2, 9, 45, tzinfo=dt.UTC),
    )
    assert slot.room_id == room.id and slot.kind == "session"


@pytest.mark.parametrize("state", ["submitted", "rejected", "withdrawn", "canceled"])
def test_place_session_refuses_unaccepted_submission(app: Flask, state: str) -> None:
    event = make_event()
    (room,) = make_rooms(event, 1)
    submission = make_submission(event, state=state, title="Nope")
    with pytest.raises(services.ScheduleError) as error:
        services.place_session(
            event=event, submission=submission, room=room, start_at=local(event, "2030-02-02 10:00")
        )
    assert error.value.field == "submission_id"
    assert str(error.value) == (
        f"“Nope” is {state}; only accepted or confirmed submissions can be scheduled"
    )
    assert db.session.query(Slot).count() == 0


def test_place_session_refuses_second_slot_and_other_events_room(app: Flask) -> None:
    event, other = make_event(), make_event()
    (room,) = make_rooms(event, 1)
    (foreign_room,) = make_rooms(other, 1)
    slot = place(event, room, "2030-02-02 10:00", title="Talk")
    submission = slot.submission
    with pytest.raises(services.ScheduleError, match="already scheduled; move it instead"):
        services.place_session(
            event=event, submission=submission, room=room, start_at=slot.start_at
        )
    fresh = make_submission(event)
    with pytest.raises(services.ScheduleError, match="room belongs to another event"):
        services.place_session(
            event=event, submission=fresh, room=foreign_room, start_at=slot.start_at
        )


def test_move_slot_keeps_length_and_changes_room(app: Flask) -> None:
    event = make_event()
    room_a, room_b = make_rooms(event, 2)
    slot = place(event, room_a, "2030-02-02 10:00", minutes=50)
    services.move_slot(
        event=event, slot=slot, room=room_b, start_at=local(event, "2030-02-03 14:10")
    )
    assert (slot.room_id, slot.start_at, slot.end_at) == (
        room_b.id,
        dt.datetime(2030, 2, 3, 13, 10, tzinfo=dt.UTC),
        dt.datetime(2030, 2, 3, 14, 0, tzinfo=dt.UTC),
    )


def test_move_slot_session_needs_room(app: Flask) -> None:
    event = make_event()
    (room,) = make_rooms(event, 1)
    slot = place(event, room, "2030-02-02 10:00")
    with pytest.raises(services.ScheduleError, match="a session needs a room"):
        services.move_slot(event=event, slot=slot, room=None, start_at=slot.start_at)


def test_unschedule_slot_returns_submission_to_unscheduled(app: Flask) -> None:
    from podium.schedule.queries import unscheduled_submissions

    event = make_event()
    (room,) = make_rooms(event, 1)
    slot = place(event, room, "2030-02-02 10:00", title="Back")
    services.unschedule_slot(event=event, slot=slot)
    assert [s.title for s in unscheduled_submissions(event)] == ["Back"]
    assert db.session.query(Slot).count() == 0


def test_add_block_validates_and_stores_every_room_break(app: Flask) -> None:
    event = make_event()
    block = services.add_block(
        event=event,
        title=" Lunch ",
        kind="break",
        room=None,
        start_at=local(event, "2030-02-02 12:00"),
        duration_minutes=60,
    )
    assert (block.title, block.kind, block.room_id, block.submission_id) == (
        "Lunch",
        "break",
        None,
        None,
    )
    with pytest.raises(services.ScheduleError) as error:
        services.add_block(
            event=event,
            title="x",
            kind="break",
            room=None,
            start_at=block.start_at,
            duration_minutes=0,
        )
    assert error.value.field == "duration_minutes"
    with pytest.raises(services.ScheduleError) as error:
        services.add_block(
            event=event,
            title="  ",
            kind="other",
            room=None,
            start_at=block.start_at,
            duration_minutes=5,
        )
    assert error.value.field == "title"


def test_publish_release_numbers_versions_and_snapshots(app: Flask) -> None:
    event = make_event()
    (room,) = make_rooms(event, 1)
    organizer = UserFactory()
    ada = make_speaker("Ada")
    place(event, room, "2030-02-02 10:00", title="Kept", speakers=(ada,))
    place(event, room, "2030-02-02 11:00", title="Not yet", state="submitted")
    services.add_block(
        event=event,
        title="Lunch",
        kind="break",
        room=None,
        start_at=local(event, "2030-02-02 12:00"),
        duration_minutes=60,
    )
    first = services.publish_release(event=event, actor=organizer, comment=" First draft ")
    # Republishing without a change must be asked for (see the tests below).
    second = services.publish_release(event=event, actor=None, allow_unchanged=True)
    assert (first.version, second.version) == (1, 2)
    assert (first.comment, first.published_by_id, second.published_by_id) == (
        "First draft",
        organizer.id,
        None,
    )
    data = ScheduleData.from_dict(first.snapshot)
    assert [s.title for s in data.sessions] == ["Kept"]
    assert [p.name for p in data.sessions[0].persons] == ["Ada"]
    assert data.conference.time_zone == "Europe/Brussels"
    assert data.sessions[0].url == f"http://localhost/{event.slug}/sessions/{data.sessions[0].guid}"
    assert first.snapshot[services.BLOCKS_KEY] == [
        {
            "id": first.snapshot[services.BLOCKS_KEY][0]["id"],
            "kind": "break",
            "title": "Lunch",
            "start_utc": "2030-02-02T11:00:00Z",
            "duration_minutes": 60,
            "room": None,
        }
    ]
    assert [e["title"] for e in first.changelog["new"]] == ["Kept"]
    assert second.changelog == {
        "new": [],
        "moved": [],
        "room_changed": [],
        "changed": [],
        "canceled": [],
        "blocks": [],
    }


def test_publish_release_refuses_a_release_identical_to_the_previous(app: Flask) -> None:
    event = make_event()
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-02-02 10:00", title="Kept", speakers=(make_speaker("Ada"),))
    services.add_block(
        event=event,
        title="Lunch",
        kind="break",
        room=None,
        start_at=local(event, "2030-02-02 12:00"),
        duration_minutes=60,
    )
    assert services.unchanged_release(event) is None  # nothing published yet
    first = services.publish_release(event=event, actor=None, comment="First")
    db.session.expire_all()  # compare with the snapshot as the database gives it back

    assert services.unchanged_release(event) == first
    with pytest.raises(services.UnchangedScheduleError) as error:
        services.publish_release(event=event, actor=None, comment="Again")
    assert error.value.version == 1 and error.value.field == "allow_unchanged"
    assert str(error.value).startswith(
        "Nothing changed since release 1: publishing would create release 2 identical to it."
    )
    assert [(r.version, r.comment) for r in db.session.query(ScheduleRelease)] == [(1, "First")]

    again = services.publish_release(
        event=event, actor=None, comment="Fixed comment", allow_unchanged=True
    )
    assert again.version == 2 and again.comment == "Fixed comment"
    assert again.changelog == {
        "new": [],
        "moved": [],
        "room_changed": [],
        "changed": [],
        "canceled": [],
        "blocks": [],
    }
    assert services.unchanged_release(event) == again


def _edit_title(slot: Slot) -> None:
    slot.submission.title = "Kept, renamed"


def _edit_abstract(slot: Slot) -> None:
    slot.submission.abstract = "A better abstract."


def _edit_speaker_name(slot: Slot) -> None:
    slot.submission.speakers[0].speaker.name = "Ada Lovelace"


def _edit_block(slot: Slot) -> None:
    block = db.session.query(Slot).filter(Slot.submission_id.is_(None)).one()
    block.title = "Long lunch"


def _rename_room(slot: Slot) -> None:
    slot.room.name = "Main hall"


@pytest.mark.parametrize(
    "edit", [_edit_title, _edit_abstract, _edit_speaker_name, _edit_block, _rename_room]
)
def test_publish_release_counts_edited_texts_as_a_change(app: Flask, edit) -> None:  # type: ignore[no-untyped-def]
    event = make_event()
    (room,) = make_rooms(event, 1)
    slot = place(event, room, "2030-02-02 10:00", title="Kept", speakers=(make_speaker("Ada"),))
    services.add_block(
        event=event,
        title="Lunch",
        kind="break",
        room=None,
        start_at=local(event, "2030-02-02 12:00"),
        duration_minutes=60,
    )
    first = services.publish_release(event=event, actor=None)

    edit(slot)
    db.session.commit()

    assert services.unchanged_release(event) is None
    second = services.publish_release(event=event, actor=None)
    assert second.version == 2 and second.snapshot != first.snapshot
    assert services.unchanged_release(event) == second


def test_publish_release_changelog_new_moved_room_changed_canceled(app: Flask) -> None:
    event = make_event()
    room_a, room_b = make_rooms(event, 2)
    moved = place(event, room_a, "2030-02-02 10:00", title="Moved")
    rehoused = place(event, room_a, "2030-02-02 11:00", title="Rehoused")
    dropped = place(event, room_a, "2030-02-02 12:00", title="Dropped")
    place(event, room_a, "2030-02-02 13:00", title="Same")
    services.publish_release(event=event, actor=None)

    services.move_slot(
        event=event, slot=moved, room=room_a, start_at=local(event, "2030-02-02 15:00")
    )
    services.move_slot(event=event, slot=rehoused, room=room_b, start_at=rehoused.start_at)
    services.unschedule_slot(event=event, slot=dropped)
    place(event, room_b, "2030-02-02 10:00", title="Fresh")
    release = services.publish_release(event=event, actor=None)

    log = release.changelog
    assert [(e["title"], e["start"], e["room"]) for e in log["new"]] == [
        ("Fresh", "2030-02-02T09:00:00Z", "Room B")
    ]
    assert [(e["title"], e["from_start"], e["to_start"]) for e in log["moved"]] == [
        ("Moved", "2030-02-02T09:00:00Z", "2030-02-02T14:00:00Z")
    ]
    assert [(e["title"], e["from_room"], e["to_room"]) for e in log["room_changed"]] == [
        ("Rehoused", "Room A", "Room B")
    ]
    assert [e["title"] for e in log["canceled"]] == ["Dropped"]


def test_publish_release_canceled_submission_leaves_the_program(app: Flask) -> None:
    from podium.cfp.services import change_state

    event = make_event()
    (room,) = make_rooms(event, 1)
    slot = place(event, room, "2030-02-02 10:00", title="Gone")
    services.publish_release(event=event, actor=None)
    change_state(submission=slot.submission, to_state="canceled", actor=None)
    release = services.publish_release(event=event, actor=None)
    assert [e["title"] for e in release.changelog["canceled"]] == ["Gone"]
    assert ScheduleData.from_dict(release.snapshot).sessions == ()
    assert db.session.query(ScheduleRelease).count() == 2


def test_publish_release_changelog_lists_added_and_removed_blocks(app: Flask) -> None:
    event = make_event()
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-02-02 10:00", title="Kept", speakers=(make_speaker("Ada"),))

    def block(title: str, at: str, room_=None) -> Slot:  # type: ignore[no-untyped-def]
        return services.add_block(
            event=event,
            title=title,
            kind="break",
            room=room_,
            start_at=local(event, at),
            duration_minutes=20,
        )

    lunch = block("Lunch", "2030-02-02 12:00")
    first = services.publish_release(event=event, actor=None)
    # A first release lists every block as added, as it lists every session as new.
    assert first.changelog["blocks"] == [
        {"change": "added", "title": "Lunch", "start": "2030-02-02T11:00:00Z", "room": None}
    ]
    services.unschedule_slot(event=event, slot=lunch)
    block("Coffee", "2030-02-02 10:40", room)

    second = services.publish_release(event=event, actor=None)

    assert second.changelog["blocks"] == [
        {"change": "removed", "title": "Lunch", "start": "2030-02-02T11:00:00Z", "room": None},
        {"change": "added", "title": "Coffee", "start": "2030-02-02T09:40:00Z", "room": room.name},
    ]
    assert [
        second.changelog[k] for k in ("new", "moved", "room_changed", "changed", "canceled")
    ] == [[], [], [], [], []]
