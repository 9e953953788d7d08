"""Layout of the visual schedule editor: one day as a CSS grid of rooms by time steps.

Pure functions over loaded rows. The time axis is uniform in real (UTC) time, one grid row
per ``step`` minutes, and labelled in the event's zone; on a day with a DST change the row
where the UTC offset changes carries both offsets, so 02:00 → 03:00 is visible, not a gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from podium.events.models import Room
from podium.schedule.queries import EditorRow

# Without slots the axis shows the working day 09:00 to 18:00 local time; slots stretch it.
DEFAULT_FIRST_MINUTE = 9 * 60
DEFAULT_LAST_MINUTE = 18 * 60
# Grid row 1 holds the room headers.
FIRST_ROW = 2


@dataclass(frozen=True)
class AxisRow:
    """One step of the time axis: grid ``row``, aware UTC ``start``, local ``label`` (HH:MM).

    ``offset_change`` is e.g. ``"UTC+01:00 → UTC+02:00"`` on the row where the zone's offset
    changes, else None.
    """

    row: int
    start: dt.datetime
    label: str
    offset_change: str | None = None


@dataclass(frozen=True)
class Card:
    """A slot placed on the grid: CSS ``column`` (0 = spans every room), first ``row``, ``span``."""

    slot: EditorRow
    column: int
    row: int
    span: int


@dataclass(frozen=True)
class DayGrid:
    """The layout of one conference day; ``start``/``end`` are aware UTC, ``step`` minutes."""

    day: dt.date
    step: int
    start: dt.datetime
    end: dt.datetime
    rooms: list[Room]
    axis: list[AxisRow]
    cards: list[Card]

    @property
    def last_row(self) -> int:
        """The grid row after the last axis row (CSS grid line numbers)."""
        return FIRST_ROW + len(self.axis)


def build_day_grid(
    *,
    rows: list[EditorRow],
    rooms: list[Room],
    day: dt.date,
    time_zone: str,
    day_change_minutes: int,
    step: int,
) -> DayGrid:
    """Lay out ``rows`` (already limited to ``day`` and the shown ``rooms``) on a grid.

    The axis starts at the earlier of 09:00 local and the first slot and ends at the later
    of 18:00 local and the last slot's end, both snapped outwards to ``step`` minutes
    counted from the local day change. A slot of a room not in ``rooms`` is left out; a
    block without a room spans every column.
    """
    tz = ZoneInfo(time_zone)
    anchor = _local_instant(day, day_change_minutes, tz)
    first = _local_instant(day, max(DEFAULT_FIRST_MINUTE, day_change_minutes), tz)
    last = _local_instant(day, max(DEFAULT_LAST_MINUTE, day_change_minutes + 60), tz)
    if rows:
        first = min(first, min(r.info.start for r in rows))
        last = max(last, max(r.info.end for r in rows))
    start = anchor + _floor(first - anchor, step)
    end = anchor + _ceil(last - anchor, step)
    axis = _axis(start, end, step, tz)
    columns = {room.id: index + 2 for index, room in enumerate(rooms)}
    cards = []
    for row in rows:
        if row.info.room_id is not None and row.info.room_id not in columns:
            continue
        first_row = FIRST_ROW + int((row.info.start - start).total_seconds() // 60) // step
        span = max(1, -(-row.duration_minutes // step))
        cards.append(Card(row, columns.get(row.info.room_id, 0), first_row, span))
    return DayGrid(day, step, start, end, rooms, axis, cards)


def _local_instant(day: dt.date, minutes: int, tz: ZoneInfo) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz) + dt.timedelta(minutes=minutes)
    # Wall-clock arithmetic above, then to UTC: fold 0 picks the first of a repeated hour.
    return local.astimezone(dt.UTC)


def _floor(delta: dt.timedelta, step: int) -> dt.timedelta:
    minutes = int(delta.total_seconds() // 60)
    return dt.timedelta(minutes=(minutes // step) * step)


def _ceil(delta: dt.timedelta, step: int) -> dt.timedelta:
    minutes = -(-int(delta.total_seconds()) // 60)
    return dt.timedelta(minutes=-(-minutes // step) * step)


def _axis(start: dt.datetime, end: dt.datetime, step: int, tz: ZoneInfo) -> list[AxisRow]:
    rows: list[AxisRow] = []
    instant, previous = start, start.astimezone(tz).utcoffset()
    while instant < end:
        local = instant.astimezone(tz)
        offset = local.utcoffset()
        change = None
        if offset != previous:
            change = f"{_offset(previous)} → {_offset(offset)}"
            previous = offset
        rows.append(AxisRow(FIRST_ROW + len(rows), instant, local.strftime("%H:%M"), change))
        instant += dt.timedelta(minutes=step)
    return rows


def _offset(offset: dt.timedelta | None) -> str:
    minutes = int((offset or dt.timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
