"""Conflict detection for the working schedule (pure functions over loaded slots).

The editor shows every conflict next to the slots involved; placing or moving a slot never
refuses because of a conflict (organizers sometimes need an intermediate state), but the
result page names the conflicts the change created.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from podium.schedule.enums import ConflictKind
from podium.schedule.labels import state_label


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

    Checks: two slots in one room overlapping; a session overlapping a break or other block
    in its room or in every room (``IN_BLOCK``, not ``ROOM_OVERLAP``); one speaker in two
    overlapping sessions, including two sessions at exactly the same start (even zero-length
    ones); a slot outside the event's days; a scheduled session whose submission is not
    confirmed; a session whose end is not after its start; a session outside its speakers'
    availability (:func:`outside_availability`). Runs in O(n log n) per room and
    per speaker, sweeping slots in start order. :func:`conflicts_affected_by` gives the same
    conflicts for a few changed slots without the full sweep.
    """
    conflicts: list[Conflict] = []
    by_room: dict[int, list[SlotInfo]] = defaultdict(list)
    by_speaker: dict[int, list[SlotInfo]] = defaultdict(list)
    for slot in slots:
        if slot.room_id is not None:
            by_room[slot.room_id].append(slot)
        for speaker_id, _name in slot.speakers:
            by_speaker[speaker_id].append(slot)
    for room_slots in by_room.values():
        conflicts.extend(_room_conflict(a, b) for a, b in _overlapping_pairs(room_slots))
    for speaker_id, speaker_slots in by_speaker.items():
        conflicts.extend(
            _speaker_conflict(speaker_id, a, b) for a, b in _overlapping_pairs(speaker_slots)
        )
    conflicts.extend(_every_room_block_conflicts(slots))
    conflicts.extend(_outside(slots, bounds))
    conflicts.extend(_single_slot_conflicts(slots))
    return conflicts


def conflicts_affected_by(
    all_slots: Sequence[SlotInfo],
    changed_ids: AbstractSet[int],
    *,
    bounds: tuple[dt.datetime, dt.datetime],
) -> list[Conflict]:
    """The conflicts of ``find_conflicts(all_slots)`` that involve a slot in ``changed_ids``.

    For saving one move (or a few) quickly: compares only the changed slots with the others,
    O(len(all_slots) * len(changed_ids)) instead of the full sweep. ``all_slots`` is the
    whole working schedule *after* the change (aware UTC times, as for
    :func:`find_conflicts`); ids in ``changed_ids`` that are no longer in it (an unscheduled
    slot) contribute nothing. The result equals the full check's conflicts whose
    ``slot_ids`` intersect ``changed_ids`` (same kinds, messages and id order; list order may
    differ). Combine it with the previous conflicts through :func:`replace_conflicts`.
    """
    changed = [slot for slot in all_slots if slot.id in changed_ids]
    conflicts: list[Conflict] = []
    for slot in changed:
        for other in all_slots:
            # Pairs of two changed slots are compared once, from the lower id.
            if other.id == slot.id or (other.id in changed_ids and other.id < slot.id):
                continue
            conflicts.extend(_pair_conflicts(slot, other))
    conflicts.extend(_outside(changed, bounds))
    conflicts.extend(_single_slot_conflicts(changed))
    return conflicts


def replace_conflicts(
    previous: Iterable[Conflict], changed_ids: AbstractSet[int], fresh: Iterable[Conflict]
) -> list[Conflict]:
    """``previous`` conflicts with those touching ``changed_ids`` replaced by ``fresh``.

    ``fresh`` is :func:`conflicts_affected_by` for the same ids; a conflict among unchanged
    slots cannot have changed, so the result equals a full :func:`find_conflicts` run.
    """
    kept = [c for c in previous if not changed_ids.intersection(c.slot_ids)]
    return kept + list(fresh)


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


def _order(first: SlotInfo, second: SlotInfo) -> tuple[SlotInfo, SlotInfo]:
    # The sweep's order (start, end, id), so full and incremental checks name pairs alike.
    key = (first.start, first.end, first.id) <= (second.start, second.end, second.id)
    return (first, second) if key else (second, first)


def _room_conflict(first: SlotInfo, second: SlotInfo) -> Conflict:
    """Two overlapping slots in one room: a session in a block, or a plain room overlap."""
    if first.is_session != second.is_session:
        return _block_conflict(first, second)
    first, second = _order(first, second)
    return Conflict(
        ConflictKind.ROOM_OVERLAP,
        _(
            "“%(first)s” and “%(second)s” overlap in room %(room)s.",
            first=first.title,
            second=second.title,
            room=first.room_name,
        ),
        (first.id, second.id),
    )


