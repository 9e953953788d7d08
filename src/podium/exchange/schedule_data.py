"""A neutral, database-independent picture of a published schedule.

Every exchange format (frab/pentabarf XML, schedule JSON, iCalendar) is parsed into and
written from these frozen dataclasses, and a schedule release stores ``ScheduleData.to_dict()``
as its JSON snapshot. ``ScheduleData.from_dict(data.to_dict()) == data`` always holds.

Time conventions:
- every instant (``SessionData.start_utc``, ``DayData.start_utc``) is an aware UTC datetime;
- ``Conference.time_zone`` is an IANA zone name (``Europe/Brussels``; files that give only
  offsets get a fixed-offset ``Etc/GMT-1`` style name or ``UTC``);
- conference days are local dates in that zone; a day runs from ``day_change`` local time to
  the next day's ``day_change``, so a session starting at 01:30 with ``day_change`` "04:00"
  belongs to the previous day;
- durations are whole minutes.

Collections are tuples (immutable, hashable); they iterate and index like lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SNAPSHOT_FORMAT = "podium.schedule/1"

Link = tuple[str, str]
"""A link or attachment: ``(title, url)``; the URL may be relative to the base URL."""


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """Return the ``ZoneInfo`` for an IANA name; raise ``ValueError`` for an unknown name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def parse_hhmm(value: str) -> dt.time:
    """Parse ``"HH:MM"`` or ``"HH:MM:SS"`` (a local wall-clock time); raise ``ValueError``."""
    parts = value.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise ValueError(f"{value!r} is not HH:MM")
    return dt.time(*(int(p) for p in parts))


