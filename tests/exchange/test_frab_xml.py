"""Tests for frab/pentabarf schedule.xml reading and writing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from lxml import etree

from podium.exchange.errors import ScheduleImportError
from podium.exchange.frab_xml import parse_frab_xml, write_frab_xml
from podium.exchange.schedule_data import PersonData, ScheduleData, SessionData

from .conftest import JSON_COUNTS, XML_COUNTS, by_guid, read_fixture

UTC = dt.UTC

MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <version>1</version>
  <conference>
    <title>Mini</title>
    <acronym>mini-2025</acronym>
    {time_zone}
  </conference>
  <day index="1" date="2025-03-01" start="2025-03-01T09:00:00+01:00"
       end="2025-03-02T03:59:00+01:00">
    <room name="Main">
      {events}
    </room>
    <room name="Empty"></room>
  </day>
</schedule>
"""

EVENT = """<event id="{id}" guid="{guid}">
        <date>{date}</date><start>10:00</start><duration>{duration}</duration>
        <room>{room}</room><title>{title}</title><type>Talk</type><track>T</track>
        <abstract/>
      </event>"""


def _minimal(
    *,
    time_zone: str = "<time_zone_name>Europe/Brussels</time_zone_name>",
    events: list[dict[str, str]] | None = None,
) -> bytes:
    defaults = {
        "id": "1",
        "guid": "0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b21",
        "date": "2025-03-01T10:00:00+01:00",
        "duration": "00:30",
        "room": "Main",
        "title": "Hello",
    }
    rendered = [EVENT.format(**{**defaults, **e}) for e in (events or [{}])]
    return MINIMAL.format(time_zone=time_zone, events="\n".join(rendered)).encode()


# --------------------------------------------------------------------------- real files


@pytest.mark.parametrize(("name", "counts"), sorted(XML_COUNTS.items()))
def test_parse_real_file_has_documented_day_room_event_counts(
    name: str, counts: tuple[int, int, int]
) -> None:
    data = parse_frab_xml(read_fixture(name))

    assert (len(data.days()), len(data.rooms), len(data.sessions)) == counts


@pytest.mark.parametrize("name", sorted(XML_COUNTS))
def test_export_of_real_file_validates_against_xsd(name: str, xsd: etree.XMLSchema) -> None:
    exported = write_frab_xml(parse_frab_xml(read_fixture(name)))

    valid = xsd.validate(etree.fromstring(exported).getroottree())

    assert valid, str(xsd.error_log)


@pytest.mark.parametrize("name", sorted(XML_COUNTS))
def test_export_then_reimport_of_real_file_gives_the_same_schedule(name: str) -> None:
    original = parse_frab_xml(read_fixture(name))

    again = parse_frab_xml(write_frab_xml(original))

    assert by_guid(again) == by_guid(original)
    # The XSD has no <venue> or <city>: FOSDEM's are read but cannot be written back.
    placeless = dataclasses.replace(original.conference, venue="", city="")
    assert again.replace(sessions=()) == original.replace(sessions=(), conference=placeless)


@pytest.mark.parametrize("name", sorted(JSON_COUNTS))
def test_export_of_json_source_validates_against_xsd(name: str, xsd: etree.XMLSchema) -> None:
    from podium.exchange.schedule_json import parse_schedule_json

    exported = write_frab_xml(parse_schedule_json(read_fixture(name)))

    assert xsd.validate(etree.fromstring(exported).getroottree()), str(xsd.error_log)


def test_parse_31c3_without_zone_name_derives_fixed_offset_zone() -> None:
    data = parse_frab_xml(read_fixture("31c3.schedule.xml"))

    assert data.conference.time_zone == "Etc/GMT-1"
    assert data.conference.day_change == "04:00"
    assert (data.conference.start_date, data.conference.end_date) == (
        dt.date(2014, 12, 27),
        dt.date(2014, 12, 30),
    )


