"""Pure range arithmetic: merging, intersecting, local rows to UTC and back, DST days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from podium.availability.ranges import (
    LocalRangeError,
    day_window,
    intersect,
    local_range,
    merge,
    split_by_day,
)

BRUSSELS = "Europe/Brussels"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def at(text: str, zone: str = BRUSSELS) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


def test_merge_joins_overlapping_and_touching_ranges_and_drops_empty_ones() -> None:
    ranges = [
        (utc("2030-02-02 12:00"), utc("2030-02-02 13:00")),
        (utc("2030-02-02 09:00"), utc("2030-02-02 10:00")),
        (utc("2030-02-02 10:00"), utc("2030-02-02 11:00")),
        (utc("2030-02-02 08:00"), utc("2030-02-02 09:30")),
        (utc("2030-02-02 15:00"), utc("2030-02-02 15:00")),
    ]
    assert merge(ranges) == [
        (utc("2030-02-02 08:00"), utc("2030-02-02 11:00")),
        (utc("2030-02-02 12:00"), utc("2030-02-02 13:00")),
    ]


def test_intersect_keeps_only_common_time() -> None:
    first = [
        (utc("2030-02-02 09:00"), utc("2030-02-02 12:00")),
        (utc("2030-02-02 14:00"), utc("2030-02-02 18:00")),
    ]
    second = [(utc("2030-02-02 11:00"), utc("2030-02-02 15:00"))]
    assert intersect(first, second) == [
        (utc("2030-02-02 11:00"), utc("2030-02-02 12:00")),
        (utc("2030-02-02 14:00"), utc("2030-02-02 15:00")),
    ]
    assert intersect(first, [(utc("2030-02-02 12:00"), utc("2030-02-02 14:00"))]) == []


def test_local_range_converts_wall_clock_rows_to_utc() -> None:
    day = dt.date(2030, 2, 2)
    assert local_range(day, dt.time(9), dt.time(12, 30), time_zone=BRUSSELS) == (
        utc("2030-02-02 08:00"),
        utc("2030-02-02 11:30"),
    )
    # An end at or before the start is on the next calendar day.
    assert local_range(day, dt.time(20), dt.time(2), time_zone=BRUSSELS) == (
        utc("2030-02-02 19:00"),
        utc("2030-02-03 01:00"),
    )


def test_whole_day_lasts_25_hours_when_dst_ends() -> None:
    # Europe/Brussels leaves summer time on Sunday 27 October 2030 (03:00 CEST -> 02:00 CET).
    start, end = local_range(dt.date(2030, 10, 27), dt.time(0), dt.time(0), time_zone=BRUSSELS)
    assert (start, end) == (utc("2030-10-26 22:00"), utc("2030-10-27 23:00"))
    assert end - start == dt.timedelta(hours=25)
    assert day_window(dt.date(2030, 10, 27), BRUSSELS, 0) == (start, end)


def test_whole_day_lasts_23_hours_when_dst_starts() -> None:
    start, end = local_range(dt.date(2030, 3, 31), dt.time(0), dt.time(0), time_zone=BRUSSELS)
    assert end - start == dt.timedelta(hours=23)


@pytest.mark.parametrize(
    ("start", "end", "which"), [((2, 30), (5, 0), "start"), ((1, 0), (2, 15), "end")]
)
def test_local_time_skipped_by_dst_is_refused_naming_the_field(start, end, which) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LocalRangeError) as caught:
        local_range(dt.date(2030, 3, 31), dt.time(*start), dt.time(*end), time_zone=BRUSSELS)
    assert caught.value.which == which
    assert "does not exist in Europe/Brussels (DST change)" in str(caught.value)


def test_times_before_the_day_change_belong_to_the_following_night() -> None:
    # With a 04:00 day change, "Saturday 01:00-03:00" is the night from Saturday to Sunday.
    assert local_range(
        dt.date(2030, 2, 2), dt.time(1), dt.time(3), time_zone=BRUSSELS, day_change_minutes=240
    ) == (at("2030-02-03 01:00"), at("2030-02-03 03:00"))


def test_split_by_day_is_the_inverse_of_local_range() -> None:
    days = [dt.date(2030, 10, 26), dt.date(2030, 10, 27)]
    ranges = [(at("2030-10-26 09:00"), at("2030-10-27 18:00"))]
    rows = split_by_day(ranges, days, time_zone=BRUSSELS, day_change_minutes=0)
    assert rows == [
        (days[0], dt.time(9), dt.time(0)),
        (days[1], dt.time(0), dt.time(18)),
    ]
    back = [local_range(day, s, e, time_zone=BRUSSELS) for day, s, e in rows]
    assert merge(back) == ranges
