"""Importing every format through the CLI and the web form, and the schedule v2 export."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from podium.cfp.models import Submission
from podium.events.models import Event
from podium.exchange.cli import import_schedule_command
from podium.exchange.services import import_schedule, parse_schedule_file
from podium.extensions import db
from podium.schedule.models import ScheduleRelease
from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, UserFactory

from .conftest import FIXTURES, SCHEDULES


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _upload(client: FlaskClient, event: Event, path: str, time_zone: str = ""):  # type: ignore[no-untyped-def]
    payload = (SCHEDULES / path).read_bytes()
    return client.post(
        f"/orga/{event.slug}/schedule/import/",
        data={"file": (io.BytesIO(payload), path.rsplit("/", 1)[-1]), "time_zone": time_zone},
        content_type="multipart/form-data",
    )


@pytest.fixture
def organizer(app: Flask, client: FlaskClient) -> tuple[FlaskClient, Event]:
    event = EventFactory(slug="quirks")
    user = UserFactory()
    MembershipFactory(event=event, user=user, role="organizer")
    return login(client, user), event


def test_cli_refuses_an_unrecognised_layout_and_publishes_nothing(app: Flask) -> None:
    path = SCHEDULES / "quirks" / "events-outside-days.schedule.xml"

    result = app.test_cli_runner().invoke(
        import_schedule_command, [str(path), "--event", "q", "--publish"]
    )

    assert result.exit_code == 1
    assert result.output == (
        f"podium import-schedule: {path}: document: the file holds 2 events but none could be "
        "read: its layout (XML root <schedule>, events at <schedule>/<events>/<event> x2) is "
        "not frab/pentabarf schedule.xml as Podium reads it, so nothing was imported\n"
    )
    assert (_count(Event), _count(ScheduleRelease)) == (0, 0)


def test_cli_no_zone_file_proposes_the_city_zone_and_imports_with_it(app: Flask) -> None:
    path = SCHEDULES / "quirks" / "no-zone-city-brussels.schedule.xml"
    runner = app.test_cli_runner()

    refused = runner.invoke(import_schedule_command, [str(path), "--event", "q"])
    done = runner.invoke(
        import_schedule_command, [str(path), "--event", "q", "--time-zone", "Europe/Brussels"]
    )

    assert refused.exit_code == 1
    assert refused.output.endswith(
        "its <city> 'Brussels' suggests Europe/Brussels: choose that time zone\n"
        "  try: --time-zone Europe/Brussels\n"
    )
    assert done.exit_code == 0, done.output
    event = db.session.scalar(select(Event).where(Event.slug == "q"))
    assert event is not None and event.time_zone == "Europe/Brussels"


def test_cli_summary_lists_zero_length_and_skipped_scheme_less_links(app: Flask) -> None:
    runner = app.test_cli_runner()
    ddd = SCHEDULES / "quirks" / "ddd-duration.schedule.xml"
    links = SCHEDULES / "quirks" / "schemeless-links.schedule.xml"

    first = runner.invoke(import_schedule_command, [str(ddd), "--event", "q"])
    second = runner.invoke(import_schedule_command, [str(links), "--event", "q2"])

    assert first.output.splitlines()[1] == (
        "  session 7b0c9a10-0000-4000-8000-000000000002 ('Doors open') lasts 0 minutes; "
        "it was imported as a zero-length slot"
    )
    assert second.output.splitlines()[0].endswith("; 1 links skipped")
    assert second.output.splitlines()[1] == (
        "  session 7b0c9a10-0000-4000-8000-000000000003 ('Mixnets'): link 'nymtech.net' "
        "skipped: only http and https addresses are kept"
    )
    durations = db.session.scalars(
        select(Submission.duration_minutes).order_by(Submission.duration_minutes)
    ).all()
    assert durations == [0, 30, 1590]


def test_zone_disagreement_reaches_the_import_summary(app: Flask) -> None:
    raw = (SCHEDULES / "quirks" / "declared-utc-offsets-plus1.schedule.xml").read_bytes()

    result = import_schedule(data=parse_schedule_file(raw), event_slug="q", actor=None)

    assert result.warnings == [
        "the file declares time zone UTC, but 2 of its 2 date-times carry UTC offsets UTC "
        "does not have at those dates (+01:00); every instant was kept as the file gives it "
        "and local times are shown in UTC, so they differ from the times written in the file; "
        "if UTC is wrong, import again choosing the right time zone"
    ]


def test_web_import_of_an_ics_file(organizer: tuple[FlaskClient, Event]) -> None:
    client, event = organizer

    response = _upload(client, event, "ics/tzid-without-vtimezone.ics")

    assert response.status_code == 302
    titles = db.session.scalars(
        select(Submission.title).where(Submission.event_id == event.id).order_by(Submission.title)
    ).all()
    assert titles == ["Keynote", "Opening"]
    assert db.session.get(Event, event.id).time_zone == "Europe/Brussels"  # type: ignore[union-attr]


def test_web_import_without_zone_offers_the_city_zone_in_the_form(
    organizer: tuple[FlaskClient, Event],
) -> None:
    client, event = organizer

    refused = _upload(client, event, "quirks/no-zone-city-brussels.schedule.xml")
    accepted = _upload(
        client, event, "quirks/no-zone-city-brussels.schedule.xml", time_zone="Europe/Brussels"
    )

    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'value="Europe/Brussels"' in page
    assert "suggests Europe/Brussels: choose that time zone" in page
    assert accepted.status_code == 302


def test_web_import_of_an_unrecognised_json_layout_is_a_form_error(
    organizer: tuple[FlaskClient, Event],
) -> None:
    client, event = organizer

    response = _upload(client, event, "quirks/unknown-flat-sessions.json")

    assert response.status_code == 400
    assert "the file holds 2 events but is not a schedule Podium reads" in response.get_data(
        as_text=True
    )
    assert _count(Submission) == 0


def test_schedule_v2_export_validates_and_says_what_schedule_json_says(app: Flask) -> None:
    path = SCHEDULES / "v2" / "hub-style.schedule-v2.json"
    result = app.test_cli_runner().invoke(
        import_schedule_command, [str(path), "--event", "q", "--public", "--publish"]
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    schema = json.loads((FIXTURES / "schemas" / "schedule-schema2.json").read_text("utf-8"))
    validator = jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )

    response = client.get("/q/schedule-v2.json")
    v1 = client.get("/q/schedule.json").get_json()

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'inline; filename="schedule-v2.json"'
    document = response.get_json()
    assert [e.message for e in validator.iter_errors(document)] == []
    v1_events = {
        e["guid"]: (e["title"], e["date"], e["room"], [p.get("name") for p in e["persons"]])
        for day in v1["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for e in events
    }
    v2_events = {
        e["guid"]: (
            e["title"],
            e["start"],
            e["room"]["name"],
            [p["name"] for p in e["participants"]],
        )
        for e in document["schedule"]["events"]
    }
    assert v2_events == v1_events
    assert len(v2_events) == 2
    conference = document["schedule"]["conference"]
    assert [(r["name"], r.get("capacity")) for r in conference["rooms"]] == [
        ("Saal 1", 3000),
        ("Workshop Tent", 40),
    ]
    assert [t["name"] for t in conference["tracks"]] == ["Ethics", "Hardware", "Unused track"]
    persons = {p["name"]: p["biography"] for p in document["schedule"]["persons"]}
    assert persons == {"Mitch Altman": "Hardware hacker.", "Jane Doe": ""}
    again = client.get("/q/schedule-v2.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert b"/q/schedule-v2.json" in client.get("/q/").data