def test_parse_31c3_base64_guid_becomes_the_uuid_it_encodes() -> None:
    data = parse_frab_xml(read_fixture("31c3.schedule.xml"))

    session = next(s for s in data.sessions if s.id == 6264)  # guid HOqeNIb6G7M4hYFKFRkCmQ

    assert session.guid == "1cea9e34-86fa-1bb3-3885-814a15190299"


def test_parse_debconf23_uses_local_dates_not_the_utc_day_labels() -> None:
    data = parse_frab_xml(read_fixture("debconf23.schedule.xml"))

    opening = next(s for s in data.sessions if s.id == 35)

    assert data.conference.time_zone == "Asia/Kolkata"
    assert data.conference.day_change == "03:00"
    assert data.days()[0].date == dt.date(2023, 9, 10)  # labelled 2023-09-09 in the file
    assert opening.start_utc == dt.datetime(2023, 9, 10, 5, 0, tzinfo=UTC)  # 10:30 IST
    assert data.day_of(opening) == dt.date(2023, 9, 10)
    assert opening.persons == (PersonData(name="Sruthi Chandran", id=63),)


def test_parse_debconf23_recording_optout_sets_do_not_record() -> None:
    data = parse_frab_xml(read_fixture("debconf23.schedule.xml"))

    opted_out = sorted(s.title for s in data.sessions if s.do_not_record)

    assert len(opted_out) == 7
    assert "Debian Treasurer BoF" in opted_out


def test_parse_39c3_link_with_child_elements_takes_title_from_child() -> None:
    data = parse_frab_xml(read_fixture("39c3.schedule.xml"))

    session = next(s for s in data.sessions if s.id == 1254)

    assert session.links == (("Zügli", "https://zügli.app"),)
    assert session.persons[0] == PersonData(
        name="Q Misell", id=None, guid="7fa522b7-3b42-5b1c-8f62-eb9a7c3c5dab"
    )


def test_parse_romhack_15_hour_session_stays_on_its_start_day() -> None:
    data = parse_frab_xml(read_fixture("romhack-camp-2026.schedule.xml"))

    ctf = next(s for s in data.sessions if s.title == "Community CTF by fibonhack")

    assert ctf.start_utc == dt.datetime(2026, 10, 2, 15, 0, tzinfo=UTC)  # 17:00 Rome
    assert ctf.duration_minutes == 900
    assert ctf.end_utc == dt.datetime(2026, 10, 3, 6, 0, tzinfo=UTC)  # 08:00 next morning
    assert data.day_of(ctf) == dt.date(2026, 10, 2)


def test_parse_romhack_numeric_character_references_become_characters() -> None:
    data = parse_frab_xml(read_fixture("romhack-camp-2026.schedule.xml"))

    texts = " ".join(s.abstract for s in data.sessions)

    assert '"Setec Astronomy" \u2014 you\'ll get it.' in texts


def test_parse_fosdem_counts_empty_room_blocks_as_rooms() -> None:
    data = parse_frab_xml(read_fixture("fosdem-2025.schedule.xml"))

    used = {s.room for s in data.sessions}

    assert len(data.rooms) == 40
    assert data.conference.day_change == "09:00"
    assert all(s.persons for s in data.sessions if s.id == 6210)
    assert len(used) <= 40


# --------------------------------------------------------------------------- leniency


def test_parse_hh_mm_ss_and_zero_durations() -> None:
    source = _minimal(
        events=[
            {"duration": "01:15:00"},
            {"id": "2", "guid": "0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b22", "duration": "00:00"},
        ]
    )

    data = parse_frab_xml(source)

    assert [s.duration_minutes for s in data.sessions] == [75, 0]


def test_parse_event_room_text_differing_from_block_uses_block() -> None:
    data = parse_frab_xml(_minimal(events=[{"room": "Somewhere else"}]))

    assert data.sessions[0].room == "Main"
    assert [r.name for r in data.rooms] == ["Main", "Empty"]


