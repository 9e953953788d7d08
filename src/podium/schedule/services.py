"""All changes to the working schedule and the one entry point that publishes a release.

Slots are placed, moved and removed here; conflicts are never refused (see
:mod:`podium.schedule.conflicts`) but the editor shows them. ``publish_release`` freezes the
slots as a numbered :class:`ScheduleRelease` whose snapshot the public program renders.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from podium.accounts.models import User
from podium.cfp.models import Submission
from podium.events.models import Event, Room
from podium.exchange.rebase import rebase_snapshot
from podium.exchange.schedule_data import ScheduleData, SessionData
from podium.exchange.services import build_schedule_data
from podium.extensions import db
from podium.once import claim
from podium.questions.queries import PUBLIC_ANSWERS_KEY, public_answers
from podium.schedule.enums import PUBLISHABLE_STATES, SlotKind
from podium.schedule.labels import state_label
from podium.schedule.models import ScheduleRelease, Slot
from podium.webhooks.services import queue_release

# The snapshot key holding breaks and other blocks: they are not sessions, so exports leave
# them out, but the public grid shows them. ScheduleData.from_dict ignores unknown keys.
BLOCKS_KEY = "podium_blocks"
MAX_BLOCK_MINUTES = 24 * 60


class ScheduleError(ValueError):
    """A schedule change that cannot be made; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class StaleSlotError(ScheduleError):
    """A change based on an out-of-date view of a slot was refused; nothing was written.

    ``slot_id`` is the slot concerned; it was changed (or removed) by someone else since the
    version the caller saw, so the caller should reload it and decide again.
    """

    def __init__(self, slot_id: int) -> None:
        super().__init__(
            _(
                "Someone else changed this slot since you loaded the page; it now shows its "
                "current state. Nothing was saved: make your change again if it still applies."
            ),
            "version",
        )
        self.slot_id = slot_id


MIN_SLOT_MINUTES = 5


def place_session(
    *, event: Event, submission: Submission, room: Room, start_at: dt.datetime
) -> Slot:
    """Schedule an accepted or confirmed ``submission`` in ``room`` from ``start_at`` (aware).

    The slot lasts the submission's ``duration_minutes``. Overlaps are allowed and reported
    by the editor as conflicts.

    Raises:
        ScheduleError: the submission or room belongs to another event, the submission is not
            accepted/confirmed, or it already has a slot (move that one instead).
    """
    _check_same_event(event, submission=submission, room=room)
    if submission.state not in PUBLISHABLE_STATES:
        raise ScheduleError(
            _(
                "“%(title)s” is %(state)s; only accepted or confirmed submissions can be scheduled",
                title=submission.title,
                state=state_label(submission.state),
            ),
            "submission_id",
        )
    if db.session.scalar(select(Slot.id).where(Slot.submission_id == submission.id)):
        raise ScheduleError(
            _("“%(title)s” is already scheduled; move it instead", title=submission.title)
        )
    start = _aware_utc(start_at)
    slot = Slot(
        event_id=event.id,
        submission_id=submission.id,
        room_id=room.id,
        kind=SlotKind.SESSION.value,
        start_at=start,
        end_at=start + dt.timedelta(minutes=submission.duration_minutes),
    )
    db.session.add(slot)
    db.session.commit()
    return slot


def move_slot(
    *,
    event: Event,
    slot: Slot,
    room: Room | None,
    start_at: dt.datetime,
    expected_version: int | None = None,
) -> Slot:
    """Move ``slot`` to ``room`` at ``start_at`` (aware), keeping its length in minutes.

    ``room`` None (every room) is only allowed for breaks and other blocks. ``expected_version``
    is the ``Slot.version`` the caller saw (None: do not check); the move bumps the version.

    Raises:
        StaleSlotError: the slot's version is no longer ``expected_version``.
        ScheduleError: the slot or room belongs to another event, or a session gets no room.
    """
    _check_same_event(event, slot=slot, room=room)
    _check_version(slot, expected_version)
    if room is None and slot.submission_id is not None:
        raise ScheduleError(_("a session needs a room"), "room_id")
    length = slot.end_at - slot.start_at
    slot.room_id = room.id if room is not None else None
    slot.start_at = _aware_utc(start_at)
    slot.end_at = slot.start_at + length
    _commit_versioned(slot.id)
    return slot


