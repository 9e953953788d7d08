"""Tests for schedule JSON (frab/pretalx shape, schema version 1) reading and writing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable

import jsonschema
import pytest

from podium.exchange.errors import ScheduleImportError
from podium.exchange.frab_xml import parse_frab_xml
from podium.exchange.schedule_data import PersonData, ScheduleData, SessionData
from podium.exchange.schedule_json import parse_schedule_json, write_schedule_json

from .conftest import JSON_COUNTS, XML_COUNTS, by_guid, read_fixture

UTC = dt.UTC


def _errors(validator: jsonschema.Draft6Validator, exported: bytes) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(json.loads(exported))]


@pytest.mark.parametrize(("name", "counts"), sorted(JSON_COUNTS.items()))
def test_parse_real_file_has_documented_day_room_event_counts(
    name: str, counts: tuple[int, int, int]
) -> None:
    data = parse_schedule_json(read_fixture(name))

    assert (len(data.days()), len(data.rooms), len(data.sessions)) == counts


@pytest.mark.parametrize("name", sorted(JSON_COUNTS))
def test_export_then_reimport_of_real_file_gives_the_same_schedule(name: str) -> None:
    original = parse_schedule_json(read_fixture(name))

    again = parse_schedule_json(write_schedule_json(original))

    assert by_guid(again) == by_guid(original)
    assert again.replace(sessions=()) == original.replace(sessions=())


@pytest.mark.parametrize("name", sorted(JSON_COUNTS))
def test_export_of_real_file_validates_against_schema_1(
    name: str, json_schema_validator: jsonschema.Draft6Validator
) -> None:
    exported = write_schedule_json(parse_schedule_json(read_fixture(name)))

    assert _errors(json_schema_validator, exported) == []


@pytest.mark.parametrize("name", sorted(XML_COUNTS))
def test_export_of_xml_source_validates_and_round_trips(
    name: str, json_schema_validator: jsonschema.Draft6Validator
) -> None:
    original = parse_frab_xml(read_fixture(name))

    exported = write_schedule_json(original)
    again = parse_schedule_json(exported)

    assert _errors(json_schema_validator, exported) == []
    # Schema 1 wants a letter or digit last: slugs ending in "-" (FOSDEM) lose the dashes.
    cut = {
        g: dataclasses.replace(s, slug=s.slug.rstrip("-_")) for g, s in by_guid(original).items()
    }
    assert by_guid(again) == cut
    assert again.conference == original.conference


def test_parse_invalid_example_names_element_and_line() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_schedule_json(read_fixture("voc-invalid-example.json"))

    assert str(raised.value) == (
        "schedule.conference.days[0].rooms.Winterchaos[0].persons[0].id on line 43: "
        "'dsadf' is not an integer"
    )
    assert raised.value.line == 43


def test_invalid_example_also_fails_schema_1(
    json_schema_validator: jsonschema.Draft6Validator,
) -> None:
    assert _errors(json_schema_validator, read_fixture("voc-invalid-example.json")) != []


def test_parse_rc3_without_zone_name_derives_fixed_offset_zone() -> None:
    data = parse_schedule_json(read_fixture("voc-pretalx-rc3.json"))

    assert data.conference.time_zone == "Etc/GMT-1"
    assert data.conference.day_change == "04:00"
    assert data.sessions[0].persons == (
        PersonData(name="Chris Fiege", id=20, guid=None, biography=""),
        PersonData(name="Kasa", id=21, guid=None, biography=""),
    )


def test_parse_camp2019_session_crossing_midnight_belongs_to_its_start_day() -> None:
    data = parse_schedule_json(read_fixture("voc-frab-camp2019.json"))

    late = next(s for s in data.sessions if s.id == 10344)

    assert late.start_utc == dt.datetime(2019, 8, 22, 21, 0, tzinfo=UTC)  # 23:00 CEST
    assert late.duration_minutes == 90
    assert data.day_of(late) == dt.date(2019, 8, 22)


def test_parse_syntax_error_names_line() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_schedule_json(b'{\n  "schedule": {\n    "version": 1,,\n  }\n}')

    assert str(raised.value) == (
        "document on line 3: not valid JSON: Expecting property name enclosed in double quotes"
    )
    assert raised.value.line == 3


def test_parse_deeply_nested_document_is_refused_not_a_crash() -> None:
    depth = 100_000
    with pytest.raises(ScheduleImportError) as raised:
        parse_schedule_json(b'{"schedule": ' + b"[" * depth + b"]" * depth + b"}")

    assert str(raised.value) == "document: not a schedule: arrays or objects nested too deeply"


def test_parse_missing_schedule_object_is_refused() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_schedule_json(b"[]")

    assert str(raised.value) == 'document on line 1: expected an object with a "schedule" object'


def _document(event_changes: dict[str, object]) -> bytes:
    event: dict[str, object] = {
        "id": 1,
        "guid": "0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b21",
        "date": "2025-03-01T10:00:00+01:00",
        "duration": "00:30",
        "room": "Main",
        "title": "Hello",
        "persons": [{"name": "Ada"}],
        "links": ["https://example.org/a", {"url": "/b", "title": "B"}],
    }
    event.update(event_changes)
    document = {
        "schedule": {
            "version": "1",
            "base_url": "https://example.org/",
            "conference": {
                "acronym": "mini",
                "title": "Mini",
                "time_zone_name": "Europe/Brussels",
                "days": [
                    {
                        "index": 1,
                        "date": "2025-03-01",
                        "day_start": "2025-03-01T09:00:00+01:00",
                        "day_end": "2025-03-02T04:00:00+01:00",
                        "rooms": {"Main": [event]},
                    }
                ],
            },
            "rooms": [{"name": "Side", "guid": "99411f15-7335-4d36-abac-3ff0419ec954"}],
        }
    }
    return json.dumps(document, indent=2).encode()


def test_parse_lenient_values_are_accepted() -> None:
    data = parse_schedule_json(_document({"id": "17", "duration": "01:15:00", "url": "/talk"}))

    session = data.sessions[0]
    assert (session.id, session.duration_minutes) == (17, 75)
    assert session.url == "https://example.org/talk"
    assert session.links == (
        ("https://example.org/a", "https://example.org/a"),
        ("B", "https://example.org/b"),
    )
    assert session.persons == (PersonData(name="Ada"),)
    # Rooms listed beside the conference (as the invalid example does) still count.
    assert [r.name for r in data.rooms] == ["Side", "Main"]


def test_parse_bad_duration_names_path_and_line() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_schedule_json(_document({"duration": "soon"}))

    assert str(raised.value) == (
        "schedule.conference.days[0].rooms.Main[0].duration on line 21: "
        "'soon' is not a duration in HH:MM, HH:MM:SS or DDD:HH:MM"
    )


def test_parse_bad_date_names_path_and_line() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_schedule_json(_document({"date": "tomorrow"}))

    assert str(raised.value) == (
        "schedule.conference.days[0].rooms.Main[0].date on line 20: "
        "'tomorrow' is not an ISO 8601 date-time"
    )


def test_export_strips_control_characters_and_validates(
    make_schedule: Callable[..., ScheduleData], json_schema_validator: jsonschema.Draft6Validator
) -> None:
    session = SessionData(
        guid="4f3c2b1a-0000-4000-8000-000000000002",
        id=2,
        title="Bad\x00 ti\x07tle",
        start_utc=dt.datetime(2025, 10, 25, 9, 0, tzinfo=UTC),
        duration_minutes=30,
        room="Hall A",
        abstract="a\x1bb",
        persons=(PersonData(name="Ev\x08e", id=None, biography="x\x0cy"),),
    )

    exported = write_schedule_json(make_schedule(sessions=[session]))
    again = parse_schedule_json(exported)

    assert _errors(json_schema_validator, exported) == []
    assert b"\\u0000" not in exported and b"\\u0007" not in exported
    assert (again.sessions[0].title, again.sessions[0].abstract) == ("Bad title", "ab")
    assert again.sessions[0].persons == (PersonData(name="Eve", biography="xy"),)


def test_export_dst_spanning_event_uses_offset_in_force(
    make_schedule: Callable[..., ScheduleData], json_schema_validator: jsonschema.Draft6Validator
) -> None:
    spanning = SessionData(
        guid="4f3c2b1a-0000-4000-8000-000000000003",
        id=3,
        title="Night",
        slug="testconf_2025-3-night",
        start_utc=dt.datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
        duration_minutes=120,
        room="Hall A",
    )
    data = make_schedule(sessions=[spanning])

    exported = write_schedule_json(data)
    document = json.loads(exported)
    days = document["schedule"]["conference"]["days"]
    event = days[0]["rooms"]["Hall A"][0]

    assert _errors(json_schema_validator, exported) == []
    assert (event["date"], event["start"], event["duration"]) == (
        "2025-10-26T02:30:00+02:00",
        "02:30",
        "02:00",
    )
    assert [(d["day_start"], d["day_end"]) for d in days] == [
        ("2025-10-25T04:00:00+02:00", "2025-10-26T04:00:00+01:00"),
        ("2025-10-26T04:00:00+01:00", "2025-10-27T04:00:00+01:00"),
    ]
    assert parse_schedule_json(exported).sessions == (spanning,)


def test_export_keeps_dashed_acronym_in_meta_for_reimport(
    make_schedule: Callable[..., ScheduleData],
) -> None:
    data = make_schedule(slug="fosdem-2025")

    document = json.loads(write_schedule_json(data))

    assert document["schedule"]["conference"]["acronym"] == "fosdem_2025"
    assert parse_schedule_json(json.dumps(document)).conference.slug == "fosdem-2025"


def test_parse_non_utf8_bytes_are_refused() -> None:
    with pytest.raises(ScheduleImportError) as raised:
        parse_schedule_json(b'{"schedule": "caf\xe9"}')

    assert str(raised.value) == "document: not UTF-8 text (byte 17)"


def test_parse_pretalx_person_with_only_a_code_gets_a_stable_guid() -> None:
    persons = [{"code": "ABC123", "name": "Ada"}]

    first = parse_schedule_json(_document({"persons": persons})).sessions[0].persons[0]
    again = parse_schedule_json(_document({"persons": persons})).sessions[0].persons[0]

    assert first.guid is not None and first.id is None
    assert first == again


def test_parse_person_avatar_keeps_web_urls_only() -> None:
    persons = [
        {"name": "Ada", "avatar": "https://cdn.example/ada.png"},
        {"name": "Bob", "avatar": "/media/bob.jpg"},
        {"name": "Cy", "avatar": "javascript:alert(1)"},
        {"name": "Di", "avatar": None},
    ]

    parsed = parse_schedule_json(_document({"persons": persons})).sessions[0].persons

    assert [p.avatar for p in parsed] == [
        "https://cdn.example/ada.png",
        "https://example.org/media/bob.jpg",  # relative to the document's base_url
        None,
        None,
    ]


def test_export_person_avatar_validates_and_round_trips(
    make_schedule: Callable[..., ScheduleData], json_schema_validator: jsonschema.Draft6Validator
) -> None:
    session = SessionData(
        guid="4f3c2b1a-0000-4000-8000-000000000003",
        id=3,
        title="Pictures",
        start_utc=dt.datetime(2025, 10, 25, 9, 0, tzinfo=UTC),
        duration_minutes=30,
        room="Hall A",
        persons=(
            PersonData(
                name="Ada",
                guid="0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b99",
                avatar="https://example.org/speaker/avatars/ada.png",
            ),
            PersonData(name="Frab Bob", id=12, avatar="https://example.org/bob.jpg"),
            PersonData(name="Cy"),
        ),
    )

    exported = write_schedule_json(make_schedule(sessions=[session]))
    persons = json.loads(exported)["schedule"]["conference"]["days"][0]["rooms"]["Hall A"][0][
        "persons"
    ]
    again = parse_schedule_json(exported).sessions[0].persons

    assert _errors(json_schema_validator, exported) == []
    assert [p.get("avatar") for p in persons] == [
        "https://example.org/speaker/avatars/ada.png",
        "https://example.org/bob.jpg",
        None,
    ]
    assert "avatar" not in persons[2]
    assert again == session.persons
