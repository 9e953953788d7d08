"""A person's agenda computed from a release (no database access): their starred sessions in
time order, which of them overlap, and what the latest release changed about them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from podium.exchange.schedule_data import SessionData
from podium.program.timeline import ProgramData

MOVED = "moved"
ROOM_CHANGED = "room_changed"
CANCELED = "canceled"


@dataclass(frozen=True)
class AgendaEntry:
    """One starred session.

    ``session`` is None when the session is no longer in the program (``change`` is then
    ``"canceled"``; ``title``/``start_utc``/``room`` come from the release's changelog when it
    canceled the session, else they are empty/None). ``changes`` lists what the latest release
    changed (``"moved"``, ``"room_changed"``, ``"canceled"``); ``was_start_utc``/``was_room``
    say what it was before. ``overlaps`` are the titles of other starred sessions running at
    the same time. Instants are aware UTC.
    """

    guid: str
    title: str
    start_utc: dt.datetime | None
    end_utc: dt.datetime | None
    room: str
    session: SessionData | None
    changes: tuple[str, ...] = ()
    was_start_utc: dt.datetime | None = None
    was_room: str | None = None
    overlaps: tuple[str, ...] = ()

    @property
    def canceled(self) -> bool:
        """True when the session is no longer in the program."""
        return self.session is None


def build_agenda(
    program: ProgramData, starred: Iterable[str], changelog: Mapping[str, Any]
) -> list[AgendaEntry]:
    """The agenda of ``starred`` guids in ``program`` (the latest release, whose changelog
    against the previous one is ``changelog``).

    Sessions come in start order (ties by room, title); sessions the program no longer has
    follow where they used to be, or at the end when their time is unknown.
    """
    wanted = set(starred)
    present = sorted(
        (program.sessions_by_guid[g] for g in wanted if g in program.sessions_by_guid),
        key=lambda s: (s.start_utc, program.room_order.get(s.room, 0), s.title, s.guid),
    )
    overlaps = _overlaps(present)
    moved = {e["guid"]: e for e in changelog.get(MOVED, ())}
    rooms = {e["guid"]: e for e in changelog.get(ROOM_CHANGED, ())}
    entries = [
        AgendaEntry(
            guid=s.guid,
            title=s.title,
            start_utc=s.start_utc,
            end_utc=s.end_utc,
            room=s.room,
            session=s,
            changes=tuple(
                kind for kind, seen in ((MOVED, moved), (ROOM_CHANGED, rooms)) if s.guid in seen
            ),
            was_start_utc=_instant(moved[s.guid]["from_start"]) if s.guid in moved else None,
            was_room=rooms[s.guid]["from_room"] if s.guid in rooms else None,
            overlaps=overlaps.get(s.guid, ()),
        )
        for s in present
    ]
    entries.extend(_gone(wanted - program.sessions_by_guid.keys(), changelog))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    # sorted() is stable: present sessions keep their order among equal start times.
    return sorted(entries, key=lambda e: e.start_utc or far)


def feed_sessions(program: ProgramData, starred: Iterable[str]) -> list[SessionData]:
    """The starred sessions still in ``program``, in start order (canceled ones drop out)."""
    wanted = set(starred)
    return [s for s in program.data.sessions_sorted() if s.guid in wanted]


def _overlaps(sessions: list[SessionData]) -> dict[str, tuple[str, ...]]:
    """For each session (sorted by start), the titles of the others it shares time with."""
    found: dict[str, list[str]] = {}
    running: list[SessionData] = []
    for session in sessions:
        running = [r for r in running if r.end_utc > session.start_utc]
        for other in running:
            found.setdefault(session.guid, []).append(other.title)
            found.setdefault(other.guid, []).append(session.title)
        running.append(session)
    return {guid: tuple(titles) for guid, titles in found.items()}


def _gone(guids: set[str], changelog: Mapping[str, Any]) -> list[AgendaEntry]:
    canceled = {e["guid"]: e for e in changelog.get(CANCELED, ())}
    entries = []
    for guid in sorted(guids):
        known = canceled.get(guid)
        entries.append(
            AgendaEntry(
                guid=guid,
                title=known["title"] if known else "",
                start_utc=_instant(known["start"]) if known else None,
                end_utc=None,
                room=(known.get("room") or "") if known else "",
                session=None,
                changes=(CANCELED,) if known else (),
            )
        )
    return entries


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)