def resize_slot(
    *, event: Event, slot: Slot, minutes: int, expected_version: int | None = None
) -> Slot:
    """Make ``slot`` last ``minutes`` whole minutes from its unchanged start; bumps its version.

    The submission's own duration is left alone: the slot is what the schedule shows.

    Raises:
        StaleSlotError: the slot's version is no longer ``expected_version``.
        ScheduleError: the slot belongs to another event, or ``minutes`` is outside
            5..1440 (field ``minutes``).
    """
    _check_same_event(event, slot=slot)
    _check_version(slot, expected_version)
    if not MIN_SLOT_MINUTES <= minutes <= MAX_BLOCK_MINUTES:
        raise ScheduleError(
            _(
                "length must be between %(min)s and %(max)s minutes",
                min=MIN_SLOT_MINUTES,
                max=MAX_BLOCK_MINUTES,
            ),
            "minutes",
        )
    slot.end_at = _aware_utc(slot.start_at) + dt.timedelta(minutes=minutes)
    _commit_versioned(slot.id)
    return slot


def unschedule_slot(*, event: Event, slot: Slot, expected_version: int | None = None) -> None:
    """Remove ``slot``: a session goes back to the unscheduled list, a block is deleted.

    Raises:
        StaleSlotError: the slot's version is no longer ``expected_version`` (None: no check).
        ScheduleError: the slot belongs to another event.
    """
    _check_same_event(event, slot=slot)
    _check_version(slot, expected_version)
    slot_id = slot.id
    db.session.delete(slot)
    _commit_versioned(slot_id)


def add_block(
    *,
    event: Event,
    title: str,
    kind: SlotKind | str,
    room: Room | None,
    start_at: dt.datetime,
    duration_minutes: int,
    actor_id: int | None = None,
    form_token: str | None = None,
) -> Slot:
    """Add a break or other non-session block; ``room`` None means it concerns every room.

    ``form_token`` (see :mod:`podium.once`, claimed for user ``actor_id``): a second request
    with it adds nothing and returns the block the first one added.

    Raises:
        ScheduleError: empty title, a kind that is not break/other, a duration outside
            1..1440 minutes, or a room of another event.
    """
    title = title.strip()
    if not title:
        raise ScheduleError(_("a block needs a title"), "title")
    if kind not in (SlotKind.BREAK, SlotKind.OTHER):
        raise ScheduleError(_("kind must be break or other, not %(kind)s", kind=repr(kind)), "kind")
    if not 1 <= duration_minutes <= MAX_BLOCK_MINUTES:
        raise ScheduleError(_("duration must be between 1 and 1440 minutes"), "duration_minutes")
    if room is not None:
        _check_same_event(event, room=room)
    start = _aware_utc(start_at)
    claimed = claim(token=form_token, kind="schedule_block", user_id=actor_id)
    if isinstance(claimed, int) and (earlier := db.session.get(Slot, claimed)):
        return earlier
    slot = Slot(
        event_id=event.id,
        room_id=room.id if room is not None else None,
        kind=SlotKind(kind).value,
        title=title[:300],
        start_at=start,
        end_at=start + dt.timedelta(minutes=duration_minutes),
    )
    db.session.add(slot)
    db.session.flush()
    if not isinstance(claimed, int):
        claimed.done(slot.id)
    db.session.commit()
    return slot


SLOT_STEPS = (5, 10, 15, 30)


def set_slot_step(*, event: Event, minutes: int) -> None:
    """Set the visual editor's grid step of ``event`` to ``minutes`` (one of SLOT_STEPS).

    Existing slots keep their times; only new drops and resizes snap to the new step.

    Raises:
        ScheduleError: ``minutes`` is not 5, 10, 15 or 30 (field ``minutes``).
    """
    if minutes not in SLOT_STEPS:
        raise ScheduleError(_("the grid step must be 5, 10, 15 or 30 minutes"), "minutes")
    event.slot_step_minutes = minutes
    db.session.commit()