def _block_conflict(first: SlotInfo, second: SlotInfo) -> Conflict:
    """A session overlapping a break/block; ids are (session, block) whatever the order."""
    session, block = (first, second) if first.is_session else (second, first)
    if block.room_id is not None:
        message = _(
            "“%(session)s” is scheduled during “%(block)s” (room %(room)s).",
            session=session.title,
            block=block.title,
            room=block.room_name,
        )
    else:
        message = _(
            "“%(session)s” is scheduled during “%(block)s” (every room).",
            session=session.title,
            block=block.title,
        )
    return Conflict(
        ConflictKind.IN_BLOCK,
        message,
        (session.id, block.id),
    )


def _speaker_conflict(speaker_id: int, first: SlotInfo, second: SlotInfo) -> Conflict:
    first, second = _order(first, second)
    name = dict(first.speakers).get(speaker_id) or dict(second.speakers).get(speaker_id, "")
    return Conflict(
        ConflictKind.SPEAKER_OVERLAP,
        _(
            "%(name)s speaks in “%(first)s” and “%(second)s” at overlapping times.",
            name=name,
            first=first.title,
            second=second.title,
        ),
        (first.id, second.id),
    )


def _covers(block: SlotInfo, session: SlotInfo) -> bool:
    """Whether ``block`` (not a session) applies to ``session``'s room and time."""
    if block.is_session or not session.is_session:
        return False
    in_room = block.room_id is None or block.room_id == session.room_id
    return in_room and _overlaps(block, session)


def _pair_conflicts(first: SlotInfo, second: SlotInfo) -> list[Conflict]:
    """Every pairwise conflict between two slots (the incremental check's unit)."""
    if not _overlaps(first, second):
        return []
    found = []
    if first.room_id is not None and first.room_id == second.room_id:
        found.append(_room_conflict(first, second))
    elif _covers(first, second) or _covers(second, first):
        found.append(_block_conflict(first, second))
    theirs = {speaker_id for speaker_id, _ in second.speakers}
    found.extend(
        _speaker_conflict(speaker_id, first, second)
        for speaker_id, _ in first.speakers
        if speaker_id in theirs
    )
    return found


def _every_room_block_conflicts(slots: Sequence[SlotInfo]) -> list[Conflict]:
    """Sessions overlapping a block whose room is None (it concerns every room)."""
    blocks = [s for s in slots if s.room_id is None and not s.is_session]
    sessions = sorted((s for s in slots if s.is_session), key=lambda s: s.start)
    if not blocks or not sessions:
        return []
    starts = [s.start for s in sessions]
    longest = max(max(s.end - s.start for s in sessions), dt.timedelta(0))
    found = []
    for block in blocks:
        # Only sessions starting within the longest session's length before the block can
        # still run into it; bisect skips the rest of a 1000-session schedule.
        low = bisect_left(starts, block.start - longest)
        high = bisect_right(starts, max(block.end, block.start))
        found.extend(
            _block_conflict(session, block)
            for session in sessions[low:high]
            if _covers(block, session)
        )
    return found


def _single_slot_conflicts(slots: Iterable[SlotInfo]) -> list[Conflict]:
    """Conflicts of one session alone: not confirmed, no length, outside availability."""
    slots = list(slots)
    found = []
    for slot in slots:
        if not slot.is_session:
            continue
        if slot.state != "confirmed":
            found.append(
                Conflict(
                    ConflictKind.NOT_CONFIRMED,
                    _(
                        "“%(title)s” is scheduled but %(state)s, not confirmed.",
                        title=slot.title,
                        state=state_label(slot.state),
                    ),
                    (slot.id,),
                )
            )
        if slot.end <= slot.start:
            found.append(
                Conflict(
                    ConflictKind.ZERO_LENGTH,
                    _(
                        "“%(title)s” has no length: it does not end after it starts.",
                        title=slot.title,
                    ),
                    (slot.id,),
                )
            )
    found.extend(outside_availability(slots))
    return found


def _outside(slots: Iterable[SlotInfo], bounds: tuple[dt.datetime, dt.datetime]) -> list[Conflict]:
    first, after_last = bounds
    return [
        Conflict(
            ConflictKind.OUTSIDE_EVENT,
            _("“%(title)s” is outside the event's days.", title=slot.title),
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
            _("“%(title)s” is outside its speakers' availability.", title=slot.title),
            (slot.id,),
        )
        for slot in slots
        if slot.is_session
        and slot.availability is not None
        and not any(start <= slot.start and slot.end <= end for start, end in slot.availability)
    ]
