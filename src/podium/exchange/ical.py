"""iCalendar (RFC 5545) export: the whole program, one session, or one speaker's sessions.

Every DTSTART/DTEND is written in UTC (``...Z``, RFC 5545 section 3.3.5 form #2), so calendar
apps place sessions correctly whatever their own zone and no zone label can disagree with an
offset. No ``X-WR-TIMEZONE`` is written: some apps reinterpret UTC times with it.

The serializer is hand-written (escaping per section 3.3.11, folding at 75 octets per section
3.1, CRLF line ends) because building a FOSDEM-sized calendar with the ``icalendar`` library
object model takes several times longer; tests parse the output with ``icalendar``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from podium.exchange.normalize import absolute_url, strip_control
from podium.exchange.schedule_data import PersonData, ScheduleData, SessionData
from podium.text import rich_text_to_plain

__all__ = ["write_ical", "write_ical_person", "write_ical_program", "write_ical_session"]

PRODID = "-//Podium//Conference schedule//EN"


def write_ical_program(data: ScheduleData, *, stamp: dt.datetime | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per session of the schedule (see ``write_ical``)."""
    return write_ical(
        data, sessions=data.sessions_sorted(), name=data.conference.title, stamp=stamp
    )


def write_ical_session(data: ScheduleData, guid: str, *, stamp: dt.datetime | None = None) -> bytes:
    """A VCALENDAR holding the one session with this guid.

    Raises ``KeyError`` if the schedule has no such session.
    """
    session = data.session_by_guid(guid)
    if session is None:
        raise KeyError(guid)
    name = f"{session.title} ({data.conference.title})"
    return write_ical(data, sessions=[session], name=name, stamp=stamp)


def write_ical_person(
    data: ScheduleData, person: PersonData, *, stamp: dt.datetime | None = None
) -> bytes:
    """A VCALENDAR with the sessions ``person`` speaks in (matched by ``PersonData.key``)."""
    sessions = list(data.iter_person_sessions(person))
    name = f"{person.name} ({data.conference.title})"
    return write_ical(data, sessions=sessions, name=name, stamp=stamp)


def write_ical(
    data: ScheduleData,
    *,
    sessions: Iterable[SessionData],
    name: str,
    stamp: dt.datetime | None = None,
) -> bytes:
    """Serialize ``sessions`` of ``data`` as an RFC 5545 VCALENDAR (UTF-8 bytes, CRLF lines).

    ``stamp`` (aware) becomes every DTSTAMP; pass the schedule release's publication time so
    the same release always renders byte-identical output (stable ETags). Defaults to now.
    """
    stamp_text = _utc(stamp or dt.datetime.now(dt.UTC))
    base_url = absolute_url(data.conference.base_url, None)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(name)}",
    ]
    for session in sessions:
        lines.extend(_event(session, stamp_text, base_url))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def _event(session: SessionData, stamp: str, base_url: str | None) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(session.guid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(session.start_utc)}",
        f"DTEND:{_utc(session.end_utc)}",
        f"SUMMARY:{_text(session.title)}",
        f"LOCATION:{_text(session.room)}",
        f"DESCRIPTION:{_text(_description(session))}",
        "STATUS:CONFIRMED",
    ]
    if session.track:
        lines.append(f"CATEGORIES:{_text(session.track)}")
    url = absolute_url(session.url, base_url)
    if url:
        # URL is a URI value, not TEXT: no backslash escaping (RFC 5545 section 3.8.4.6).
        lines.append(f"URL:{strip_control(url).replace(chr(10), '')}")
    lines.append("END:VEVENT")
    return lines


def _description(session: SessionData) -> str:
    """Plain text (RFC 5545 DESCRIPTION is TEXT): the subtitle, the abstract and description
    converted from Markdown or imported HTML, then the speakers."""
    # Control characters go first: Markdown rendering would turn NUL into U+FFFD.
    texts = (
        rich_text_to_plain(strip_control(session.abstract)),
        rich_text_to_plain(strip_control(session.description)),
    )
    parts = [p for p in (session.subtitle, *texts) if p]
    if session.persons:
        parts.append("Speakers: " + ", ".join(p.name for p in session.persons))
    return "\n\n".join(parts)


def _utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    cleaned = strip_control(value).replace("\r\n", "\n").replace("\r", "\n")
    # RFC 5545 §3.3.11 escapes; chained replace() runs in C, str.translate with a dict table
    # looks every character up in Python (about 50 ms of a FOSDEM calendar). Backslash first.
    return (
        cleaned.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets without splitting a character."""
    if line.isascii():
        if len(line) <= 75:
            return line
        # One octet per character: cut the string itself (most lines of a program).
        return "\r\n ".join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))])
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    chunks: list[str] = []
    start, limit = 0, 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        # Step back off UTF-8 continuation bytes so a character is never cut in half.
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1
        chunks.append(encoded[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with one space
    return "\r\n ".join(chunks)