class UnchangedScheduleError(ScheduleError):
    """Publishing was refused because the slots are exactly as in the latest release.

    ``version`` is that release's number; it stays the current one.
    """

    def __init__(self, version: int) -> None:
        super().__init__(
            _(
                "Nothing changed since release %(version)s: publishing would create release "
                "%(next)s identical to it. Tick “Publish anyway” to publish it all the same "
                "(for example to correct the comment).",
                version=version,
                next=version + 1,
            ),
            "allow_unchanged",
        )
        self.version = version


def publish_release(
    *, event: Event, actor: User | None, comment: str = "", allow_unchanged: bool = False
) -> ScheduleRelease:
    """Freeze the event's current slots as the next numbered release (THE publishing entry).

    The snapshot is ``ScheduleData.to_dict()`` of the accepted/confirmed sessions with a room,
    plus breaks and blocks under ``BLOCKS_KEY``; the changelog compares it with the previous
    release (``{"new", "moved", "room_changed", "changed", "canceled"}``, each a list of
    dicts with ``guid``, ``title`` and what differs, see :func:`changelog`, plus ``"blocks"``
    from :func:`block_changes`). Versions count 1, 2, ...
    per event. Runs a fixed number of queries whatever the number of sessions.

    A release identical to the previous one (same snapshot apart from its version label; see
    :func:`unchanged_release`) is refused unless ``allow_unchanged``: schedule apps would
    fetch a "new" schedule with nothing new in it. Edited session texts are changes; the
    changelog lists edited titles, speakers and abstracts under ``changed``.

    Raises:
        UnchangedScheduleError: nothing changed since the previous release and
            ``allow_unchanged`` is false; nothing is written.
        ScheduleError: another request published the same version first (a double click or
            two organizers at once); nothing is written and the caller should show the releases.
    """
    previous = _latest_release(event)
    version = (previous.version + 1) if previous is not None else 1
    data, snapshot = _current_snapshot(event, version)
    if previous is not None and not allow_unchanged and _same(previous.snapshot, snapshot):
        raise UnchangedScheduleError(previous.version)
    old = ScheduleData.from_dict(previous.snapshot) if previous is not None else None
    release = ScheduleRelease(
        event_id=event.id,
        version=version,
        comment=comment.strip()[:500],
        published_by_id=actor.id if actor is not None else None,
        snapshot=snapshot,
        changelog={
            **changelog(old, data),
            "blocks": block_changes(
                (previous.snapshot.get(BLOCKS_KEY) or []) if previous is not None else None,
                snapshot[BLOCKS_KEY],
            ),
        },
    )
    db.session.add(release)
    # Webhook deliveries commit (or roll back) with the release they announce.
    queue_release(
        event=event, version=version, comment=release.comment, changelog=release.changelog
    )
    try:
        db.session.commit()
    except IntegrityError:
        # The (event, version) unique constraint caught a concurrent publish of this version.
        db.session.rollback()
        raise ScheduleError(
            _(
                "release %(version)s was published by another request a moment ago; "
                "check the releases before publishing again",
                version=version,
            ),
            "comment",
        ) from None
    return release


def unchanged_release(event: Event) -> ScheduleRelease | None:
    """The latest release of ``event`` if publishing now would repeat it exactly, else None.

    "Exactly" means the whole snapshot (sessions with their texts and speakers, rooms,
    tracks, conference details, breaks and blocks) apart from the version label. None when
    nothing was published yet. Runs a fixed number of queries whatever the number of sessions.
    """
    previous = _latest_release(event)
    if previous is None:
        return None
    _data, snapshot = _current_snapshot(event, previous.version + 1)
    return previous if _same(previous.snapshot, snapshot) else None


