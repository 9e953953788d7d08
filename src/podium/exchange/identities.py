"""Identities in imported schedules: people, session guids, and values the database can hold.

Real schedules are messier than their formats promise: merged files (a congress's main
schedule plus sub-schedules from other tools) reuse a numeric person id for different people
and the same session guid for different sessions (a workshop held twice), and hostile or
broken files carry numbers and dates no database column holds. The importer
(``podium.exchange.services``) runs these checks on the parsed ``ScheduleData`` whatever
format it came from, so every parser is covered the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from collections import defaultdict

from flask_babel import gettext as _

from podium.exchange.errors import ScheduleImportError
from podium.exchange.normalize import MAX_DURATION_MINUTES, PODIUM_NAMESPACE
from podium.exchange.schedule_data import PersonData, ScheduleData, SessionData

__all__ = [
    "EARLIEST",
    "LATEST",
    "MAX_ID",
    "MAX_SESSION_MINUTES",
    "DuplicateGuid",
    "check_limits",
    "date_out_of_range",
    "distinct_persons",
    "guid_for_event",
    "id_out_of_range",
    "id_text_out_of_range",
    "person_key",
    "separate_duplicate_guids",
    "split_person_ids",
]

MAX_ID = 2**31 - 1
"""Largest session or person id kept (a 32-bit database integer); ids are at least 0."""
MIN_PERSON_ID = -(2**31)
"""Smallest person id kept (some exports number people below zero)."""
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2201, 1, 1, tzinfo=dt.UTC)
"""Instants before ``EARLIEST`` or from ``LATEST`` on are refused: no conference is there."""
MAX_SESSION_MINUTES = MAX_DURATION_MINUTES
"""Longest session kept: the parsers' limit, so every format refuses the same durations."""
MAX_CAPACITY = 1_000_000
"""Largest room capacity kept."""


@dataclasses.dataclass(frozen=True)
class DuplicateGuid:
    """A session whose guid an earlier session of the same file already had.

    ``guid`` is the shared guid, ``new_guid`` the one this occurrence was imported under,
    ``title`` and ``start_utc`` (aware UTC) say which occurrence it is.
    """

    guid: str
    new_guid: str
    title: str
    start_utc: dt.datetime

    def sentence(self) -> str:
        """One line for the import summary's warnings."""
        return _(
            "session %(guid)s (%(title)s at %(start)s UTC) repeats a guid used earlier in the "
            "file: imported as a separate session with guid %(new_guid)s",
            guid=self.guid,
            title=repr(self.title),
            start=self.start_utc.strftime("%Y-%m-%d %H:%M"),
            new_guid=self.new_guid,
        )


def person_key(person: PersonData) -> tuple[str, str]:
    """Who a person of an imported file is: ``("guid", guid)``, ``("id", "<id>-<hash>")``, or
    ``("name", name)``.

    Unlike ``PersonData.key`` an id alone does not identify: merged schedules reuse one
    numeric id for different people, so an id is the same person only together with the
    same name (compared without case or spacing differences; eight hex digits of its hash).
    """
    if person.guid:
        return ("guid", person.guid)
    if person.id is not None:
        folded = " ".join(person.name.casefold().split())
        digest = hashlib.blake2b(folded.encode(), digest_size=4).hexdigest()
        return ("id", f"{person.id}-{digest}")
    return ("name", person.name)


def distinct_persons(data: ScheduleData) -> list[PersonData]:
    """The file's people merged by ``person_key``, first seen first.

    Like ``ScheduleData.persons``: a person listed without a biography (or avatar) in one
    session and with one in another keeps it.
    """
    seen: dict[tuple[str, str], PersonData] = {}
    for session in data.sessions:
        for person in session.persons:
            key = person_key(person)
            known = seen.get(key)
            if known is None:
                seen[key] = person
            elif not known.biography and person.biography:
                seen[key] = dataclasses.replace(person, avatar=person.avatar or known.avatar)
            elif not known.avatar and person.avatar:
                seen[key] = dataclasses.replace(known, avatar=person.avatar)
    return list(seen.values())


def split_person_ids(data: ScheduleData) -> dict[int, list[str]]:
    """Person ids the file gives to more than one person: ``{id: [names, first seen first]}``.

    Only people without a guid count (a guid identifies on its own); names that differ only
    in case or spacing are the same name (``person_key``).
    """
    names: dict[int, dict[tuple[str, str], str]] = defaultdict(dict)
    for session in data.sessions:
        for person in session.persons:
            if not person.guid and person.id is not None:
                names[person.id].setdefault(person_key(person), person.name)
    return {pid: list(found.values()) for pid, found in names.items() if len(found) > 1}


