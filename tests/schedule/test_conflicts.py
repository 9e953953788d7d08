"""Conflict detection on plain slot descriptions (no database)."""

from __future__ import annotations

import datetime as dt

from podium.schedule.conflicts import SlotInfo, event_bounds, find_conflicts
from podium.schedule.enums import ConflictKind

BOUNDS = (dt.datetime(2030, 2, 1, 23, tzinfo=dt.UTC), dt.datetime(2030, 2, 3, 23, tzinfo=dt.UTC))


def slot(
    id: int,
    start: str,
    minutes: int = 30,
    room: int | None = 1,
    state: str | None = "confirmed",
    speakers: tuple[tuple[int, str], ...] = (),
) -> SlotInfo:
    begin = dt.datetime.fromisoformat(start).replace(tzinfo=dt.UTC)
    return SlotInfo(
        id=id,
        title=f"S{id}",
        start=begin,
        end=begin + dt.timedelta(minutes=minutes),
        room_id=room,
        room_name=f"R{room}",
        state=state,
        speakers=speakers,
    )


def kinds(conflicts: list) -> list[tuple[ConflictKind, tuple[int, ...]]]:
    return sorted((c.kind, c.slot_ids) for c in conflicts)


def test_find_conflicts_room_overlap_reported_once_per_pair() -> None:
    slots = [slot(1, "2030-02-02T09:00"), slot(2, "2030-02-02T09:15"), slot(3, "2030-02-02T09:30")]
    assert kinds(find_conflicts(slots, bounds=BOUNDS)) == [
        (ConflictKind.ROOM_OVERLAP, (1, 2)),
        (ConflictKind.ROOM_OVERLAP, (2, 3)),
    ]


def test_find_conflicts_back_to_back_sessions_are_fine() -> None:
    slots = [slot(1, "2030-02-02T09:00"), slot(2, "2030-02-02T09:30", room=1)]
    assert find_conflicts(slots, bounds=BOUNDS) == []


def test_find_conflicts_same_start_in_other_rooms_with_one_speaker() -> None:
    alice = ((7, "Alice"),)
    slots = [
        slot(1, "2030-02-02T09:00", room=1, speakers=alice),
        slot(2, "2030-02-02T09:00", room=2, speakers=alice),
    ]
    conflicts = find_conflicts(slots, bounds=BOUNDS)
    assert kinds(conflicts) == [(ConflictKind.SPEAKER_OVERLAP, (1, 2))]
    assert conflicts[0].message == "Alice speaks in “S1” and “S2” at overlapping times."


def test_find_conflicts_zero_length_sessions_at_same_start_collide() -> None:
    bob = ((8, "Bob"),)
    slots = [
        slot(1, "2030-02-02T09:00", minutes=0, room=1, speakers=bob),
        slot(2, "2030-02-02T09:00", minutes=0, room=2, speakers=bob),
    ]
    assert kinds(find_conflicts(slots, bounds=BOUNDS)) == [(ConflictKind.SPEAKER_OVERLAP, (1, 2))]


def test_find_conflicts_speaker_partial_overlap_and_long_session() -> None:
    carol = ((9, "Carol"),)
    slots = [
        slot(1, "2030-02-02T09:00", minutes=180, room=1, speakers=carol),
        slot(2, "2030-02-02T10:00", room=2, speakers=carol),
        slot(3, "2030-02-02T11:45", room=3, speakers=carol),
        slot(4, "2030-02-02T12:00", room=4, speakers=carol),
    ]
    assert kinds(find_conflicts(slots, bounds=BOUNDS)) == [
        (ConflictKind.SPEAKER_OVERLAP, (1, 2)),
        (ConflictKind.SPEAKER_OVERLAP, (1, 3)),
        (ConflictKind.SPEAKER_OVERLAP, (3, 4)),  # 11:45-12:15 against 12:00; 1 ends at 12:00
    ]


def test_find_conflicts_outside_event_days_and_not_confirmed() -> None:
    slots = [
        slot(1, "2030-02-01T22:45", room=1),  # ends 23:15, begins before the first day
        slot(2, "2030-02-03T22:45", room=2),  # ends after the last day
        slot(3, "2030-02-02T10:00", room=3, state="accepted"),
        slot(4, "2030-02-02T10:00", room=4, state=None),  # a break is never "not confirmed"
    ]
    assert kinds(find_conflicts(slots, bounds=BOUNDS)) == [
        (ConflictKind.NOT_CONFIRMED, (3,)),
        (ConflictKind.OUTSIDE_EVENT, (1,)),
        (ConflictKind.OUTSIDE_EVENT, (2,)),
    ]


def test_event_bounds_follow_day_change_and_dst() -> None:
    # Days run 10:00 to 03:00; the last day (27 Oct 2030) ends the next morning at 04:00,
    # after clocks went back, so the UTC end is 03:00 on 28 Oct.
    first, after = event_bounds(
        dt.date(2030, 10, 26), dt.date(2030, 10, 27), "Europe/Brussels", 4 * 60
    )
    assert first == dt.datetime(2030, 10, 26, 2, 0, tzinfo=dt.UTC)
    assert after == dt.datetime(2030, 10, 28, 3, 0, tzinfo=dt.UTC)
