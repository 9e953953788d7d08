"""Laying out days and labelling times: midnight, late days, DST, visitor zones (no database)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from podium.exchange.schedule_data import (
    Conference,
    PersonData,
    RoomData,
    ScheduleData,
    SessionData,
)
from podium.program.cache import BoundedCache
from podium.program.timeline import (
    DASH,
    ProgramData,
    day_grid,
    local_range,
    local_when,
    speaker_ref,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
UTC = ZoneInfo("UTC")


def rng(*args: object) -> str:
    """``local_range`` with a plain hyphen for the en dash, to keep the source ASCII."""
    return local_range(*args).replace(DASH, "-")  # type: ignore[arg-type]


def when(*args: object) -> str:
    """``local_when`` with plain hyphens."""
    return local_when(*args).replace(DASH, "-")  # type: ignore[arg-type]


def at(text: str, tz: ZoneInfo = BRUSSELS) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz).astimezone(dt.UTC)


def session(
    n: int, start: dt.datetime, minutes: int = 30, room: str = "Main", **extra
) -> SessionData:
    return SessionData(
        guid=f"00000000-0000-4000-8000-{n:012d}",
        id=n,
        title=f"Session {n}",
        start_utc=start,
        duration_minutes=minutes,
        room=room,
        **extra,
    )


def program(
    sessions: list[SessionData], *, start: str, end: str, day_change: str = "00:00", blocks=()
) -> ProgramData:
    data = ScheduleData(
        conference=Conference(
            title="Conf",
            slug="conf",
            time_zone="Europe/Brussels",
            start_date=dt.date.fromisoformat(start),
            end_date=dt.date.fromisoformat(end),
            day_change=day_change,
        ),
        rooms=(RoomData(name="Main"), RoomData(name="Side")),
        sessions=tuple(sessions),
    )
    snapshot = data.to_dict()
    snapshot["podium_blocks"] = list(blocks)
    return ProgramData.from_snapshot(snapshot)


def cell_times(grid) -> dict[str, tuple[str, int]]:
    """Title -> (label of the row it starts on, rowspan)."""
    found = {}
    for row in grid.rows:
        for cell in row.cells:
            if cell not in (None, "covered"):
                found[cell.item.title] = (row.start_utc, cell.rowspan)
    return found


def test_session_crossing_midnight_stays_on_its_day_with_both_times() -> None:
    late = session(1, at("2030-02-02 23:30"), minutes=60)
    prog = program([late], start="2030-02-02", end="2030-02-03")
    assert [s.title for s in prog.sessions_by_day[dt.date(2030, 2, 2)]] == ["Session 1"]
    assert prog.sessions_by_day[dt.date(2030, 2, 3)] == []
    assert rng(late.start_utc, late.end_utc, BRUSSELS, dt.date(2030, 2, 2)) == "23:30-Sun 00:30"
    assert rng(late.start_utc, late.end_utc, NEW_YORK, dt.date(2030, 2, 2)) == "17:30-18:30"
    # A range that starts on the day before names both weekdays, never "Fri 18:00-18:00".
    friday_evening = dt.datetime(2030, 2, 1, 23, 0, tzinfo=dt.UTC)
    saturday_evening = dt.datetime(2030, 2, 2, 23, 0, tzinfo=dt.UTC)
    assert rng(friday_evening, saturday_evening, NEW_YORK, dt.date(2030, 2, 2)) == (
        "Fri 18:00-Sat 18:00"
    )
    assert when(late.start_utc, late.end_utc, BRUSSELS) == (
        "Saturday 02 February 2030, 23:30 - Sunday 03 February 2030, 00:30"
    )


def test_day_running_past_midnight_keeps_late_sessions_on_the_previous_day() -> None:
    # Days run 10:00 to 03:00 with the day change at 04:00.
    sessions = [
        session(1, at("2030-02-02 10:00")),
        session(2, at("2030-02-03 01:30"), room="Side"),  # still Saturday's programme
        session(3, at("2030-02-03 10:00")),
    ]
    prog = program(sessions, start="2030-02-02", end="2030-02-03", day_change="04:00")
    saturday = prog.day(dt.date(2030, 2, 2))
    assert [s.id for s in prog.sessions_by_day[dt.date(2030, 2, 2)]] == [1, 2]
    assert [s.id for s in prog.sessions_by_day[dt.date(2030, 2, 3)]] == [3]
    grid = day_grid(prog, saturday, BRUSSELS)
    assert grid.rooms == ["Main", "Side"]
    assert grid.step_minutes == 30
    assert (grid.rows[0].label, grid.rows[-1].label, len(grid.rows)) == ("10:00", "01:30", 32)
    assert rng(sessions[1].start_utc, sessions[1].end_utc, BRUSSELS, saturday.date) == (
        "Sun 01:30-Sun 02:00"
    )
    # A visitor in Tokyo sees the same conference day at their own wall-clock times.
    assert rng(sessions[0].start_utc, sessions[0].end_utc, TOKYO, saturday.date) == "18:00-18:30"
    tokyo = day_grid(prog, saturday, TOKYO)
    assert tokyo.rows[0].label == "18:00"


def test_event_spanning_dst_change_keeps_wall_clock_times() -> None:
    # Clocks go back on Sunday 27 October 2030 at 03:00 CEST -> 02:00 CET.
    saturday = session(1, at("2030-10-26 10:00"))
    sunday = session(2, at("2030-10-27 10:00"))
    night = session(3, at("2030-10-27 01:30"), minutes=150, room="Side")  # 01:30 CEST-03:00 CET
    prog = program(
        [saturday, sunday, night], start="2030-10-26", end="2030-10-27", day_change="04:00"
    )
    assert (saturday.start_utc.hour, sunday.start_utc.hour) == (8, 9)
    assert (
        rng(saturday.start_utc, saturday.end_utc, BRUSSELS, dt.date(2030, 10, 26)) == "10:00-10:30"
    )
    assert rng(sunday.start_utc, sunday.end_utc, BRUSSELS, dt.date(2030, 10, 27)) == "10:00-10:30"
    assert rng(saturday.start_utc, saturday.end_utc, UTC, dt.date(2030, 10, 26)) == "08:00-08:30"
    assert rng(sunday.start_utc, sunday.end_utc, UTC, dt.date(2030, 10, 27)) == "09:00-09:30"
    assert (
        rng(night.start_utc, night.end_utc, BRUSSELS, dt.date(2030, 10, 26))
        == "Sun 01:30 (UTC+2)-Sun 03:00 (UTC+1)"  # 150 minutes, not 90: the offsets say why
    )
    assert [s.id for s in prog.sessions_by_day[dt.date(2030, 10, 26)]] == [1, 3]
    grid = day_grid(prog, prog.day(dt.date(2030, 10, 26)), BRUSSELS)
    labels = [row.label for row in grid.rows if row.label]
    # 02:00-03:00 happens twice; the grid shows both hours rather than squeezing one away,
    # and their offsets tell them apart.
    assert labels[-5:] == [
        "01:30",
        "02:00 (UTC+2)",
        "02:30 (UTC+2)",
        "02:00 (UTC+1)",
        "02:30 (UTC+1)",
    ]
    start_row, span = cell_times(grid)["Session 3"]
    assert start_row == night.start_utc and span == 150 // grid.step_minutes


def test_day_grid_spans_rows_and_lists_overlaps_inside_the_cell() -> None:
    a = session(1, at("2030-02-02 09:00"), minutes=60)
    b = session(2, at("2030-02-02 09:30"), minutes=30)  # overlaps a in the same room
    c = session(3, at("2030-02-02 09:15"), minutes=15, room="Side")
    prog = program([a, b, c], start="2030-02-02", end="2030-02-02")
    grid = day_grid(prog, prog.days[0], BRUSSELS)
    assert grid.step_minutes == 15
    assert [row.label for row in grid.rows] == ["09:00", "", "09:30", ""]
    first = grid.rows[0].cells[0]
    assert (first.item.id, first.rowspan, [x.id for x in first.extra]) == (1, 4, [2])
    assert grid.rows[1].cells == ["covered", grid.rows[1].cells[1]]
    assert grid.rows[1].cells[1].item.id == 3
    assert grid.rows[2].cells == ["covered", None]


def test_day_grid_every_room_break_spans_columns_when_free() -> None:
    a = session(1, at("2030-02-02 09:00"), minutes=60)
    c = session(2, at("2030-02-02 09:00"), minutes=60, room="Side")
    lunch = {
        "id": 1,
        "kind": "break",
        "title": "Lunch",
        "start_utc": "2030-02-02T09:00:00Z",
        "duration_minutes": 60,
        "room": None,
    }
    overlapping = {
        "id": 2,
        "kind": "other",
        "title": "Photo",
        "start_utc": "2030-02-02T08:30:00Z",
        "duration_minutes": 30,
        "room": None,
    }
    prog = program([a, c], start="2030-02-02", end="2030-02-02", blocks=[lunch, overlapping])
    grid = day_grid(prog, prog.days[0], BRUSSELS)
    spanning = [cell for row in grid.rows for cell in row.cells if getattr(cell, "colspan", 1) == 2]
    assert [(cell.item.title, cell.rowspan) for cell in spanning] == [("Lunch", 2)]
    assert [b.title for b in grid.unplaced_blocks] == ["Photo"]


def test_search_matches_every_word_in_title_or_speaker() -> None:
    ada = PersonData(name="Ada Lovelace", id=7)
    prog = program(
        [
            SessionData(
                guid="a",
                id=1,
                title="Rust in space",
                start_utc=at("2030-02-02 09:00"),
                duration_minutes=30,
                room="Main",
            ),
            SessionData(
                guid="b",
                id=2,
                title="Engines",
                start_utc=at("2030-02-02 10:00"),
                duration_minutes=30,
                room="Main",
                persons=(ada,),
            ),
        ],
        start="2030-02-02",
        end="2030-02-02",
    )
    assert [s.guid for s in prog.search("rust SPACE")] == ["a"]
    assert [s.guid for s in prog.search("lovelace")] == ["b"]
    assert prog.search("rust lovelace") == []
    assert prog.search("   ") == []
    assert speaker_ref(ada) == "7" and prog.speakers["7"] == ada


def test_bounded_cache_evicts_least_recent_by_bytes_and_entries() -> None:
    cache: BoundedCache[bytes] = BoundedCache(max_entries=3, max_bytes=10, size=len)
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert cache.get("a") == b"1234"  # a is now the most recent
    cache.put("c", b"1234")  # 12 bytes > 10: b goes
    assert (cache.get("b"), len(cache), cache.bytes) == (None, 2, 8)
    cache.put("huge", b"x" * 11)  # larger than the budget: served, never kept
    assert cache.get("huge") is None
    cache.put("d", b"")
    cache.put("e", b"")
    assert len(cache) == 3 and cache.get("a") is None
