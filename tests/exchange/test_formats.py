"""Format detection, refused layouts and the quirks real files have (no database).

Each fixture under tests/fixtures/schedules/{quirks,ics,v2} names the real-world pattern it
stands for in its first lines.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace

import jsonschema
import pytest

from podium.exchange.errors import ScheduleImportError
from podium.exchange.formats import count_events, detect_format, parse_any
from podium.exchange.ical_import import repair_ical_bytes
from podium.exchange.normalize import absolute_url, parse_duration_minutes
from podium.exchange.schedule_v2 import parse_schedule_v2, schedule_v2_dict, write_schedule_v2
from podium.exchange.zones import zone_for_city

from .conftest import FIXTURES, SCHEDULES, by_guid, read_fixture

UTC = dt.UTC


def _quirk(name: str) -> bytes:
    return (SCHEDULES / "quirks" / name).read_bytes()


def _ics(name: str) -> bytes:
    return (SCHEDULES / "ics" / name).read_bytes()


def _v2() -> bytes:
    return (SCHEDULES / "v2" / "hub-style.schedule-v2.json").read_bytes()


@pytest.fixture(scope="module")
def v2_validator() -> jsonschema.Draft6Validator:
    schema = json.loads((FIXTURES / "schemas" / "schedule-schema2.json").read_text("utf-8"))
    return jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"\xef\xbb\xbf<?xml version='1.0'?><schedule/>", "frab-xml"),
        (b'  {"schedule": {"conference": {}}}', "schedule-json"),
        (b'{"schedule": {"events": []}}', "schedule-json-v2"),
        (b"\r\nbegin:vcalendar\r\nEND:VCALENDAR", "icalendar"),
    ],
)
def test_detect_format_from_the_first_bytes(raw: bytes, kind: str) -> None:
    assert detect_format(raw) == kind


def test_empty_file_is_refused() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_any(b" \r\n")

    assert str(raised.value) == "document: the file is empty"


# --------------------------------------------------------------------------- point 1


def test_unknown_flat_json_layout_is_refused_naming_what_it_holds() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_any(_quirk("unknown-flat-sessions.json"))

    assert str(raised.value) == (
        "document: the file holds 2 events but is not a schedule Podium reads: expected "
        'schedule JSON ({"schedule": {"conference": {"days": [...]}}}) or schedule JSON '
        'version 2 ({"schedule": {"events": [...]}}), found JSON {"_fixture": str, '
        '"sessions": [2 items], "rooms": [1 items]}'
    )


def test_v1_json_whose_days_hold_no_rooms_is_refused_not_imported_empty() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_any(_quirk("v1-days-without-rooms.json"))

    assert str(raised.value) == (
        "document: the file holds 3 events but none could be read: its layout (JSON "
        '{"schedule": {"_fixture": str, "version": str, "conference": {"acronym": str, '
        '"title": str, "start": str, "end": str, "time_zone_name": str, "days": [1 items]}}}) '
        "is not schedule JSON (version 1) as Podium reads it, so nothing was imported"
    )


def test_xml_with_events_outside_days_is_refused_naming_where_they_are() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_any(_quirk("events-outside-days.schedule.xml"))

    assert str(raised.value) == (
        "document: the file holds 2 events but none could be read: its layout (XML root "
        "<schedule>, events at <schedule>/<events>/<event> x2) is not frab/pentabarf "
        "schedule.xml as Podium reads it, so nothing was imported"
    )


def test_a_schedule_without_any_event_still_parses() -> None:
    raw = (
        b"<schedule><version>1</version><conference><acronym>empty2025</acronym>"
        b"<title>Empty</title><start>2025-03-01</start><end>2025-03-01</end>"
        b"<time_zone_name>Europe/Berlin</time_zone_name></conference>"
        b'<day index="1" date="2025-03-01"/></schedule>'
    )

    data = parse_any(raw)

    assert (data.sessions, count_events(raw, "frab-xml")) == ((), 0)


def test_every_real_fixture_is_detected_and_counted_alike() -> None:
    for name, kind in (
        ("fosdem-2025.schedule.xml", "frab-xml"),
        ("voc-frab-camp2019.json", "schedule-json"),
        ("voc-pretalx-rc3.json", "schedule-json"),
    ):
        raw = read_fixture(name)
        assert (detect_format(raw), count_events(raw, kind)) == (
            kind,
            len(parse_any(raw).sessions),
        )


# --------------------------------------------------------------------------- point 2


def test_v2_hub_style_file_imports_every_event_but_the_break() -> None:
    data = parse_any(_v2())

    assert data.warnings == ("1 event of type or state break left out: not a session",)
    assert data.conference.time_zone == "Europe/Berlin"
    assert (data.conference.start_date, data.conference.end_date) == (
        dt.date(2025, 3, 1),
        dt.date(2025, 3, 1),
    )
    assert data.conference.day_change == "04:00"
    assert [(r.name, r.capacity) for r in data.rooms] == [
        ("Saal 1", 3000),
        ("Workshop Tent", 40),
    ]
    assert [(t.name, t.slug, t.color) for t in data.tracks] == [
        ("Hardware", "hardware", "#1e88e5"),
        ("Ethics", "ethics", "#43a047"),
        ("Unused track", "unused", None),
    ]
    first, second = data.sessions
    assert (first.title, first.start_utc, first.duration_minutes, first.room, first.track) == (
        "Soldering for everyone",
        dt.datetime(2025, 3, 1, 10, 0, tzinfo=UTC),
        40,
        "Saal 1",
        "Hardware",
    )
    assert (first.abstract, first.session_type, first.language) == (
        "Learn to solder.",
        "Talk",
        "en",
    )
    assert [(p.name, p.guid, p.biography) for p in first.persons] == [
        ("Mitch Altman", "e0b0d3b4-0f5c-5c5e-8d3e-7d6c2b1a0001", "Hardware hacker.")
    ]
    assert first.links == (("Slides", "https://events.example.org/slides.pdf"),)
    # The room is given by guid only; the conference's room list names it.
    assert (second.room, second.duration_minutes, second.session_type) == (
        "Workshop Tent",
        90,
        "Discussion",
    )
    assert [p.name for p in second.persons] == ["Mitch Altman", "Jane Doe"]


@pytest.mark.parametrize(
    ("duration", "minutes"), [("PT36H", 2160), ("P1DT2H30M", 1590), ("PT45M30S", 46), ("00:40", 40)]
)
def test_v2_event_with_a_duration_instead_of_an_end(duration: str, minutes: int) -> None:
    document = json.loads(_v2())
    event = document["schedule"]["events"][0]
    del event["end"]
    event["duration"] = duration

    assert parse_any(json.dumps(document).encode()).sessions[0].duration_minutes == minutes


def test_v2_duration_over_the_limit_names_the_limit() -> None:
    document = json.loads(_v2())
    del document["schedule"]["events"][0]["end"]
    document["schedule"]["events"][0]["duration"] = "P15D"

    with pytest.raises(ScheduleImportError) as raised:
        parse_any(json.dumps(document).encode())

    assert str(raised.value) == (
        "schedule.events[0].duration: 'P15D' is 21600 minutes; a session lasts at most "
        "20160 minutes (14 days)"
    )


def test_v2_file_of_only_breaks_and_cancelled_events_is_refused() -> None:
    document = json.loads(_v2())
    events = document["schedule"]["events"]
    events[0]["state"] = "CANCELED"
    del events[1]

    with pytest.raises(ScheduleImportError) as raised:
        parse_any(json.dumps(document).encode())

    assert str(raised.value) == (
        "schedule.events: every event is a break or not in the program (1 break, "
        "1 canceled); there is no session to import"
    )


def test_v2_export_of_every_real_file_validates_and_reads_back_the_same_sessions(
    v2_validator: jsonschema.Draft6Validator,
) -> None:
    for name in (
        "fosdem-2025.schedule.xml",
        "romhack-camp-2026.schedule.xml",
        "voc-pretalx-rc3.json",
    ):
        data = parse_any(read_fixture(name))
        document = schedule_v2_dict(data, generator_version="1.0")

        assert [e.message for e in v2_validator.iter_errors(document)] == [], name
        again = parse_schedule_v2(write_schedule_v2(data))
        # Schedule JSON (v1 and v2) wants a letter or digit last: a file's slug ending in "-"
        # is written without it, and everything else comes back as it was.
        assert by_guid(again) == {
            guid: replace(session, slug=session.slug.rstrip("-_"))
            for guid, session in by_guid(data).items()
        }, name
        assert (again.conference, again.rooms) == (data.conference, data.rooms), name


def test_v2_export_of_the_v2_fixture_round_trips_exactly(
    v2_validator: jsonschema.Draft6Validator,
) -> None:
    data = parse_any(_v2())
    document = schedule_v2_dict(data)

    assert [e.message for e in v2_validator.iter_errors(document)] == []
    assert parse_schedule_v2(json.dumps(document)) == data


def test_v2_keeps_what_the_schema_has_no_place_for_in_meta() -> None:
    data = parse_any(read_fixture("romhack-camp-2026.schedule.xml"))
    session = data.sessions[0]

    document = schedule_v2_dict(data)

    extra = document["schedule"]["conference"]["meta"]["podium"]["events"][session.guid]
    assert extra["id"] == session.id
    event = next(e for e in document["schedule"]["events"] if e["guid"] == session.guid)
    assert event["type"] in ("TALK", "WORKSHOP", "OTHER")


# --------------------------------------------------------------------------- point 3


def test_ics_tzid_without_vtimezone_uses_the_named_zone() -> None:
    data = parse_any(_ics("tzid-without-vtimezone.ics"))

    assert data.conference.time_zone == "Europe/Brussels"
    assert data.conference.title == "Quirks 2025"
    opening, keynote = data.sessions
    assert (opening.start_utc, opening.duration_minutes, opening.room, opening.track) == (
        dt.datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        30,
        "Janson",
        "Main track",
    )
    assert [p.name for p in opening.persons] == ["Ada Lovelace", "Grace Hopper"]
    assert [p.name for p in keynote.persons] == ["Alan Turing", "Joan Clarke"]
    assert keynote.abstract == "The big picture."
    # A UID that is no UUID gets a stable UUIDv5; one that is keeps it.
    assert keynote.guid == "f0c1e2d3-0000-4000-8000-000000000002"
    assert opening.guid == parse_any(_ics("tzid-without-vtimezone.ics")).sessions[0].guid


def test_ics_folded_inside_a_utf8_character_is_unfolded_before_decoding() -> None:
    raw = _ics("fold-inside-utf8.ics")
    assert re.search(rb"\r\n [\x80-\xbf]", raw)  # the fold splits a character

    (session,) = parse_any(raw).sessions

    assert session.title == (
        "Présentation \u2013 l'économie du logiciel libre à Bruxelles, ensemble 🙂 été"
    )
    assert session.room == "H.1302 (Depage)"


def test_ics_with_cr_cr_lf_line_ends_reads_every_property() -> None:
    raw = _ics("crcrlf-line-ends.ics")
    assert b"\r\r\n" in raw

    (session,) = parse_any(raw).sessions

    assert (session.title, session.room, [p.name for p in session.persons]) == (
        "Line ends",
        "K.1.105",
        ["Linus"],
    )
    assert (session.start_utc, session.duration_minutes) == (
        dt.datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        60,
    )


def test_ics_vcard_charset_parameters_are_dropped() -> None:
    (session,) = parse_any(_ics("vcard-charset-params.ics")).sessions

    assert (session.title, session.room, session.abstract) == (
        "Ünïcode für alle",
        "Salle Émile",
        "Überblick",
    )


def test_ics_lines_longer_than_75_octets_are_read_whole() -> None:
    (session,) = parse_any(_ics("long-lines.ics")).sessions

    assert session.title == (
        "An unfolded title that goes on and on well past the seventy-five octet limit of RFC 5545"
    )
    assert session.abstract == ("A very long abstract line that nobody folded, " * 6).strip()


def test_ics_organizer_of_every_event_is_the_owner_not_a_speaker() -> None:
    events = b"".join(
        b"BEGIN:VEVENT\r\nUID:e%d@x\r\nDTSTART:2025030%dT100000Z\r\n"
        b"DTEND:2025030%dT110000Z\r\nSUMMARY:Talk %d\r\nLOCATION:Hall\r\n"
        b"ORGANIZER;CN=Quirks Conference:mailto:info@example.org\r\n"
        b"ATTENDEE;CN=Speaker %d:mailto:s%d@example.org\r\nEND:VEVENT\r\n" % ((i,) * 6)
        for i in (1, 2)
    )
    raw = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + events + b"END:VCALENDAR\r\n"

    data = parse_any(raw)

    assert [[p.name for p in s.persons] for s in data.sessions] == [["Speaker 1"], ["Speaker 2"]]


def test_repair_turns_every_line_end_into_crlf_and_unfolds() -> None:
    assert repair_ical_bytes(b"A:1\r\r\nB:2\n C\rD:3") == "A:1\r\nB:2C\r\nD:3\r\n"


def test_ics_without_a_timed_event_is_refused() -> None:
    raw = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20250301\r\n"
        b"SUMMARY:Holiday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    with pytest.raises(ScheduleImportError) as raised:
        parse_any(raw, time_zone="Europe/Brussels")

    assert str(raised.value) == (
        "VEVENT: the calendar holds 1 VEVENTs but none with a time of day; "
        "there is nothing to schedule"
    )


# --------------------------------------------------------------------------- point 4


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("001:02:30", 1590), ("000:00:45", 45), ("01:30", 90), ("01:30:29", 90), ("15:00", 900)],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration_minutes(text) == minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "015:00:00",
            "'015:00:00' is 21600 minutes; a session lasts at most 20160 minutes (14 days)",
        ),
        (
            "001:25:00",
            "'001:25:00' is not a duration in DDD:HH:MM: hours must be 00 to 23 and minutes "
            "00 to 59",
        ),
        (
            "01:75",
            "'01:75' is not a duration in HH:MM or HH:MM:SS: minutes and seconds must be 00 to 59",
        ),
    ],
)
def test_out_of_range_durations_say_the_limit(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_duration_minutes(text)

    assert str(raised.value) == message


def test_ddd_duration_and_zero_length_session_in_a_file() -> None:
    data = parse_any(_quirk("ddd-duration.schedule.xml"))

    assert [(s.title, s.duration_minutes) for s in data.sessions] == [
        ("Art installation", 1590),
        ("Doors open", 0),
    ]
    assert data.warnings == (
        "session 7b0c9a10-0000-4000-8000-000000000002 ('Doors open') lasts 0 minutes; "
        "it was imported as a zero-length slot",
    )


# --------------------------------------------------------------------------- point 5


def test_scheme_less_link_is_not_joined_onto_the_base_url() -> None:
    (session,) = parse_any(_quirk("schemeless-links.schedule.xml")).sessions

    assert session.links == (
        ("Nymtech", "nymtech.net"),
        ("Coconut", "https://arxiv.org/abs/1802.07344"),
    )
    # frab gives attachments as paths on its own host: those still join.
    assert session.attachments == (
        ("Slides", "https://frab.example.org/system/attachments/1/slides.pdf"),
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nymtech.net", None),
        ("atlas.cern.ch/about", None),
        ("slides.pdf", None),
        ("//cdn.example.org/x", None),
        ("/media/x.pdf", "https://base.example/media/x.pdf"),
        ("HTTPS://ok.example/", "HTTPS://ok.example/"),
    ],
)
def test_absolute_url_joins_only_root_relative_paths(url: str, expected: str | None) -> None:
    assert absolute_url(url, "https://base.example/conf/") == expected


# --------------------------------------------------------------------------- point 6


def test_declared_zone_that_disagrees_with_the_offsets_warns_and_keeps_instants() -> None:
    data = parse_any(_quirk("declared-utc-offsets-plus1.schedule.xml"))

    assert data.conference.time_zone == "UTC"
    assert [s.start_utc for s in data.sessions] == [
        dt.datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        dt.datetime(2025, 3, 1, 10, 0, tzinfo=UTC),
    ]
    assert data.warnings == (
        "the file declares time zone UTC, but 2 of its 2 date-times carry UTC offsets UTC "
        "does not have at those dates (+01:00); every instant was kept as the file gives it "
        "and local times are shown in UTC, so they differ from the times written in the file; "
        "if UTC is wrong, import again choosing the right time zone",
    )


def test_json_declared_zone_disagreeing_with_offsets_warns_too() -> None:
    # Camp 2019 is Europe/Berlin at +02:00; declare UTC as a misconfigured generator would.
    document = json.loads(read_fixture("voc-frab-camp2019.json"))
    document["schedule"]["conference"]["time_zone_name"] = "UTC"
    original = parse_any(read_fixture("voc-frab-camp2019.json"))

    data = parse_any(json.dumps(document).encode())

    assert by_guid(data) == by_guid(original)  # the same instants
    assert len(data.warnings) == 1
    assert data.warnings[0].startswith(
        "the file declares time zone UTC, but 89 of its 89 date-times carry UTC offsets UTC "
        "does not have at those dates (+02:00); every instant was kept"
    )


def test_chosen_zone_replaces_the_declared_one_without_a_warning() -> None:
    data = parse_any(_quirk("declared-utc-offsets-plus1.schedule.xml"), time_zone="Europe/Paris")

    assert (data.conference.time_zone, data.warnings) == ("Europe/Paris", ())
    assert data.sessions[0].start_utc == dt.datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_utc_written_instants_with_a_local_zone_do_not_warn() -> None:
    # debconf23 writes <date> in UTC and declares Asia/Kolkata: that is consistent.
    assert parse_any(read_fixture("debconf23.schedule.xml")).warnings == ()


# --------------------------------------------------------------------------- point 7


def test_no_zone_anywhere_proposes_the_city_zone() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_any(_quirk("no-zone-city-brussels.schedule.xml"))

    assert str(raised.value) == (
        "<conference> on line 5: no <time_zone_name>, and the UTC offsets in the file (none) "
        "do not determine one; its <city> 'Brussels' suggests Europe/Brussels: choose that "
        "time zone"
    )
    assert raised.value.suggested_zone == "Europe/Brussels"


def test_no_zone_file_imports_with_the_proposed_zone() -> None:
    (session,) = parse_any(
        _quirk("no-zone-city-brussels.schedule.xml"), time_zone="Europe/Brussels"
    ).sessions

    assert session.start_utc == dt.datetime(2025, 3, 1, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("city", "zone_name"),
    [
        ("Brussels", "Europe/Brussels"),
        ("new york", "America/New_York"),
        ("Zürich", "Europe/Zurich"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Leipzig", None),
        ("", None),
    ],
)
def test_zone_for_city(city: str, zone_name: str | None) -> None:
    assert zone_for_city(city) == zone_name
