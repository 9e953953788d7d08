"""The "outside availability" rule over plain SlotInfo values."""

from __future__ import annotations

import datetime as dt

from podium.schedule.conflicts import Conflict, SlotInfo, find_conflicts, outside_availability
from podium.schedule.enums import ConflictKind


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


MORNING = ((utc("2030-02-02 08:00"), utc("2030-02-02 11:00")),)


def session(slot_id: int, start: str, end: str, availability, state: str = "confirmed") -> SlotInfo:  # type: ignore[no-untyped-def]
    return SlotInfo(
        id=slot_id,
        title=f"Talk {slot_id}",
        start=utc(start),
        end=utc(end),
        room_id=1,
        state=state,
        availability=availability,
    )


def test_session_inside_availability_is_fine() -> None:
    assert outside_availability([session(1, "2030-02-02 08:00", "2030-02-02 11:00", MORNING)]) == []


def test_session_without_given_availability_is_never_reported() -> None:
    assert outside_availability([session(1, "2030-02-02 20:00", "2030-02-02 21:00", None)]) == []


def test_session_partly_outside_is_reported() -> None:
    slot = session(1, "2030-02-02 10:30", "2030-02-02 11:30", MORNING)
    assert outside_availability([slot]) == [
        Conflict(
            ConflictKind.OUTSIDE_AVAILABILITY,
            "“Talk 1” is outside its speakers' availability.",
            (1,),
        )
    ]


def test_speakers_without_common_time_always_conflict() -> None:
    slot = session(1, "2030-02-02 08:00", "2030-02-02 09:00", ())
    assert [c.slot_ids for c in outside_availability([slot])] == [(1,)]


def test_session_spanning_two_touching_ranges_is_not_split() -> None:
    # Stored ranges are merged, so two rows 08:00-09:00 and 09:00-10:00 arrive as one.
    merged = ((utc("2030-02-02 08:00"), utc("2030-02-02 10:00")),)
    assert outside_availability([session(1, "2030-02-02 08:30", "2030-02-02 09:30", merged)]) == []


def test_breaks_are_not_checked() -> None:
    block = SlotInfo(
        id=2,
        title="Lunch",
        start=utc("2030-02-02 12:00"),
        end=utc("2030-02-02 13:00"),
        room_id=1,
        availability=(),
    )
    assert outside_availability([block]) == []


def test_find_conflicts_includes_the_rule() -> None:
    slot = session(1, "2030-02-02 12:00", "2030-02-02 13:00", MORNING)
    bounds = (utc("2030-02-01 23:00"), utc("2030-02-03 23:00"))
    assert [c.kind for c in find_conflicts([slot], bounds=bounds)] == [
        ConflictKind.OUTSIDE_AVAILABILITY
    ]
