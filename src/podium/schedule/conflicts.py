"""Conflict detection for the working schedule (pure functions over loaded slots).

The editor shows every conflict next to the slots involved; placing or moving a slot never
refuses because of a conflict (organizers sometimes need an intermediate state), but the
result page names the conflicts the change created.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from podium.schedule.enums import ConflictKind


@dataclass(frozen=True)
class SlotInfo:
    """What conflict checks need to know about one slot.

    ``start``/``end`` are aware UTC instants; ``speakers`` maps speaker profile id to name;
    ``state`` is the submission state (``None`` for breaks and other blocks).
    """

    id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    room_id: int | None
    room_name: str = ""
    state: str | None = None
    speakers: tuple[tuple[int, str], ...] = field(default=())
    # When all speakers who said so can present: merged (start, end) aware UTC ranges; None
    # when none of them gave availability (nothing to check), () when they share no time.
    availability: tuple[tuple[dt.datetime, dt.datetime], ...] | None = None

    @property
    def is_session(self) -> bool:
        """True for a slot holding a submission."""
        return self.state is not None


@dataclass(frozen=True)
class Conflict:
    """One problem: its kind, a sentence for organizers, and the slot ids involved."""

    kind: ConflictKind
    message: str
    slot_ids: tuple[int, ...]


def event_bounds(
    start_date: dt.date, end_date: dt.date, time_zone: str, day_change_minutes: int
) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants [first day begins, last day ends) of an event's conference days.

    A day begins at ``day_change_minutes`` after local midnight in ``time_zone``, so with 240
    (04:00) a session from 01:00 to 02:00 after the last day is still inside the event.
    """
    tz = ZoneInfo(time_zone)
    change = dt.time(day_change_minutes // 60, day_change_minutes % 60)
    first = dt.datetime.combine(start_date, change, tzinfo=tz)
    after_last = dt.datetime.combine(end_date + dt.timedelta(days=1), change, tzinfo=tz)
    return first.astimezone(dt.UTC), after_last.astimezone(dt.UTC)


def find_conflicts(
    slots: Sequence[SlotInfo], *, bounds: tuple[dt.datetime, dt.datetime]
) -> list[Conflict]:
    """Every conflict among ``slots`` of one event whose days span ``bounds`` (UTC).

    Checks: two slots in one room overlapping (breaks included, since a room cannot host a
    talk during its own break); one speaker in two overlapping sessions, including two
    sessions at exactly the same start (even zero-length ones); a slot outside the event's
    days; a scheduled session whose submission is not confirmed; a session outside its
    speakers' availability (:func:`outside_availability`). Runs in O(n log n) per room
    and per speaker, sweeping slots in start order.
    """
    conflicts: list[Conflict] = []
    by_room: dict[int, list[SlotInfo]] = defaultdict(list)
    by_speaker: dict[int, list[SlotInfo]] = defaultdict(list)
    speaker_names: dict[int, str] = {}
    for slot in slots:
        if slot.room_id is not None:
            by_room[slot.room_id].append(slot)
        for speaker_id, name in slot.speakers:
            by_speaker[speaker_id].append(slot)
            speaker_names[speaker_id] = name
    for room_slots in by_room.values():
        for first, second in _overlapping_pairs(room_slots):
            conflicts.append(
                Conflict(
                    ConflictKind.ROOM_OVERLAP,
                    f"“{first.title}” and “{second.title}” overlap in room {first.room_name}.",
                    (first.id, second.id),
                )
            )
    for speaker_id, speaker_slots in by_speaker.items():
        for first, second in _overlapping_pairs(speaker_slots):
            conflicts.append(
                Conflict(
                    ConflictKind.SPEAKER_OVERLAP,
                    f"{speaker_names[speaker_id]} speaks in “{first.title}” and "
                    f"“{second.title}” at overlapping times.",
                    (first.id, second.id),
                )
            )
    conflicts.extend(_outside(slots, bounds))
    conflicts.extend(
        Conflict(
            ConflictKind.NOT_CONFIRMED,
            f"“{slot.title}” is scheduled but {slot.state}, not confirmed.",
            (slot.id,),
        )
        for slot in slots
        if slot.is_session and slot.state != "confirmed"
    )
    conflicts.extend(outside_availability(slots))
    return conflicts


def conflicts_by_slot(conflicts: Iterable[Conflict]) -> dict[int, list[Conflict]]:
    """Index conflicts by each slot id they involve."""
    index: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        for slot_id in conflict.slot_ids:
            index[slot_id].append(conflict)
    return dict(index)


def _overlaps(first: SlotInfo, second: SlotInfo) -> bool:
    # Same start always collides, even for zero-length slots, which the strict interval test
    # below would let through.
    return first.start == second.start or (first.start < second.end and second.start < first.end)


def _overlapping_pairs(slots: list[SlotInfo]) -> Iterable[tuple[SlotInfo, SlotInfo]]:
    ordered = sorted(slots, key=lambda s: (s.start, s.end, s.id))
    active: list[SlotInfo] = []
    for slot in ordered:
        # Drop slots that ended before this one starts; what is left may overlap it.
        active = [a for a in active if a.end > slot.start or a.start == slot.start]
        for other in active:
            if other.id != slot.id and _overlaps(other, slot):
                yield other, slot
        active.append(slot)


def _outside(slots: Iterable[SlotInfo], bounds: tuple[dt.datetime, dt.datetime]) -> list[Conflict]:
    first, after_last = bounds
    return [
        Conflict(
            ConflictKind.OUTSIDE_EVENT,
            f"“{slot.title}” is outside the event's days.",
            (slot.id,),
        )
        for slot in slots
        if slot.start < first or slot.end > after_last
    ]


def outside_availability(slots: Iterable[SlotInfo]) -> list[Conflict]:
    """Sessions not held whole by one range of their speakers' availability.

    A slot with ``availability=None`` (no speaker gave any) is never reported; one whose
    speakers share no time (``()``) always is. Ranges are UTC instants, so a session across
    a DST change is checked by its real length.
    """
    return [
        Conflict(
            ConflictKind.OUTSIDE_AVAILABILITY,
            f"“{slot.title}” is outside its speakers' availability.",
            (slot.id,),
        )
        for slot in slots
        if slot.is_session
        and slot.availability is not None
        and not any(start <= slot.start and slot.end <= end for start, end in slot.availability)
    ]