def _aware_utc(value: dt.datetime, what: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {value!r}")
    return value.astimezone(dt.UTC)


def _utc_iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _from_iso(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC)


@dataclass(frozen=True)
class PersonData:
    """A speaker as a schedule names them.

    ``id`` is the source system's integer id, ``guid`` its UUID string; either, both or neither
    may be known. ``key`` is the identity used to merge the same person across sessions.
    ``avatar`` is the absolute http(s) URL of the speaker's picture, or None (no picture, or a
    source that gave none); it is not part of the identity.
    """

    name: str
    id: int | None = None
    guid: str | None = None
    biography: str = ""
    avatar: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Identity: ``("guid", guid)``, else ``("id", str(id))``, else ``("name", name)``."""
        if self.guid:
            return ("guid", self.guid)
        if self.id is not None:
            return ("id", str(self.id))
        return ("name", self.name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict; inverse of ``from_dict``.

        ``avatar`` is written only when set, so a snapshot of a schedule without pictures is
        the same as before avatars existed (and does not count as a change to publish).
        """
        result: dict[str, Any] = {
            "name": self.name,
            "id": self.id,
            "guid": self.guid,
            "biography": self.biography,
        }
        if self.avatar:
            result["avatar"] = self.avatar
        return result

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PersonData:
        """Build from ``to_dict()`` output (snapshots older than avatars have no ``avatar``)."""
        return cls(
            name=data["name"],
            id=data.get("id"),
            guid=data.get("guid"),
            biography=data.get("biography") or "",
            avatar=data.get("avatar") or None,
        )


@dataclass(frozen=True)
class RoomData:
    """A room: its display name (the key sessions refer to), optional UUID and capacity."""

    name: str
    guid: str | None = None
    capacity: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict; inverse of ``from_dict``."""
        return {"name": self.name, "guid": self.guid, "capacity": self.capacity}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoomData:
        """Build from ``to_dict()`` output."""
        return cls(name=data["name"], guid=data.get("guid"), capacity=data.get("capacity"))


@dataclass(frozen=True)
class TrackData:
    """A track: name, optional slug and ``#rrggbb`` colour."""

    name: str
    slug: str | None = None
    color: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict; inverse of ``from_dict``."""
        return {"name": self.name, "slug": self.slug, "color": self.color}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrackData:
        """Build from ``to_dict()`` output."""
        return cls(name=data["name"], slug=data.get("slug"), color=data.get("color"))


@dataclass(frozen=True)
class SessionData:
    """One scheduled session (a frab "event").

    ``guid`` is a UUID string, unique across systems; ``id`` the source's integer id.
    ``start_utc`` is an aware UTC datetime, ``duration_minutes`` whole minutes (may be 0).
    ``room`` is a ``RoomData.name``; ``track`` and ``session_type`` are names (or None/"").
    ``abstract`` and ``description`` are Markdown or plain text as the source gave them.
    ``links`` and ``attachments`` are ``(title, url)`` pairs.
    """

    guid: str
    id: int
    title: str
    start_utc: dt.datetime
    duration_minutes: int
    room: str
    slug: str = ""
    subtitle: str = ""
    abstract: str = ""
    description: str = ""
    track: str | None = None
    session_type: str = ""
    language: str | None = None
    persons: tuple[PersonData, ...] = ()
    links: tuple[Link, ...] = ()
    attachments: tuple[Link, ...] = ()
    do_not_record: bool = False
    url: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start_utc", _aware_utc(self.start_utc, "start_utc"))
        if self.duration_minutes < 0:
            raise ValueError(f"duration_minutes must be >= 0, got {self.duration_minutes}")
        # Accept lists from callers but store tuples so instances stay hashable and immutable.
        object.__setattr__(self, "persons", tuple(self.persons))
        object.__setattr__(self, "links", tuple((str(t), str(u)) for t, u in self.links))
        object.__setattr__(
            self, "attachments", tuple((str(t), str(u)) for t, u in self.attachments)
        )

    @property
    def end_utc(self) -> dt.datetime:
        """End instant (UTC): start plus duration."""
        return self.start_utc + dt.timedelta(minutes=self.duration_minutes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (UTC instants as ISO 8601 with ``Z``); inverse of ``from_dict``."""
        return {
            "guid": self.guid,
            "id": self.id,
            "title": self.title,
            "start_utc": _utc_iso(self.start_utc),
            "duration_minutes": self.duration_minutes,
            "room": self.room,
            "slug": self.slug,
            "subtitle": self.subtitle,
            "abstract": self.abstract,
            "description": self.description,
            "track": self.track,
            "session_type": self.session_type,
            "language": self.language,
            "persons": [p.to_dict() for p in self.persons],
            "links": [list(link) for link in self.links],
            "attachments": [list(a) for a in self.attachments],
            "do_not_record": self.do_not_record,
            "url": self.url,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionData:
        """Build from ``to_dict()`` output."""
        return cls(
            guid=data["guid"],
            id=data["id"],
            title=data["title"],
            start_utc=_from_iso(data["start_utc"]),
            duration_minutes=data["duration_minutes"],
            room=data["room"],
            slug=data.get("slug") or "",
            subtitle=data.get("subtitle") or "",
            abstract=data.get("abstract") or "",
            description=data.get("description") or "",
            track=data.get("track"),
            session_type=data.get("session_type") or "",
            language=data.get("language"),
            persons=tuple(PersonData.from_dict(p) for p in data.get("persons", ())),
            links=tuple((t, u) for t, u in data.get("links", ())),
            attachments=tuple((t, u) for t, u in data.get("attachments", ())),
            do_not_record=bool(data.get("do_not_record", False)),
            url=data.get("url"),
        )


@dataclass(frozen=True)
class Conference:
    """The conference edition a schedule belongs to.

    ``slug`` is the acronym (``fosdem-2025``). ``time_zone`` an IANA name. ``start_date`` and
    ``end_date`` are the first and last conference days (local dates, inclusive).
    ``day_change`` is the local "HH:MM" at which one conference day ends and the next begins.
    """

    title: str
    slug: str
    time_zone: str
    start_date: dt.date
    end_date: dt.date
    day_change: str = "00:00"
    url: str | None = None
    base_url: str | None = None

    def __post_init__(self) -> None:
        zone(self.time_zone)  # fail early on an unknown zone
        change = parse_hhmm(self.day_change)
        object.__setattr__(self, "day_change", f"{change.hour:02d}:{change.minute:02d}")
        if self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")

    @property
    def tz(self) -> ZoneInfo:
        """The conference zone."""
        return zone(self.time_zone)

    @property
    def day_change_time(self) -> dt.time:
        """``day_change`` as a ``datetime.time``."""
        return parse_hhmm(self.day_change)

    def day_start_utc(self, day: dt.date) -> dt.datetime:
        """UTC instant at which conference day ``day`` (a local date) begins."""
        local = dt.datetime.combine(day, self.day_change_time, tzinfo=self.tz)
        return local.astimezone(dt.UTC)

    def day_of(self, instant: dt.datetime) -> dt.date:
        """Conference day (local date) an aware instant belongs to, honouring ``day_change``."""
        local = instant.astimezone(self.tz)
        if local.time() < self.day_change_time:
            return local.date() - dt.timedelta(days=1)
        return local.date()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict; inverse of ``from_dict``."""
        return {
            "title": self.title,
            "slug": self.slug,
            "time_zone": self.time_zone,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "day_change": self.day_change,
            "url": self.url,
            "base_url": self.base_url,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Conference:
        """Build from ``to_dict()`` output."""
        return cls(
            title=data["title"],
            slug=data["slug"],
            time_zone=data["time_zone"],
            start_date=dt.date.fromisoformat(data["start_date"]),
            end_date=dt.date.fromisoformat(data["end_date"]),
            day_change=data.get("day_change") or "00:00",
            url=data.get("url"),
            base_url=data.get("base_url"),
        )


@dataclass(frozen=True)
class DayData:
    """One conference day: 1-based ``index``, local ``date``, and its UTC bounds [start, end)."""

    index: int
    date: dt.date
    start_utc: dt.datetime
    end_utc: dt.datetime


@dataclass(frozen=True)
class ScheduleData:
    """A whole published schedule: conference, rooms (in display order), sessions, tracks.

    ``version`` is the schedule's version label as the source gave it (free text).
    Sessions are kept in the order given; use ``sessions_sorted()`` for time order.
    """

    conference: Conference
    rooms: tuple[RoomData, ...] = ()
    sessions: tuple[SessionData, ...] = ()
    tracks: tuple[TrackData, ...] = ()
    version: str = ""
    _persons: tuple[PersonData, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "rooms", tuple(self.rooms))
        object.__setattr__(self, "sessions", tuple(self.sessions))
        object.__setattr__(self, "tracks", tuple(self.tracks))

    @property
    def persons(self) -> tuple[PersonData, ...]:
        """Distinct speakers across all sessions (merged by ``PersonData.key``), first seen first.

        A person listed without a biography (or avatar) in one session and with one in another
        keeps it.
        """
        if self._persons is None:
            seen: dict[tuple[str, str], PersonData] = {}
            for session in self.sessions:
                for person in session.persons:
                    known = seen.get(person.key)
                    if known is None:
                        seen[person.key] = person
                    elif not known.biography and person.biography:
                        avatar = person.avatar or known.avatar
                        seen[person.key] = dataclasses.replace(person, avatar=avatar)
                    elif not known.avatar and person.avatar:
                        seen[person.key] = dataclasses.replace(known, avatar=person.avatar)
            object.__setattr__(self, "_persons", tuple(seen.values()))
        return self._persons  # type: ignore[return-value]

    def days(self, *, cover_sessions: bool = False) -> list[DayData]:
        """Conference days from ``start_date`` to ``end_date`` with UTC bounds.

        Each day runs from its ``day_change`` to the next day's (so a DST change makes a day
        23 or 25 hours long). With ``cover_sessions`` the range is widened to include the day
        of every session (exports use this so no session falls outside every day).
        """
        conf = self.conference
        first, last = conf.start_date, conf.end_date
        if cover_sessions and self.sessions:
            session_days = {self.day_of(s) for s in self.sessions}
            first, last = min(first, *session_days), max(last, *session_days)
        count = (last - first).days + 1
        dates = [first + dt.timedelta(days=i) for i in range(count + 1)]
        starts = [conf.day_start_utc(d) for d in dates]
        return [
            DayData(index=i + 1, date=dates[i], start_utc=starts[i], end_utc=starts[i + 1])
            for i in range(count)
        ]

    def day_of(self, session: SessionData) -> dt.date:
        """Conference day (local date) a session belongs to, honouring ``day_change``."""
        return self.conference.day_of(session.start_utc)

    def sessions_sorted(self) -> list[SessionData]:
        """Sessions ordered by start, then room order, then guid."""
        order = {room.name: i for i, room in enumerate(self.rooms)}
        return sorted(
            self.sessions, key=lambda s: (s.start_utc, order.get(s.room, len(order)), s.guid)
        )

    def sessions_by_day_and_room(self) -> dict[dt.date, dict[str, list[SessionData]]]:
        """``{day: {room name: [sessions by start]}}`` for every day in ``days()``.

        Rooms appear in ``rooms`` order; each day lists only rooms with sessions that day.
        Sessions on a day outside ``start_date..end_date`` get a key of their own.
        """
        result: dict[dt.date, dict[str, list[SessionData]]] = {d.date: {} for d in self.days()}
        for session in self.sessions_sorted():
            rooms = result.setdefault(self.day_of(session), {})
            rooms.setdefault(session.room, []).append(session)
        order = {room.name: i for i, room in enumerate(self.rooms)}
        return {
            day: dict(sorted(rooms.items(), key=lambda kv: order.get(kv[0], len(order))))
            for day, rooms in sorted(result.items())
        }

    def all_rooms(self) -> list[RoomData]:
        """``rooms`` plus a bare ``RoomData`` for any room a session names that is not listed."""
        known = {room.name for room in self.rooms}
        extra = dict.fromkeys(s.room for s in self.sessions if s.room not in known)
        return [*self.rooms, *(RoomData(name=name) for name in extra)]

    def session_by_guid(self, guid: str) -> SessionData | None:
        """The session with this guid, or None."""
        return next((s for s in self.sessions if s.guid == guid), None)

    def iter_person_sessions(self, person: PersonData) -> Iterator[SessionData]:
        """Sessions in which ``person`` (matched by ``key``) speaks, in time order."""
        for session in self.sessions_sorted():
            if any(p.key == person.key for p in session.persons):
                yield session

    def replace(self, **changes: Any) -> ScheduleData:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (``json.dumps``-able as is); ``from_dict`` restores an equal value."""
        return {
            "format": SNAPSHOT_FORMAT,
            "version": self.version,
            "conference": self.conference.to_dict(),
            "rooms": [r.to_dict() for r in self.rooms],
            "tracks": [t.to_dict() for t in self.tracks],
            "sessions": [s.to_dict() for s in self.sessions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScheduleData:
        """Build from ``to_dict()`` output; raise ``ValueError`` for another format tag."""
        if data.get("format", SNAPSHOT_FORMAT) != SNAPSHOT_FORMAT:
            raise ValueError(f"unsupported schedule snapshot format {data.get('format')!r}")
        return cls(
            conference=Conference.from_dict(data["conference"]),
            rooms=tuple(RoomData.from_dict(r) for r in data.get("rooms", ())),
            sessions=tuple(SessionData.from_dict(s) for s in data.get("sessions", ())),
            tracks=tuple(TrackData.from_dict(t) for t in data.get("tracks", ())),
            version=data.get("version") or "",
        )
