"""Fixtures for the exchange tests: real schedule files, the schemas, and a small schedule."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import etree

from podium.exchange.schedule_data import (
    Conference,
    PersonData,
    RoomData,
    ScheduleData,
    SessionData,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCHEDULES = FIXTURES / "schedules"

# file name -> (days, rooms, events) as listed in tests/fixtures/README.md
XML_COUNTS = {
    "romhack-camp-2026.schedule.xml": (3, 2, 10),
    "debconf23.schedule.xml": (8, 5, 117),
    "31c3.schedule.xml": (4, 4, 138),
    "39c3.schedule.xml": (4, 14, 215),
    "fosdem-2025.schedule.xml": (2, 40, 943),
}
JSON_COUNTS = {
    "voc-pretalx-rc3.json": (4, 5, 48),
    "voc-frab-camp2019.json": (5, 2, 79),
}


def read_fixture(name: str) -> bytes:
    """Bytes of a schedule fixture (``*.xml`` under xml/, ``*.json`` under json/)."""
    folder = "xml" if name.endswith(".xml") else "json"
    return (SCHEDULES / folder / name).read_bytes()


@pytest.fixture(scope="session")
def xsd() -> etree.XMLSchema:
    """The c3voc schedule.xml schema."""
    return etree.XMLSchema(etree.parse(str(FIXTURES / "schemas" / "schedule.xml.xsd")))


@pytest.fixture(scope="session")
def json_schema_validator() -> jsonschema.Draft6Validator:
    """A validator for schedule JSON schema 1, checking formats too."""
    schema = json.loads((FIXTURES / "schemas" / "schedule-schema1.json").read_text("utf-8"))
    return jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )


def by_guid(data: ScheduleData) -> dict[str, SessionData]:
    """Sessions keyed by guid (exports reorder sessions by day, room and time)."""
    return {s.guid: s for s in data.sessions}


@pytest.fixture
def make_schedule() -> Callable[..., ScheduleData]:
    """Build a small Europe/Berlin schedule across the October 2025 DST change.

    Keyword arguments replace ``Conference`` fields; ``sessions`` replaces the sessions.
    """

    def build(sessions: list[SessionData] | None = None, **conference: Any) -> ScheduleData:
        values: dict[str, Any] = {
            "title": "Test Conf",
            "slug": "testconf-2025",
            "time_zone": "Europe/Berlin",
            "start_date": dt.date(2025, 10, 25),
            "end_date": dt.date(2025, 10, 26),
            "day_change": "04:00",
            "url": "https://example.org/",
            "base_url": "https://example.org/schedule/",
        }
        values.update(conference)
        if sessions is None:
            sessions = [
                SessionData(
                    guid="4f3c2b1a-0000-4000-8000-000000000001",
                    id=1,
                    title="Opening",
                    start_utc=dt.datetime(2025, 10, 25, 8, 0, tzinfo=dt.UTC),
                    duration_minutes=30,
                    room="Hall A",
                    track="Community",
                    session_type="Talk",
                    language="en",
                    persons=(PersonData(name="Ada", id=1, guid=None),),
                )
            ]
        return ScheduleData(
            conference=Conference(**values),
            rooms=(
                RoomData(name="Hall A", guid="11111111-2222-4333-8444-555555555555"),
                RoomData(name="Hall B", guid="11111111-2222-4333-8444-666666666666"),
            ),
            sessions=tuple(sessions),
            version="1.0",
        )

    return build
