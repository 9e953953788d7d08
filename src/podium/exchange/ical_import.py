"""iCalendar (RFC 5545) import: a calendar of sessions into ``ScheduleData``.

Each VEVENT is a session: SUMMARY the title, DTSTART/DTEND (or DURATION) its time, LOCATION
the room, the first CATEGORIES value the track, UID the guid (a UUIDv5 of it when it is not
a UUID), URL its page, DESCRIPTION the abstract. Speakers come from the CN of ORGANIZER and
ATTENDEE properties (an ORGANIZER named on every event is the calendar's owner and is not a
speaker), else from ``Speaker:``/``Speakers:`` lines of DESCRIPTION (the form
Podium's own export and pretalx write), which are then removed from the abstract.

Real calendar exports bend RFC 5545; what schedule apps accept is accepted here too, by
repairing the bytes before the ``icalendar`` library parses them:

- ``\\r\\r\\n`` (and bare ``\\n``) line ends;
- lines folded in the middle of a multi-byte UTF-8 character: lines are unfolded as bytes
  first and decoded after (Windows-1252 when the result is not UTF-8);
- vCard-style ``;CHARSET=UTF-8`` and ``;ENCODING=8BIT`` parameters, which iCalendar does not
  have, are dropped;
- lines longer than 75 octets are read as they are;
- ``TZID=`` parameters without a VTIMEZONE block resolve to the IANA (or Windows) zone of
  that name; an unknown one means the calendar's zone.

The conference zone is the ``time_zone`` argument, else ``X-WR-TIMEZONE``, else the most
common TZID, else the one UTC offset all times share; ``ScheduleImportError`` otherwise.
All-day events (DATE values) are not sessions: they are left out with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import icalendar
from flask_babel import gettext as _
from flask_babel import ngettext

from podium.exchange.errors import ScheduleImportError
from podium.exchange.normalize import (
    clean_line,
    clean_text,
    derive_day_change,
    normalize_acronym,
    normalize_guid,
    room_guid,
    session_slug,
    zone_name_for_offsets,
)
from podium.exchange.schedule_data import (
    Conference,
    PersonData,
    RoomData,
    ScheduleData,
    SessionData,
    TrackData,
    zone,
)

__all__ = ["parse_ical", "repair_ical_bytes"]

NO_ROOM = "Unassigned"
"""Room name for events without a LOCATION."""

_LINE_END = re.compile(rb"\r*\n|\r")
_VCARD_PARAM = re.compile(rb";(?:CHARSET|ENCODING)=[^;:]*(?=[;:])", re.IGNORECASE)
_NAME_PART = re.compile(rb"^[A-Za-z0-9-]+(?:;[^:]*)?:")
_SPEAKER_LINE = re.compile(r"^\s*(?:speakers?|referent(?:en)?|presenters?)\s*:\s*(.+)$", re.I)
_MAX_DURATION = dt.timedelta(days=14)


def repair_ical_bytes(raw: bytes) -> str:
    """The calendar as text the ``icalendar`` library reads: see the module docstring.

    Line ends become CRLF, folds are undone on the bytes, vCard parameters are dropped from
    property names, and the result is decoded (UTF-8, else Windows-1252).
    """
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    lines: list[bytes] = []
    for line in _LINE_END.split(raw):
        if line[:1] in (b" ", b"\t") and lines:
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    repaired = []
    for line in lines:
        name = _NAME_PART.match(line)
        if name and b";" in name.group(0):
            head = _VCARD_PARAM.sub(b"", name.group(0))
            line = head + line[name.end() :]
        repaired.append(line)
    data = b"\r\n".join(repaired) + b"\r\n"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_ical(source: bytes | str, *, time_zone: str | None = None) -> ScheduleData:
    """Parse an iCalendar file of sessions into ``ScheduleData``.

    Args:
        source: the calendar file (bytes as uploaded, or text).
        time_zone: an IANA zone for the conference (overrides what the file suggests).

    Raises:
        ScheduleImportError: the text is not iCalendar, holds no timed VEVENT, or no zone
            can be found; the message names the property.
    """
    raw = source.encode("utf-8") if isinstance(source, str) else bytes(source)
    text = repair_ical_bytes(raw)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise ScheduleImportError(
            _("not readable iCalendar: %(reason)s", reason=str(exc)), element="VCALENDAR"
        ) from exc
    if isinstance(calendar, list):  # several VCALENDAR blocks: read the first
        calendar = calendar[0]
    return _Reader(calendar, time_zone).read()


class _Reader:
    def __init__(self, calendar: icalendar.Calendar, time_zone: str | None) -> None:
        self.calendar = calendar
        self.events = list(calendar.walk("VEVENT"))
        self.warnings: list[str] = []
        # An ORGANIZER on every event is the calendar's owner (the conference), not a speaker.
        organizers = Counter(
            name for event in self.events for name in _names(event.get("ORGANIZER"))
        )
        self.owners = {
            name
            for name, count in organizers.items()
            if len(self.events) > 1 and count == len(self.events)
        }
        self.zone_name = self._zone_name(time_zone)
        self.tz = zone(self.zone_name)

    def read(self) -> ScheduleData:
        title = clean_line(str(self.calendar.get("X-WR-CALNAME") or "")) or "Imported calendar"
        acronym = normalize_acronym(title)
        sessions: list[SessionData] = []
        all_day = 0
        guids: set[str] = set()
        for index, event in enumerate(self.events):
            start = self._when(event.get("DTSTART"), f"VEVENT {index + 1} DTSTART")
            if start is None:
                all_day += 1
                continue
            session = self._session(event, index, start, acronym)
            if session.guid in guids:
                raise ScheduleImportError(
                    _("UID %(uid)s is used by two events", uid=repr(str(event.get("UID")))),
                    element="UID",
                )
            guids.add(session.guid)
            sessions.append(session)
        if all_day:
            self.warnings.append(
                ngettext(
                    "%(num)d all-day event (no time of day) is not a session and was left out",
                    "%(num)d all-day events (no time of day) are not sessions and were left out",
                    all_day,
                )
            )
        if not sessions:
            raise ScheduleImportError(
                _(
                    "the calendar holds %(n)s VEVENTs but none with a time of day; there is "
                    "nothing to schedule",
                    n=len(self.events),
                ),
                element="VEVENT",
            )
        change = derive_day_change(())
        dates = [s.start_utc.astimezone(self.tz).date() for s in sessions]
        rooms = dict.fromkeys(s.room for s in sessions)
        tracks = dict.fromkeys(s.track for s in sessions if s.track)
        return ScheduleData(
            conference=Conference(
                title=title,
                slug=acronym,
                time_zone=self.zone_name,
                start_date=min(dates),
                end_date=max(dates),
                day_change=change.strftime("%H:%M"),
                url=None,
                base_url=None,
            ),
            rooms=tuple(
                RoomData(name=r, guid=room_guid(None, acronym=acronym, name=r)) for r in rooms
            ),
            sessions=tuple(sessions),
            tracks=tuple(TrackData(name=t) for t in tracks if t),
            warnings=tuple(self.warnings),
        )

    def _zone_name(self, override: str | None) -> str:
        candidates = [override, str(self.calendar.get("X-WR-TIMEZONE") or "").strip() or None]
        tzids = Counter(
            str(prop.params.get("TZID"))
            for event in self.events
            if (prop := event.get("DTSTART")) is not None and prop.params.get("TZID")
        )
        candidates += [name for name, _ in tzids.most_common()]
        for name in candidates:
            if name:
                try:
                    zone(name)
                except ValueError:
                    if name == override:
                        raise ScheduleImportError(
                            _("%(name)s is not an IANA time zone name", name=repr(name)),
                            element="time zone",
                        ) from None
                    continue
                return name
        offsets = []
        for event in self.events:
            value = getattr(event.get("DTSTART"), "dt", None)
            if isinstance(value, dt.datetime) and value.utcoffset() is not None:
                offsets.append(value.utcoffset())
        derived = zone_name_for_offsets(offsets)
        if derived:
            return derived
        raise ScheduleImportError(
            _(
                "the calendar names no time zone (no X-WR-TIMEZONE, no TZID) and its times do "
                "not determine one; choose the conference's time zone"
            ),
            element="VCALENDAR",
        )

    def _when(self, prop: Any, what: str) -> dt.datetime | None:
        value = getattr(prop, "dt", None)
        if value is None:
            raise ScheduleImportError(_("missing or unreadable"), element=what)
        if not isinstance(value, dt.datetime):
            return None  # a DATE: an all-day event
        if value.tzinfo is None or value.utcoffset() is None:
            # Floating time, or a TZID nobody knows: the conference's wall clock.
            value = value.replace(tzinfo=self.tz)
        return value.astimezone(dt.UTC)

    def _session(
        self, event: icalendar.Event, index: int, start: dt.datetime, acronym: str
    ) -> SessionData:
        what = f"VEVENT {index + 1}"
        end = None
        if event.get("DTEND") is not None:
            end = self._when(event.get("DTEND"), f"{what} DTEND")
        elif event.get("DURATION") is not None:
            end = start + event.get("DURATION").dt
        length = (end - start) if end is not None else dt.timedelta(0)
        if length < dt.timedelta(0):
            raise ScheduleImportError(_("ends before it starts"), element=f"{what} DTEND")
        if length > _MAX_DURATION:
            raise ScheduleImportError(
                _("lasts %(length)s; a session lasts at most 14 days", length=str(length)),
                element=f"{what} DTEND",
            )
        title = clean_line(str(event.get("SUMMARY") or ""))
        if not title:
            raise ScheduleImportError(_("the event has no SUMMARY"), element=f"{what} SUMMARY")
        if event.get("RRULE") is not None:
            self.warnings.append(
                _(
                    "%(title)s repeats (RRULE); only its first time was imported",
                    title=repr(title[:80]),
                )
            )
        description, named = _split_speakers(clean_text(str(event.get("DESCRIPTION") or "")))
        persons = [
            PersonData(name=name)
            for name in dict.fromkeys(
                [
                    *(n for n in _names(event.get("ORGANIZER")) if n not in self.owners),
                    *_names(event.get("ATTENDEE")),
                ]
            )
        ] or [PersonData(name=n) for n in named]
        uid = str(event.get("UID") or "").strip()
        local_id = index + 1
        room = clean_line(str(event.get("LOCATION") or "")) or NO_ROOM
        url = str(event.get("URL") or "").strip() or None
        return SessionData(
            guid=normalize_guid(uid, fallback_name=f"ical/{uid or acronym + str(local_id)}"),
            id=local_id,
            title=title,
            start_utc=start,
            duration_minutes=round(length.total_seconds() / 60),
            room=room,
            slug=session_slug(None, acronym=acronym, local_id=local_id, title=title),
            abstract=description,
            track=_first_category(event.get("CATEGORIES")),
            persons=tuple(persons),
            url=url,
        )


def _split_speakers(description: str) -> tuple[str, list[str]]:
    """``(description without speaker lines, names those lines list)``."""
    kept, names = [], []
    for line in description.split("\n"):
        match = _SPEAKER_LINE.match(line)
        if match:
            names += [clean_line(n) for n in re.split(r",|;| and ", match.group(1)) if n.strip()]
        else:
            kept.append(line)
    return "\n".join(kept).strip(), list(dict.fromkeys(names))


def _names(prop: Any) -> list[str]:
    """The CN names of one ORGANIZER/ATTENDEE property or a list of them."""
    props = prop if isinstance(prop, list) else [prop] if prop is not None else []
    names = (clean_line(str(getattr(p, "params", {}).get("CN") or "")) for p in props)
    return [name for name in names if name]


def _first_category(prop: Any) -> str | None:
    props = prop if isinstance(prop, list) else [prop] if prop is not None else []
    for item in props:
        for category in getattr(item, "cats", None) or [item]:
            name = clean_line(str(category))
            if name:
                return name
    return None