def block_changes(
    old: list[dict[str, Any]] | None, new: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Breaks and other blocks added, removed or changed between two snapshots' ``BLOCKS_KEY``
    lists.

    Each entry is ``{"change": "added"|"removed"|"changed", "title", "start" (ISO 8601 UTC),
    "room" (None: every room)}``; a ``"changed"`` one (the same block, by id and title,
    moved, resized or put in another room) adds ``"from_start"``, ``"from_room"``,
    ``"minutes"`` and ``"from_minutes"``. A retitled block is one removed and one added.
    Removed ones come first, then changed, then added, each group in time order. A first
    release (``old`` None) lists every block as added, as :func:`changelog` lists every
    session as new.
    """

    def shape(block: dict[str, Any]) -> tuple[Any, ...]:
        return (
            block["start_utc"],
            block["kind"],
            block["title"],
            block["duration_minutes"],
            block["room"],
        )

    def entry(change: str, block: dict[str, Any]) -> dict[str, Any]:
        return {
            "change": change,
            "title": block["title"],
            "start": block["start_utc"],
            "room": block["room"],
        }

    def by_time(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(blocks, key=lambda b: (b["start_utc"], b["title"]))

    old = old or []
    before, after = {shape(b) for b in old}, {shape(b) for b in new}
    gone = [b for b in old if shape(b) not in after]
    came = [b for b in new if shape(b) not in before]
    # Pair by id *and* title: SQLite reuses a deleted row's id for the next block, so an id
    # alone could pair a removed "Lunch" with an unrelated new "Coffee". Snapshots older than
    # block ids carry none: their blocks stay "removed" + "added".
    came_by_id = {(b["id"], b["title"]): b for b in came if b.get("id") is not None}
    changed = [
        (b, came_by_id[(b["id"], b["title"])])
        for b in gone
        if (b.get("id"), b["title"]) in came_by_id
    ]
    paired = {id(b) for pair in changed for b in pair}
    removed = [b for b in gone if id(b) not in paired]
    added = [b for b in came if id(b) not in paired]
    return (
        [entry("removed", b) for b in by_time(removed)]
        + [
            {
                **entry("changed", now),
                "from_start": was["start_utc"],
                "from_room": was["room"],
                "minutes": now["duration_minutes"],
                "from_minutes": was["duration_minutes"],
            }
            for was, now in sorted(changed, key=lambda p: (p[1]["start_utc"], p[1]["title"]))
        ]
        + [entry("added", b) for b in by_time(added)]
    )


# What "changed" entries of the changelog compare, besides time and room.
TEXT_FIELDS = ("title", "speakers", "abstract")


def changelog(old: ScheduleData | None, new: ScheduleData) -> dict[str, list[dict[str, Any]]]:
    """What changed from release ``old`` (None for the first) to ``new``, by session guid.

    Keys: ``new``, ``moved`` (start or length changed), ``room_changed``, ``changed`` (title,
    speakers or abstract edited: ``"fields"`` lists which, in :data:`TEXT_FIELDS` order, with
    ``"from_title"`` and ``"from_speakers"``/``"to_speakers"`` (names) when those changed;
    abstracts are only flagged, not copied), ``canceled``. A session can be in several of
    ``moved``, ``room_changed`` and ``changed``; ``title`` is always the new title. Times are
    ISO 8601 UTC strings. Lists are in ``new``'s time order (canceled ones in ``old``'s).
    Releases stored before ``changed`` existed simply lack the key.
    """
    before = {s.guid: s for s in old.sessions} if old is not None else {}
    log: dict[str, list[dict[str, Any]]] = {
        "new": [],
        "moved": [],
        "room_changed": [],
        "changed": [],
        "canceled": [],
    }
    seen = set()
    for session in new.sessions_sorted():
        seen.add(session.guid)
        entry = {"guid": session.guid, "title": session.title}
        was = before.get(session.guid)
        if was is None:
            log["new"].append({**entry, "start": _iso(session.start_utc), "room": session.room})
            continue
        if was.start_utc != session.start_utc or was.duration_minutes != session.duration_minutes:
            log["moved"].append(
                {
                    **entry,
                    "from_start": _iso(was.start_utc),
                    "to_start": _iso(session.start_utc),
                    "from_minutes": was.duration_minutes,
                    "to_minutes": session.duration_minutes,
                    "room": session.room,
                }
            )
        if was.room != session.room:
            log["room_changed"].append({**entry, "from_room": was.room, "to_room": session.room})
        if edited := _text_changes(was, session):
            log["changed"].append({**entry, **edited})
    if old is not None:
        log["canceled"] = [
            {"guid": s.guid, "title": s.title, "start": _iso(s.start_utc), "room": s.room}
            for s in old.sessions_sorted()
            if s.guid not in seen
        ]
    return log


def _text_changes(was: SessionData, now: SessionData) -> dict[str, Any]:
    """The ``changed`` entry's details for two versions of one session, or {} if none."""
    was_names = [person.name for person in was.persons]
    now_names = [person.name for person in now.persons]
    differs = {
        "title": was.title != now.title,
        "speakers": was_names != now_names,
        "abstract": was.abstract != now.abstract,
    }
    fields = [name for name in TEXT_FIELDS if differs[name]]
    if not fields:
        return {}
    details: dict[str, Any] = {"fields": fields}
    if differs["title"]:
        details["from_title"] = was.title
    if differs["speakers"]:
        details["from_speakers"] = was_names
        details["to_speakers"] = now_names
    return details