def test_parse_without_zone_name_and_varying_offsets_names_conference_element() -> None:
    source = _minimal(
        time_zone="",
        events=[
            {"date": "2025-03-01T10:00:00+01:00"},
            {
                "id": "2",
                "guid": "0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b22",
                "date": "2025-03-01T11:00:00+02:00",
            },
        ],
    )

    with pytest.raises(ScheduleImportError) as raised:
        parse_frab_xml(source)

    assert str(raised.value) == (
        "<conference> on line 4: no <time_zone_name>, and the UTC offsets in the file "
        "(+01:00, +02:00) do not determine one; add <time_zone_name> or pass a time zone"
    )


def test_parse_without_zone_name_accepts_explicit_zone() -> None:
    source = _minimal(
        time_zone="",
        events=[
            {"date": "2025-03-01T10:00:00+01:00"},
            {
                "id": "2",
                "guid": "0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b22",
                "date": "2025-03-01T11:00:00+02:00",
            },
        ],
    )

    data = parse_frab_xml(source, time_zone="Europe/Brussels")

    assert data.conference.time_zone == "Europe/Brussels"


# --------------------------------------------------------------------------- precise errors


def test_parse_bad_duration_names_element_and_line() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_frab_xml(_minimal(events=[{"duration": "half an hour"}]))

    assert str(raised.value) == (
        "<duration> on line 13: 'half an hour' is not a duration in HH:MM, HH:MM:SS or DDD:HH:MM"
    )
    assert (raised.value.element, raised.value.line) == ("<duration>", 13)


def test_parse_non_numeric_event_id_names_event_and_line() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_frab_xml(_minimal(events=[{"id": "abc"}]))

    assert str(raised.value) == "<event> on line 12: id 'abc' is not a whole number"


def test_parse_keeps_both_sessions_of_a_duplicate_guid_for_the_importer() -> None:
    data = parse_frab_xml(_minimal(events=[{}, {"id": "2"}]))

    assert [(s.id, s.guid) for s in data.sessions] == [
        (1, "0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b21"),
        (2, "0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b21"),
    ]


def test_parse_malformed_xml_names_line() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_frab_xml(b"<schedule>\n<conference>\n</schedule>")

    assert raised.value.line == 3
    assert str(raised.value).startswith("document on line 3: not well-formed XML: ")


def test_parse_wrong_root_element_is_refused() -> None:
    with pytest.raises(ScheduleImportError, match=r"^<html> on line 1: the root element"):
        parse_frab_xml(b"<html><body/></html>")


def test_parse_unknown_zone_name_names_element() -> None:
    source = _minimal(time_zone="<time_zone_name>Europe/Atlantis</time_zone_name>")

    with pytest.raises(ScheduleImportError) as raised:
        parse_frab_xml(source)

    assert str(raised.value) == (
        "<time_zone_name> on line 7: 'Europe/Atlantis' is not an IANA time zone name"
    )


