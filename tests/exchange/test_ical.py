"""Tests for the iCalendar exports: whole program, one session, one speaker."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import icalendar
import pytest

from podium.exchange.frab_xml import parse_frab_xml
from podium.exchange.ical import write_ical_person, write_ical_program, write_ical_session
from podium.exchange.schedule_data import PersonData, ScheduleData, SessionData

from .conftest import read_fixture

UTC = dt.UTC
STAMP = dt.datetime(2025, 1, 15, 12, 0, tzinfo=UTC)


def _events(payload: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(payload).walk("VEVENT"))


def test_program_of_fosdem_has_every_session_at_its_utc_time() -> None:
    data = parse_frab_xml(read_fixture("fosdem-2025.schedule.xml"))

    payload = write_ical_program(data, stamp=STAMP)
    events = _events(payload)
    sessions = {s.guid: s for s in data.sessions}

    assert len(events) == 943
    assert {
        str(e["UID"]): (e.decoded("DTSTART"), e.decoded("DTEND"), str(e["LOCATION"]))
        for e in events
    } == {g: (s.start_utc, s.end_utc, s.room) for g, s in sessions.items()}


def test_program_lines_are_crlf_folded_within_75_octets() -> None:
    data = parse_frab_xml(read_fixture("39c3.schedule.xml"))

    payload = write_ical_program(data, stamp=STAMP)

    assert payload.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in payload.replace(b"\r\n", b"")
    assert max(len(line) for line in payload.split(b"\r\n")) <= 75


def test_program_has_no_zone_labels_only_utc_times() -> None:
    data = parse_frab_xml(read_fixture("debconf23.schedule.xml"))

    payload = write_ical_program(data, stamp=STAMP)

    assert b"TZID" not in payload
    assert b"X-WR-TIMEZONE" not in payload
    starts = [line for line in payload.split(b"\r\n") if line.startswith(b"DTSTART")]
    assert len(starts) == 117
    assert all(line.endswith(b"Z") for line in starts)


def test_program_is_byte_identical_for_the_same_stamp() -> None:
    data = parse_frab_xml(read_fixture("romhack-camp-2026.schedule.xml"))

    assert write_ical_program(data, stamp=STAMP) == write_ical_program(data, stamp=STAMP)


def _dst_session() -> SessionData:
    return SessionData(
        guid="4f3c2b1a-0000-4000-8000-000000000003",
        id=3,
        title="Night, with; commas\\ and\nnewline",
        start_utc=dt.datetime(2025, 10, 26, 0, 30, tzinfo=UTC),  # 02:30 CEST
        duration_minutes=120,  # ends 03:30 CET
        room="Hall A",
        track="Kernel",
        abstract="Control\x00 chars\x07 gone ✨",
        url="/talk/3",
        persons=(PersonData(name="Ada", id=1), PersonData(name="Bob", id=2)),
    )


def test_session_spanning_dst_change_has_utc_start_and_end(
    make_schedule: Callable[..., ScheduleData],
) -> None:
    data = make_schedule(sessions=[_dst_session()])

    (event,) = _events(write_ical_session(data, _dst_session().guid, stamp=STAMP))

    assert event.decoded("DTSTART") == dt.datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == dt.datetime(2025, 10, 26, 2, 30, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Night, with; commas\\ and\nnewline"
    assert str(event["DESCRIPTION"]) == "Control chars gone ✨\n\nSpeakers: Ada, Bob"
    assert str(event["URL"]) == "https://example.org/talk/3"
    assert event.decoded("DTSTAMP") == STAMP


def test_session_unknown_guid_raises_key_error(
    make_schedule: Callable[..., ScheduleData],
) -> None:
    with pytest.raises(KeyError):
        write_ical_session(make_schedule(), "no-such-guid", stamp=STAMP)


def test_person_calendar_holds_only_their_sessions(
    make_schedule: Callable[..., ScheduleData],
) -> None:
    other = SessionData(
        guid="4f3c2b1a-0000-4000-8000-000000000009",
        id=9,
        title="Someone else",
        start_utc=dt.datetime(2025, 10, 25, 10, 0, tzinfo=UTC),
        duration_minutes=30,
        room="Hall B",
        persons=(PersonData(name="Carol", id=3),),
    )
    data = make_schedule(sessions=[_dst_session(), other])

    events = _events(write_ical_person(data, PersonData(name="Bob", id=2), stamp=STAMP))

    assert [str(e["UID"]) for e in events] == [_dst_session().guid]


@pytest.mark.parametrize("alphabet", ["ascii", "mixed"])
def test_folding_keeps_every_line_within_75_octets_and_unfolds_to_the_original(
    alphabet: str,
) -> None:
    from random import Random

    from podium.exchange.ical import _fold, _text

    chars = "abc ;,\\\n" + ("" if alphabet == "ascii" else "é✨漢字🎉")
    rng = Random(17)  # noqa: S311  reproducible test data, not secrets
    for length in [*range(0, 200), 500, 1000]:
        value = "".join(rng.choice(chars) for _ in range(length))
        line = "DESCRIPTION:" + _text(value)
        folded = _fold(line).encode("utf-8")

        physical = folded.split(b"\r\n")
        assert all(len(part) <= 75 for part in physical), line
        assert all(part.startswith(b" ") for part in physical[1:])
        # Each part decodes alone: no character is cut in half.
        for part in physical:
            part.decode("utf-8")
        assert folded.replace(b"\r\n ", b"").decode("utf-8") == line
        # Escapes per RFC 5545 §3.3.11, read back by the RFC's rule.
        unescaped = re.sub(
            r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), _text(value)
        )
        assert unescaped == value, (value, _text(value))