def next_release_version(event: Event) -> int:
    """The version number the next ``publish_release`` of ``event`` will get."""
    latest = db.session.scalar(
        select(func.max(ScheduleRelease.version)).where(ScheduleRelease.event_id == event.id)
    )
    return (latest or 0) + 1


def _latest_release(event: Event) -> ScheduleRelease | None:
    return db.session.scalars(
        select(ScheduleRelease)
        .where(ScheduleRelease.event_id == event.id)
        .order_by(ScheduleRelease.version.desc())
        .limit(1)
    ).first()


def _current_snapshot(event: Event, version: int) -> tuple[ScheduleData, dict[str, Any]]:
    """The working schedule as release ``version`` would store it: (data, snapshot dict)."""
    base_url = current_app.config.get("BASE_URL", "").rstrip("/")

    def session_url(submission: Submission) -> str | None:
        return f"{base_url}/{event.slug}/sessions/{submission.guid}" if base_url else None

    data = build_schedule_data(
        event, version=str(version), base_url=base_url or None, session_url=session_url
    )
    snapshot = data.to_dict()
    snapshot[BLOCKS_KEY] = _blocks(event)
    # Only when there are any, so releases of events without public answers stay as they were.
    answers = public_answers(event.id, (s.guid for s in data.sessions))
    if answers:
        snapshot[PUBLIC_ANSWERS_KEY] = answers
    return data, snapshot


def _same(stored: dict[str, Any], fresh: dict[str, Any]) -> bool:
    """Whether two snapshots are equal apart from their version label.

    ``stored`` went through the JSON column, ``fresh`` did not: compare both as JSON would
    give them back (tuples become lists), so a mere round trip never counts as a change.
    """

    def comparable(snapshot: dict[str, Any]) -> Any:
        return json.loads(json.dumps({k: v for k, v in snapshot.items() if k != "version"}))

    # nav: a release published under another BASE_URL is the same schedule at a new address.
    stored = rebase_snapshot(stored, str(fresh.get("conference", {}).get("base_url") or ""))
    return bool(comparable(stored) == comparable(fresh))


def _blocks(event: Event) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Slot.id, Slot.kind, Slot.title, Slot.start_at, Slot.end_at, Room.name)
        .outerjoin(Room, Room.id == Slot.room_id)
        .where(Slot.event_id == event.id, Slot.submission_id.is_(None))
        .order_by(Slot.start_at, Slot.id)
    ).all()
    return [
        {
            "id": row.id,
            "kind": row.kind,
            "title": row.title,
            "start_utc": _iso(row.start_at),
            "duration_minutes": int((row.end_at - row.start_at).total_seconds() // 60),
            "room": row.name,  # None: the block concerns every room
        }
        for row in rows
    ]


def _check_same_event(
    event: Event,
    *,
    submission: Submission | None = None,
    room: Room | None = None,
    slot: Slot | None = None,
) -> None:
    if submission is not None and submission.event_id != event.id:
        raise ScheduleError(_("that submission belongs to another event"), "submission_id")
    if room is not None and room.event_id != event.id:
        raise ScheduleError(_("that room belongs to another event"), "room_id")
    if slot is not None and slot.event_id != event.id:
        raise ScheduleError(_("that slot belongs to another event"))


def _check_version(slot: Slot, expected_version: int | None) -> None:
    if expected_version is not None and slot.version != expected_version:
        raise StaleSlotError(slot.id)


def _commit_versioned(slot_id: int) -> None:
    """Commit; a concurrent change that slipped in after our read becomes StaleSlotError."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleSlotError(slot_id) from None


def _aware_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ScheduleError(_("start time must carry a time zone"), "start")
    return value.astimezone(dt.UTC)


def _iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
