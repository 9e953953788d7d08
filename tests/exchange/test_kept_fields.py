"""Fields kept through import -> release -> every export (issue 12, "fields kept")."""

from __future__ import annotations

import dataclasses
import json

import icalendar
import jsonschema
import pytest
from flask import Flask
from lxml import etree

from podium.exchange.cli import import_schedule_command
from podium.exchange.formats import parse_any
from podium.exchange.schedule_json import parse_schedule_json, write_schedule_json
from podium.exchange.schedule_v2 import parse_schedule_v2, write_schedule_v2

from .conftest import FIXTURES, SCHEDULES

KEPT = SCHEDULES / "quirks" / "kept-fields.schedule.xml"
SESSION_FACTS = {
    "logo": "https://kept.example.org/talk1.png",
    "feedback_url": "https://kept.example.org/talk/1/feedback/",
    "origin_url": "https://pretalx.example.org/kept2025/talk/ABCDEF/",
    "recording_license": "CC BY 4.0",
    "do_not_record": True,
}


def _facts(session: object) -> dict[str, object]:
    return {key: getattr(session, key) for key in SESSION_FACTS}


def _validator(name: str) -> jsonschema.Draft6Validator:
    schema = json.loads((FIXTURES / "schemas" / name).read_text("utf-8"))
    return jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )


@pytest.fixture
def published(app: Flask) -> Flask:
    result = app.test_cli_runner().invoke(
        import_schedule_command, [str(KEPT), "--public", "--publish"]
    )
    assert result.exit_code == 0, result.output
    return app


def test_parsers_read_the_optional_fields() -> None:
    data = parse_any(KEPT.read_bytes())

    assert (data.conference.logo, data.conference.venue, data.conference.city) == (
        "https://kept.example.org/logo.png",
        "ULB Solbosch",
        "Brussels",
    )
    assert _facts(data.sessions[0]) == SESSION_FACTS


def test_json_and_v2_writers_round_trip_the_optional_fields() -> None:
    data = parse_any(KEPT.read_bytes())
    session = dataclasses.replace(data.sessions[0], do_not_stream=True)
    data = data.replace(sessions=(session,))

    for again in (
        parse_schedule_json(write_schedule_json(data)),
        parse_schedule_v2(write_schedule_v2(data)),
    ):
        assert again.sessions == data.sessions
        assert again.conference == data.conference


def test_release_exports_keep_the_fields_and_validate(
    published: Flask, xsd: etree.XMLSchema
) -> None:
    client = published.test_client()

    xml = etree.fromstring(client.get("/kept2025/schedule.xml").data)
    v1 = client.get("/kept2025/schedule.json").get_json()
    v2 = client.get("/kept2025/schedule-v2.json").get_json()

    assert xsd.validate(xml), xsd.error_log
    assert _validator("schedule-schema1.json").is_valid(v1)
    assert [e.message for e in _validator("schedule-schema2.json").iter_errors(v2)] == []
    event = xml.find("day/room/event")
    assert {tag: event.findtext(tag) for tag in ("logo", "feedback_url", "origin_url")} == {
        key: SESSION_FACTS[key] for key in ("logo", "feedback_url", "origin_url")
    }
    assert (event.findtext("recording/license"), event.findtext("recording/optout")) == (
        "CC BY 4.0",
        "true",
    )
    assert xml.findtext("conference/logo") == "https://kept.example.org/logo.png"
    assert [t.get("name") for t in xml.iterfind("conference/track")] == [
        "Main track",
        "Nobody uses this track",
    ]
    (v1_event,) = v1["schedule"]["conference"]["days"][0]["rooms"]["Janson"]
    assert {key: v1_event.get(key) for key in SESSION_FACTS} == SESSION_FACTS
    assert v1["schedule"]["conference"]["meta"]["podium"]["venue"] == "ULB Solbosch"
    assert v1["schedule"]["conference"]["meta"]["podium"]["city"] == "Brussels"
    assert v1["schedule"]["conference"]["meta"]["podium"]["source_version"] == "Kept 1.0"
    assert v2["schedule"]["conference"]["meta"]["podium"]["source_version"] == "Kept 1.0"
    assert (xml.findtext("version"), v1["schedule"]["version"]) == ("1", "1")
    (v2_event,) = v2["schedule"]["events"]
    assert v2_event["logo"] == {"url": SESSION_FACTS["logo"]}
    assert [(link["type"], link["url"]) for link in v2_event["links"]] == [
        ("FEEDBACK", SESSION_FACTS["feedback_url"]),
        ("ORIGIN", SESSION_FACTS["origin_url"]),
    ]
    assert [t["name"] for t in v2["schedule"]["conference"]["tracks"]] == [
        "Main track",
        "Nobody uses this track",
    ]
    # Every export read back gives the same facts.
    for path in ("/kept2025/schedule.xml", "/kept2025/schedule.json", "/kept2025/schedule-v2.json"):
        again = parse_any(client.get(path).data)
        assert _facts(again.sessions[0]) == SESSION_FACTS, path
        assert again.conference.logo == "https://kept.example.org/logo.png", path
    assert icalendar.Calendar.from_ical(client.get("/kept2025/schedule.ics").data)


def test_reimporting_a_format_without_venue_keeps_the_venue(published: Flask, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = published.test_client()
    path = tmp_path / "kept.ics"
    path.write_bytes(client.get("/kept2025/schedule.ics").data)

    result = published.test_cli_runner().invoke(
        import_schedule_command,
        [str(path), "--event", "kept2025", "--time-zone", "Europe/Brussels", "--publish"],
    )

    assert result.exit_code == 0, result.output
    v1 = client.get("/kept2025/schedule.json").get_json()
    assert v1["schedule"]["conference"]["meta"]["podium"]["venue"] == "ULB Solbosch"