def separate_duplicate_guids(data: ScheduleData) -> tuple[ScheduleData, list[DuplicateGuid]]:
    """Give every session after the first with the same guid a guid of its own.

    The new guid is a UUIDv5 of the shared guid and the occurrence's start instant, so the
    same file always yields the same guids and a re-import updates these sessions rather than
    duplicating them; occurrences that also share their start add their rank in the file.
    Returns the data (unchanged when no guid repeats) and every repeated occurrence, in file
    order.
    """
    taken = {s.guid for s in data.sessions}
    if len(taken) == len(data.sessions):
        return data, []
    seen: set[str] = set()
    repeats: list[DuplicateGuid] = []
    sessions: list[SessionData] = []
    for session in data.sessions:
        if session.guid not in seen:
            seen.add(session.guid)
            sessions.append(session)
            continue
        base = f"podium/duplicate/{session.guid}/{session.start_utc.isoformat()}"
        new_guid, rank = str(uuid.uuid5(PODIUM_NAMESPACE, base)), 1
        while new_guid in taken:
            rank += 1
            new_guid = str(uuid.uuid5(PODIUM_NAMESPACE, f"{base}/{rank}"))
        taken.add(new_guid)
        seen.add(new_guid)
        repeats.append(DuplicateGuid(session.guid, new_guid, session.title, session.start_utc))
        sessions.append(dataclasses.replace(session, guid=new_guid))
    return data.replace(sessions=tuple(sessions)), repeats


def guid_for_event(guid: str, event_id: int) -> str:
    """The guid a session of another event gets when its file is imported into ``event_id``.

    A UUIDv5 of both, so importing the same file into the same event again finds the same
    sessions (and updates them).
    """
    return str(uuid.uuid5(PODIUM_NAMESPACE, f"podium/event/{event_id}/session/{guid}"))


def id_out_of_range(value: int, *, person: bool = False) -> str | None:
    """Why ``value`` cannot be a session (or person) id, or None when it can."""
    low = MIN_PERSON_ID if person else 0
    if low <= value <= MAX_ID:
        return None
    if len(str(value)) > 30:
        return _(
            "a number of %(digits)s digits is out of range (ids run from %(low)s to %(high)s)",
            digits=len(str(value)),
            low=low,
            high=MAX_ID,
        )
    return _(
        "%(value)s is out of range (ids run from %(low)s to %(high)s)",
        value=str(value),
        low=low,
        high=MAX_ID,
    )


def id_text_out_of_range(text: str, *, person: bool = False) -> str | None:
    """``id_out_of_range`` for an id still in text form (decimal digits, maybe a ``-``).

    Checked on the text first: ``int()`` refuses more than 4300 digits with a ValueError
    that names no field.
    """
    digits = text.strip().lstrip("-")
    if len(digits) <= 20:
        return id_out_of_range(int(text), person=person)
    low = MIN_PERSON_ID if person else 0
    return _(
        "a number of %(digits)s digits is out of range (ids run from %(low)s to %(high)s)",
        digits=len(digits),
        low=low,
        high=MAX_ID,
    )


def date_out_of_range(value: dt.date | dt.datetime) -> str | None:
    """Why a date or instant is not one a conference can have, or None when it can."""
    if EARLIEST.date() <= _date(value) < LATEST.date():
        return None
    return _(
        "%(value)s is out of range (dates run from %(first)s to %(last)s)",
        value=value.isoformat(),
        first=EARLIEST.year,
        last=LATEST.year - 1,
    )


def _date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def check_limits(data: ScheduleData) -> None:
    """Refuse values no database column holds, whatever parser produced ``data``.

    Raises ``ScheduleImportError`` naming the field and the session (guid and title) or room
    of the first out-of-range value: a session id outside 0..``MAX_ID``, a person id outside
    ``MIN_PERSON_ID``..``MAX_ID``, a start outside ``EARLIEST``..``LATEST`` (or an end after
    it), a duration over ``MAX_SESSION_MINUTES``, a room capacity outside 0..``MAX_CAPACITY``.
    """
    conf = data.conference
    for what, day in (("start date", conf.start_date), ("end date", conf.end_date)):
        problem = date_out_of_range(day)
        if problem:
            raise ScheduleImportError(problem, element=f"conference {what}")
    for room in data.rooms:
        if room.capacity is not None and not 0 <= room.capacity <= MAX_CAPACITY:
            raise ScheduleImportError(
                _(
                    "%(value)s is out of range (0 to %(max)s)",
                    value=room.capacity,
                    max=MAX_CAPACITY,
                ),
                element=f"room {room.name!r} capacity",
            )
    for session in data.sessions:
        _check_session(session)


def _check_session(session: SessionData) -> None:
    where = f"session {session.guid} ({session.title[:80]!r})"
    problem = id_out_of_range(session.id)
    if problem:
        raise ScheduleImportError(problem, element=f"{where} id")
    problem = date_out_of_range(session.start_utc)
    if problem:
        raise ScheduleImportError(problem, element=f"{where} start")
    if session.duration_minutes > MAX_SESSION_MINUTES:
        raise ScheduleImportError(
            _(
                "%(minutes)s minutes is longer than the limit of %(max)s minutes (%(days)s days)",
                minutes=session.duration_minutes,
                max=MAX_SESSION_MINUTES,
                days=MAX_SESSION_MINUTES // 1440,
            ),
            element=f"{where} duration",
        )
    problem = date_out_of_range(session.end_utc)
    if problem:
        raise ScheduleImportError(problem, element=f"{where} end")
    for person in session.persons:
        problem = id_out_of_range(person.id, person=True) if person.id is not None else None
        if problem:
            raise ScheduleImportError(problem, element=f"{where} person {person.name!r} id")
