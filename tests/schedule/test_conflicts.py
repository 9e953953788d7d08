"""Conflict detection on plain slot descriptions (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from podium.schedule.conflicts import (
    Conflict,
    SlotInfo,
    conflicts_affected_by,
    event_bounds,
    find_conflicts,
    replace_conflicts,
)
from podium.schedule.enums import ConflictKind

BOUNDS = (dt.datetime(2030, 2, 1, 23, tzinfo=dt.UTC), dt.datetime(2030, 2, 3, 23, tzinfo=dt.UTC))


def slot(
    id: int,
    start: str,
    minutes: int = 30,
    room: int | None = 1,
    state: str | None = "confirmed",
    speakers: tuple[tuple[int, str], ...] = (),
    title: str | None = None,
) -> SlotInfo:
    begin = dt.datetime.fromisoformat(start).replace(tzinfo=dt.UTC)
    return SlotInfo(
        id=id,
        title=title or f"S{id}",
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
    assert kinds(find_conflicts(slots, bounds=BOUNDS)) == [
        (ConflictKind.SPEAKER_OVERLAP, (1, 2)),
        (ConflictKind.ZERO_LENGTH, (1,)),
        (ConflictKind.ZERO_LENGTH, (2,)),
    ]


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


def block(id: int, start: str, minutes: int = 60, room: int | None = None) -> SlotInfo:
    """A break (no submission state); ``room`` None means every room."""
    return slot(id, start, minutes, room=room, state=None, title=f"B{id}")


def test_find_conflicts_session_inside_every_room_break() -> None:
    slots = [
        block(10, "2030-02-02T12:00"),  # lunch everywhere, 12:00-13:00
        slot(1, "2030-02-02T12:30", room=1),  # inside it
        slot(2, "2030-02-02T11:45", room=2),  # runs into it
        slot(3, "2030-02-02T13:00", room=3),  # starts as it ends: fine
        slot(4, "2030-02-02T11:30", room=4),  # ends as it starts: fine
    ]
    conflicts = find_conflicts(slots, bounds=BOUNDS)
    assert kinds(conflicts) == [(ConflictKind.IN_BLOCK, (1, 10)), (ConflictKind.IN_BLOCK, (2, 10))]
    assert sorted(c.message for c in conflicts) == [
        "“S1” is scheduled during “B10” (every room).",
        "“S2” is scheduled during “B10” (every room).",
    ]


def test_find_conflicts_block_in_own_room_only_covers_that_room() -> None:
    slots = [
        block(10, "2030-02-02T12:00", room=1),
        slot(1, "2030-02-02T12:00", room=1),
        slot(2, "2030-02-02T12:00", room=2),
    ]
    conflicts = find_conflicts(slots, bounds=BOUNDS)
    assert [(c.kind, c.slot_ids, c.message) for c in conflicts] == [
        (ConflictKind.IN_BLOCK, (1, 10), "“S1” is scheduled during “B10” (room R1).")
    ]


def test_find_conflicts_blocks_do_not_conflict_with_each_other_across_rooms() -> None:
    slots = [block(10, "2030-02-02T12:00"), block(11, "2030-02-02T12:15", room=1)]
    assert find_conflicts(slots, bounds=BOUNDS) == []


def test_find_conflicts_two_blocks_in_one_room_overlap() -> None:
    slots = [block(10, "2030-02-02T12:00", room=1), block(11, "2030-02-02T12:15", room=1)]
    assert kinds(find_conflicts(slots, bounds=BOUNDS)) == [(ConflictKind.ROOM_OVERLAP, (10, 11))]


def test_find_conflicts_zero_length_session() -> None:
    slots = [slot(1, "2030-02-02T09:00", minutes=0), block(10, "2030-02-02T08:00", minutes=0)]
    conflicts = find_conflicts(slots, bounds=BOUNDS)
    assert [(c.kind, c.slot_ids, c.message) for c in conflicts] == [
        (ConflictKind.ZERO_LENGTH, (1,), "“S1” has no length: it does not end after it starts.")
    ]


def test_find_conflicts_zero_length_session_at_break_start_is_in_it() -> None:
    slots = [block(10, "2030-02-02T12:00"), slot(1, "2030-02-02T12:00", minutes=0, room=3)]
    assert kinds(find_conflicts(slots, bounds=BOUNDS)) == [
        (ConflictKind.IN_BLOCK, (1, 10)),
        (ConflictKind.ZERO_LENGTH, (1,)),
    ]


def _random_schedule(rng: random.Random, count: int) -> list[SlotInfo]:
    """Sessions and blocks in 4 rooms over one day, with shared speakers and odd states."""
    people = [(n, f"P{n}") for n in range(1, 9)]
    slots = []
    for index in range(1, count + 1):
        start = f"2030-02-02T{rng.randrange(8, 20):02d}:{rng.choice((0, 15, 30, 45)):02d}"
        if rng.random() < 0.15:
            slots.append(
                block(index, start, rng.choice((15, 60)), room=rng.choice((None, 1, 2, 3, 4)))
            )
            continue
        chosen = tuple(sorted(rng.sample(people, rng.choice((0, 1, 1, 2)))))
        session = slot(
            index,
            start if rng.random() > 0.05 else "2030-02-04T10:00",
            rng.choice((0, 15, 30, 30, 60, 90)),
            room=rng.choice((1, 2, 3, 4)),
            state=rng.choice(("confirmed", "confirmed", "confirmed", "accepted")),
            speakers=chosen,
        )
        # Some sessions carry their speakers' availability (a morning, or no shared time).
        morning = (
            dt.datetime(2030, 2, 2, 8, tzinfo=dt.UTC),
            dt.datetime(2030, 2, 2, 13, tzinfo=dt.UTC),
        )
        availability = rng.choice((None, None, (), (morning,)))
        slots.append(dataclasses.replace(session, availability=availability))
    return slots


def _key(conflict: Conflict) -> tuple[str, tuple[int, ...], str]:
    return (conflict.kind.value, conflict.slot_ids, conflict.message)


@pytest.mark.parametrize("seed", range(40))
def test_conflicts_affected_by_equals_full_check_restricted(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  seeded test data, not security
    slots = _random_schedule(rng, rng.randrange(5, 60))
    changed = set(rng.sample([s.id for s in slots], rng.choice((1, 1, 2, 5))))
    changed.add(10_000)  # an unscheduled slot: no longer in the list, contributes nothing
    expected = [c for c in find_conflicts(slots, bounds=BOUNDS) if changed & set(c.slot_ids)]
    got = conflicts_affected_by(slots, changed, bounds=BOUNDS)
    assert sorted(map(_key, got)) == sorted(map(_key, expected))


@pytest.mark.parametrize("seed", range(20))
def test_replace_conflicts_after_a_move_equals_full_check(seed: int) -> None:
    rng = random.Random(1000 + seed)  # noqa: S311  seeded test data, not security
    slots = _random_schedule(rng, 40)
    before = find_conflicts(slots, bounds=BOUNDS)
    moved_index = rng.randrange(len(slots))
    old = slots[moved_index]
    shift = dt.timedelta(minutes=rng.choice((-90, -15, 15, 45, 120)))
    slots[moved_index] = SlotInfo(
        id=old.id,
        title=old.title,
        start=old.start + shift,
        end=old.end + shift,
        room_id=rng.choice((1, 2, 3, 4)) if old.is_session else old.room_id,
        room_name=old.room_name,
        state=old.state,
        speakers=old.speakers,
    )
    if old.is_session:
        slots[moved_index] = SlotInfo(
            **{**slots[moved_index].__dict__, "room_name": f"R{slots[moved_index].room_id}"}
        )
    fresh = conflicts_affected_by(slots, {old.id}, bounds=BOUNDS)
    after = replace_conflicts(before, {old.id}, fresh)
    assert sorted(map(_key, after)) == sorted(map(_key, find_conflicts(slots, bounds=BOUNDS)))


def test_conflicts_affected_by_reports_pair_once_when_both_changed() -> None:
    slots = [slot(1, "2030-02-02T09:00"), slot(2, "2030-02-02T09:15")]
    assert kinds(conflicts_affected_by(slots, {1, 2}, bounds=BOUNDS)) == [
        (ConflictKind.ROOM_OVERLAP, (1, 2))
    ]
