"""Pure arithmetic on availability ranges: merging, intersecting, local days versus UTC.

A range is ``(start, end)``: two aware UTC instants with ``start < end``, end exclusive. A
conference day ``D`` of an event runs from the day change (``day_change_minutes`` after local
midnight) on ``D`` to the day change on ``D + 1``, so it lasts 23 or 25 hours on the days the
zone changes to or from daylight-saving time; everything here works on instants, so those days
need no special case beyond refusing local times that do not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from podium.events.times import LocalTimeError, local_to_utc
from podium.i18n.dates import format_wall

Range = tuple[dt.datetime, dt.datetime]


class LocalRangeError(ValueError):
    """A row's local time does not exist; ``which`` is ``"start"`` or ``"end"``."""

    def __init__(self, which: str, message: str) -> None:
        super().__init__(message)
        self.which = which


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Sorted ranges with overlapping and touching ones joined and empty ones dropped.

    ``[(9:00, 10:00), (10:00, 11:00), (8:00, 9:30)]`` becomes ``[(8:00, 11:00)]``.
    """
    merged: list[Range] = []
    for start, end in sorted(r for r in ranges if r[0] < r[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def intersect(first: Sequence[Range], second: Sequence[Range]) -> list[Range]:
    """The instants in both ``first`` and ``second`` (each merged), as merged ranges."""
    a, b = merge(first), merge(second)
    result: list[Range] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            result.append((start, end))
        # Advance whichever ends first: it cannot overlap anything later in the other list.
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return result


def day_window(day: dt.date, time_zone: str, day_change_minutes: int) -> Range:
    """UTC instants ``[day change on day, day change on day + 1)`` in ``time_zone``."""
    zone = ZoneInfo(time_zone)
    change = dt.time(day_change_minutes // 60, day_change_minutes % 60)
    start = dt.datetime.combine(day, change, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), change, tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def local_range(
    day: dt.date,
    start: dt.time,
    end: dt.time,
    *,
    time_zone: str,
    day_change_minutes: int = 0,
) -> Range:
    """The UTC range of a form row "on conference ``day``, from ``start`` to ``end``" (local).

    Times before the day change belong to the night after ``day`` (with a 04:00 day change,
    01:00 on Saturday means the night from Saturday to Sunday); an end at or before the start
    is on the next calendar day, so 20:00-02:00 crosses midnight and 00:00-00:00 is the whole
    day (23 or 25 hours on a DST day). Ambiguous times (the repeated hour in autumn) take their
    first occurrence.

    Raises:
        LocalRangeError: ``start`` or ``end`` (``which``) does not exist on that date in
            ``time_zone`` (skipped by the spring DST change).
    """
    minutes = day_change_minutes or 0

    def calendar_date(time: dt.time) -> dt.date:
        before_change = time.hour * 60 + time.minute < minutes
        return day + dt.timedelta(days=1) if before_change else day

    def instant(which: str, date: dt.date, time: dt.time) -> dt.datetime:
        try:
            # In the hour that happens twice the range is taken at its widest: a start at
            # its first occurrence, an end at its second.
            fold = 0 if which == "start" else 1
            return local_to_utc(dt.datetime.combine(date, time), time_zone, fold=fold)
        except LocalTimeError as exc:
            raise LocalRangeError(which, str(exc)) from exc

    start_at = instant("start", calendar_date(start), start)
    end_date = calendar_date(end)
    if dt.datetime.combine(end_date, end) <= dt.datetime.combine(calendar_date(start), start):
        end_date += dt.timedelta(days=1)
    return start_at, instant("end", end_date, end)


def split_by_day(
    ranges: Iterable[Range], days: Sequence[dt.date], *, time_zone: str, day_change_minutes: int
) -> list[tuple[dt.date, dt.time, dt.time]]:
    """Each range cut at day changes into ``(day, local start, local end)`` rows, in order.

    The inverse of :func:`local_range` for the form: a range from Saturday 09:00 to Sunday
    18:00 becomes ``(Sat, 09:00, 00:00)`` and ``(Sun, 00:00, 18:00)`` (day change at midnight).
    Parts outside ``days`` are left out.
    """
    zone = ZoneInfo(time_zone)
    rows = []
    for day in days:
        window_start, window_end = day_window(day, time_zone, day_change_minutes)
        for start, end in ranges:
            part_start, part_end = max(start, window_start), min(end, window_end)
            if part_start < part_end:
                rows.append(
                    (
                        day,
                        part_start.astimezone(zone).time().replace(tzinfo=None),
                        part_end.astimezone(zone).time().replace(tzinfo=None),
                    )
                )
    return rows


def range_label(value: tuple[dt.datetime, dt.datetime], time_zone: str) -> str:
    """A UTC range as ``Sat 02 Feb 09:00-12:00`` (en dash) in IANA ``time_zone``; both days
    if two."""
    zone = ZoneInfo(time_zone)
    start, end = (instant.astimezone(zone) for instant in value)
    if end.date() == start.date():
        return f"{_day_time(start)}\N{EN DASH}{format_wall(end, 'time')}"
    return f"{_day_time(start)} \N{EN DASH} {_day_time(end)}"


def _day_time(value: dt.datetime) -> str:
    # "Sat 02 Feb 09:00" in English, "Sa., 2. Feb. 09:00" in German (podium.i18n.dates).
    return f"{format_wall(value, 'day_short')} {format_wall(value, 'time')}"