# --------------------------------------------------------------------------- security

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<schedule><version>&xxe;</version></schedule>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<schedule><version>&lol3;</version></schedule>
"""


def test_parse_external_entity_is_refused() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_frab_xml(XXE)

    assert str(raised.value) == (
        "<!DOCTYPE> on line 2: document type declarations and entities are not accepted "
        "in schedule.xml"
    )


def test_parse_entity_expansion_is_refused() -> None:
    with pytest.raises(ScheduleImportError, match=r"^<!DOCTYPE> on line 2: document type"):
        parse_frab_xml(BILLION_LAUGHS)


def test_parse_utf16_doctype_is_refused_after_parsing_without_expansion() -> None:
    with pytest.raises(ScheduleImportError, match=r"^<!DOCTYPE> on line 1: document type"):
        parse_frab_xml(
            BILLION_LAUGHS.replace(b'<?xml version="1.0"?>\n', b"").decode().encode("utf-16")
        )


def test_parse_str_source_with_encoding_declaration_is_read() -> None:
    text = _minimal().decode().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')

    data = parse_frab_xml(text)

    assert data.sessions[0].title == "Hello"


# --------------------------------------------------------------------------- writing


def test_export_strips_control_characters_and_stays_valid(
    make_schedule: Callable[..., ScheduleData], xsd: etree.XMLSchema
) -> None:
    dirty = "Bad\x00 ti\x07tle\x1b\ufffe"
    session = SessionData(
        guid="4f3c2b1a-0000-4000-8000-000000000002",
        id=2,
        title=dirty,
        start_utc=dt.datetime(2025, 10, 25, 9, 0, tzinfo=UTC),
        duration_minutes=30,
        room="Hall A",
        abstract="line\x0bone\x0ctwo",
        persons=(PersonData(name="Ev\x08e", id=5),),
        links=(("Sl\x01ides", "https://example.org/s\x02.pdf"),),
    )
    data = make_schedule(sessions=[session])

    exported = write_frab_xml(data)
    again = parse_frab_xml(exported)

    assert xsd.validate(etree.fromstring(exported).getroottree()), str(xsd.error_log)
    assert again.sessions[0].title == "Bad title"
    assert again.sessions[0].abstract == "lineonetwo"
    assert again.sessions[0].persons[0].name == "Eve"
    assert again.sessions[0].links == (("Slides", "https://example.org/s.pdf"),)


def test_export_dst_spanning_event_has_offsets_in_force_at_each_instant(
    make_schedule: Callable[..., ScheduleData], xsd: etree.XMLSchema
) -> None:
    # 02:30 CEST, two hours long: it ends at 03:30 CET after clocks went back at 03:00 CEST.
    spanning = SessionData(
        guid="4f3c2b1a-0000-4000-8000-000000000003",
        id=3,
        title="Night of the long hour",
        start_utc=dt.datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
        duration_minutes=120,
        room="Hall A",
        slug="testconf_2025-3-night",
    )
    after = dataclasses.replace(
        spanning,
        guid="4f3c2b1a-0000-4000-8000-000000000004",
        id=4,
        title="After the change",
        slug="testconf_2025-4-after",
        start_utc=dt.datetime(2025, 10, 26, 9, 0, tzinfo=UTC),
        duration_minutes=30,
    )
    data = make_schedule(sessions=[spanning, after])

    exported = write_frab_xml(data)
    root = etree.fromstring(exported)
    dates = {
        e.findtext("title"): (e.findtext("date"), e.findtext("start"), e.findtext("duration"))
        for e in root.iter("event")
    }
    day_bounds = [(d.get("date"), d.get("start"), d.get("end")) for d in root.iter("day")]

    assert xsd.validate(root.getroottree()), str(xsd.error_log)
    assert dates == {
        "Night of the long hour": ("2025-10-26T02:30:00+02:00", "02:30", "02:00"),
        "After the change": ("2025-10-26T10:00:00+01:00", "10:00", "00:30"),
    }
    assert day_bounds == [
        ("2025-10-25", "2025-10-25T04:00:00+02:00", "2025-10-26T04:00:00+01:00"),
        ("2025-10-26", "2025-10-26T04:00:00+01:00", "2025-10-27T04:00:00+01:00"),
    ]
    # 02:30 local is before the 04:00 day change: the session belongs to the 25th.
    assert [e.findtext("title") for e in root.find("day").iter("event")] == [
        "Night of the long hour"
    ]
    assert by_guid(parse_frab_xml(exported)) == by_guid(data)


def test_export_midnight_crossing_session_round_trips_on_its_day(
    make_schedule: Callable[..., ScheduleData],
) -> None:
    # camp2019-style: 23:00 local for 90 minutes.
    late = SessionData(
        guid="4f3c2b1a-0000-4000-8000-000000000005",
        id=5,
        title="Late",
        start_utc=dt.datetime(2025, 10, 25, 21, 0, tzinfo=UTC),
        duration_minutes=90,
        room="Hall B",
        slug="testconf_2025-5-late",
    )
    data = make_schedule(sessions=[late])

    again = parse_frab_xml(write_frab_xml(data))

    assert again.sessions == (late,)
    assert again.day_of(again.sessions[0]) == dt.date(2025, 10, 25)
    assert again.conference.day_change == "04:00"


def test_export_makes_invalid_slugs_and_duplicate_ids_valid(
    make_schedule: Callable[..., ScheduleData], xsd: etree.XMLSchema
) -> None:
    base = SessionData(
        guid="4f3c2b1a-0000-4000-8000-000000000006",
        id=6,
        title="Ünïcode Title!",
        start_utc=dt.datetime(2025, 10, 25, 9, 0, tzinfo=UTC),
        duration_minutes=30,
        room="Hall A",
        slug="Not A Slug",
        url="/talk/6",
    )
    twin = dataclasses.replace(base, guid="4f3c2b1a-0000-4000-8000-000000000007", slug="x")
    data = make_schedule(sessions=[base, twin])

    root = etree.fromstring(write_frab_xml(data))

    assert xsd.validate(root.getroottree()), str(xsd.error_log)
    assert [(e.get("id"), e.findtext("slug"), e.findtext("url")) for e in root.iter("event")] == [
        ("6", "testconf_2025-6-unicode-title", "https://example.org/talk/6"),
        ("7", "testconf_2025-7-unicode-title", "https://example.org/talk/6"),
    ]


def test_parse_event_directly_in_day_uses_its_room_text() -> None:
    source = _minimal().replace(
        b'    <room name="Empty"></room>',
        b'    <room name="Empty"></room>\n'
        + EVENT.format(
            id="2",
            guid="0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b22",
            date="2025-03-01T12:00:00+01:00",
            duration="00:10",
            room="Foyer",
            title="Stray",
        ).encode(),
    )

    data = parse_frab_xml(source)

    assert [(s.title, s.room) for s in data.sessions] == [("Hello", "Main"), ("Stray", "Foyer")]
    assert [r.name for r in data.rooms] == ["Main", "Empty", "Foyer"]


def test_parse_person_without_name_is_skipped_and_guid_only_person_kept() -> None:
    source = _minimal().replace(
        b"<abstract/>",
        b'<abstract/><persons><person id="7"/>'
        b'<person guid="6F1A2B3C-4D5E-4F60-8172-839405A6B7C8">Grace</person></persons>',
    )

    data = parse_frab_xml(source)

    assert data.sessions[0].persons == (
        PersonData(name="Grace", guid="6f1a2b3c-4d5e-4f60-8172-839405a6b7c8"),
    )


def test_parse_half_hour_offset_without_zone_name_asks_for_a_zone() -> None:
    source = _minimal(time_zone="").replace(b"+01:00", b"+05:30")

    with pytest.raises(ScheduleImportError, match=r"\(\+05:30\) do not determine one"):
        parse_frab_xml(source)

    assert parse_frab_xml(source, time_zone="Asia/Kolkata").sessions[0].start_utc == dt.datetime(
        2025, 3, 1, 4, 30, tzinfo=UTC
    )


def test_parse_daytime_days_ending_at_18_00_keep_day_change_at_midnight() -> None:
    source = _minimal().replace(
        b'end="2025-03-02T03:59:00+01:00"', b'end="2025-03-01T18:00:00+01:00"'
    )

    data = parse_frab_xml(source)

    assert data.conference.day_change == "00:00"
    assert data.day_of(data.sessions[0]) == dt.date(2025, 3, 1)
    assert [d.date for d in data.days()] == [dt.date(2025, 3, 1)]


def test_parse_keeps_no_break_spaces_and_collapses_line_breaks_in_titles() -> None:
    data = parse_frab_xml(_minimal(events=[{"title": "10\u00a0%  faster\n  builds ✨"}]))

    assert data.sessions[0].title == "10\u00a0% faster builds ✨"
