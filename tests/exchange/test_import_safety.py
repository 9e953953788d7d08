"""Import safety: re-imports whose speakers changed, and out-of-range values.

Both on the web form and the CLI; errors must be a form error or a CLI message naming the
field (and line or session), never a 500 or a traceback, and must leave the database as it
was.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.cfp.models import Submission, SubmissionSpeaker
from podium.events.models import Event
from podium.exchange.cli import import_schedule_command
from podium.exchange.errors import ScheduleImportError
from podium.exchange.services import (
    build_schedule_data,
    import_schedule,
    parse_schedule_file,
    speaker_person,
)
from podium.extensions import db
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SpeakerProfileFactory,
    UserFactory,
)

from .conftest import read_fixture

ROMHACK = read_fixture("romhack-camp-2026.schedule.xml")
# Pattern: the next version of a schedule in which speakers were added, removed and
# reordered (a co-speaker joins, a talk changes hands, the credits are swapped).
CHANGED_SPEAKERS = (
    ROMHACK.replace(
        b"<person id='115'>Cyber Saiyan</person><person id='153'>fibonhack</person>",
        b"<person id='153'>fibonhack</person><person id='115'>Cyber Saiyan</person>",
    )
    .replace(
        b"<person id='115'>Cyber Saiyan</person>",
        b"<person id='115'>Cyber Saiyan</person><person id='200'>Nuovo Speaker</person>",
        1,
    )
    .replace(
        b"<person id='143'>Guerre di Rete</person>", b"<person id='115'>Cyber Saiyan</person>", 1
    )
)
AWARD = "Community CTF by fibonhack - Award Ceremony"
MANUALETTO = 'Presentazione "Manualetto di sicurezza digitale per giornalisti e attivisti"'
EXPECTED_CHANGES = {
    "RomHack Camp Opening": ["Cyber Saiyan", "Nuovo Speaker"],
    MANUALETTO: ["Cyber Saiyan"],
    AWARD: ["fibonhack", "Cyber Saiyan"],
}


def _event(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    assert event is not None
    return event


def _speakers(slug: str) -> dict[str, list[str]]:
    db.session.expire_all()
    built = build_schedule_data(_event(slug))
    return {
        s.title: [p.name for p in s.persons] for s in built.sessions if s.title in EXPECTED_CHANGES
    }


@pytest.fixture
def organizer_client(app: Flask, client: FlaskClient) -> tuple[FlaskClient, Event]:
    event = EventFactory(slug="rh-2026")
    user = UserFactory()
    MembershipFactory(event=event, user=user, role="organizer")
    return login(client, user), event


def _upload(client: FlaskClient, event: Event, name: str, payload: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        f"/orga/{event.slug}/schedule/import/",
        data={"file": (io.BytesIO(payload), name), "time_zone": ""},
        content_type="multipart/form-data",
    )


# --------------------------------------------------------------------------- 6: speakers


def test_changed_speakers_reimport_on_the_web(
    organizer_client: tuple[FlaskClient, Event],
) -> None:
    client, event = organizer_client
    first = _upload(client, event, "schedule.xml", ROMHACK)

    second = _upload(client, event, "schedule.xml", CHANGED_SPEAKERS)

    assert (first.status_code, second.status_code) == (302, 302)
    assert _speakers(event.slug) == EXPECTED_CHANGES


def test_changed_speakers_reimport_on_the_cli(app: Flask, tmp_path: Path) -> None:
    before, after = tmp_path / "v1.xml", tmp_path / "v2.xml"
    before.write_bytes(ROMHACK)
    after.write_bytes(CHANGED_SPEAKERS)
    runner = app.test_cli_runner()

    first = runner.invoke(import_schedule_command, [str(before), "--event", "rh"])
    second = runner.invoke(import_schedule_command, [str(after), "--event", "rh"])

    assert (first.exit_code, second.exit_code) == (0, 0), second.output
    assert second.output.splitlines()[0] == (
        "event rh updated: sessions 0 new, 3 updated, 7 unchanged; 0 new rooms, "
        "0 new tracks, 0 new session types, 1 new speakers"
    )
    assert _speakers("rh") == EXPECTED_CHANGES


def test_changed_speakers_reimport_twice_in_one_session(app: Flask) -> None:
    import_schedule(data=parse_schedule_file(ROMHACK), event_slug="rh", actor=None)
    import_schedule(data=parse_schedule_file(CHANGED_SPEAKERS), event_slug="rh", actor=None)

    back = import_schedule(data=parse_schedule_file(ROMHACK), event_slug="rh", actor=None)

    assert back.sessions_updated == 3
    assert _speakers("rh") == {
        "RomHack Camp Opening": ["Cyber Saiyan"],
        MANUALETTO: ["Guerre di Rete"],
        AWARD: ["Cyber Saiyan", "fibonhack"],
    }


# --------------------------------------------------------------------------- 7: ranges

XML = """<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference>
    <title>Mini</title><acronym>mini-2025</acronym>
    <time_zone_name>Europe/Brussels</time_zone_name>
  </conference>
  <day index="1" date="{day}">
    <room name="Main">
      <event id="{id}" guid="0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b21">
        <date>{date}</date><start>10:00</start><duration>{duration}</duration>
        <room>Main</room><title>Hello</title>
        <persons><person id="{person}">Ada</person></persons>
      </event>
    </room>
  </day>
</schedule>
"""
HUGE = "9" * 5000


def _xml(**values: str) -> bytes:
    defaults = {
        "day": "2025-03-01",
        "id": "1",
        "date": "2025-03-01T10:00:00+01:00",
        "duration": "00:30",
        "person": "1",
    }
    return XML.format(**{**defaults, **values}).encode()


def _json(event: dict[str, Any] | None = None, room: dict[str, Any] | None = None) -> bytes:
    values = {
        "id": 1,
        "guid": "0b3d6a2e-1c9f-4e8a-9d7b-2a6c5e4f3b21",
        "date": "2025-03-01T10:00:00+01:00",
        "duration": "00:30",
        "room": "Main",
        "title": "Hello",
        "persons": [{"id": 1, "public_name": "Ada"}],
        **(event or {}),
    }
    document = {
        "schedule": {
            "version": "1",
            "conference": {
                "acronym": "mini-2025",
                "title": "Mini",
                "time_zone_name": "Europe/Brussels",
                "rooms": [{"name": "Main", **(room or {})}],
                "days": [{"index": 1, "date": "2025-03-01", "rooms": {"Main": ["EVENT"]}}],
            },
        }
    }
    text = json.dumps(document, indent=1)
    for key, value in (room or {}).items():
        if isinstance(value, RawJson):
            text = text.replace(f'"{key}": {json.dumps(value)}', f'"{key}": {value}')
    # Raw JSON text for the event, so numbers json.dumps cannot write (5,000 digits) fit in.
    body = ", ".join(
        f'"{k}": {v if isinstance(v, RawJson) else json.dumps(v)}' for k, v in values.items()
    )
    return text.replace('"EVENT"', "{" + body + "}").encode()


class RawJson(str):
    """JSON text to put into a document as it is."""


OUT_OF_RANGE = [
    (
        "xml event id of 5000 digits",
        _xml(id=HUGE),
        "<event> on line 9: id a number of 5000 digits is out of range (ids run from 0 to "
        "2147483647)",
    ),
    (
        "xml person id of 5000 digits",
        _xml(person=HUGE),
        "<person> on line 12: id a number of 5000 digits is out of range (ids run from "
        "-2147483648 to 2147483647)",
    ),
    (
        "xml person id too large for any database",
        _xml(person="99999999999"),
        "<person> on line 12: id 99999999999 is out of range (ids run from -2147483648 to "
        "2147483647)",
    ),
    (
        "xml date in year 1",
        _xml(date="0001-01-01T10:00:00+01:00"),
        "<date> on line 10: date 0001-01-01T10:00:00+01:00 is out of range (dates run from "
        "1900 to 2200)",
    ),
    (
        "xml date in year 9999",
        _xml(date="9999-12-31T23:30:00+01:00"),
        "<date> on line 10: date 9999-12-31T23:30:00+01:00 is out of range (dates run from "
        "1900 to 2200)",
    ),
    (
        "xml day date in year 9999",
        _xml(day="9999-12-31", date="9999-12-31T10:00:00+01:00"),
        "<day> on line 7: date 9999-12-31 is out of range (dates run from 1900 to 2200)",
    ),
    (
        "xml duration far too long",
        _xml(duration="999:00"),
        "<duration> on line 10: '999:00' is 59940 minutes; a session lasts at most 20160 "
        "minutes (14 days)",
    ),
    (
        "json event id of 5000 digits",
        _json({"id": RawJson(HUGE)}),
        "schedule.conference.days[0].rooms.Main[0].id on line 19: a number of 5000 digits "
        "is out of range (ids run from 0 to 2147483647)",
    ),
    (
        "json event id of 35 digits",
        _json({"id": RawJson("1" * 35)}),
        "schedule.conference.days[0].rooms.Main[0].id on line 19: a number of 35 digits is "
        "out of range (ids run from 0 to 2147483647)",
    ),
    (
        "json negative event id",
        _json({"id": -3}),
        "schedule.conference.days[0].rooms.Main[0].id on line 19: -3 is out of range (ids "
        "run from 0 to 2147483647)",
    ),
    (
        "json person id of 5000 digits",
        _json({"persons": [{"id": RawJson(HUGE), "public_name": "Ada"}]}),
        "schedule.conference.days[0].rooms.Main[0].persons[0].id on line 19: a number of "
        "5000 digits is out of range (ids run from -2147483648 to 2147483647)",
    ),
    (
        "json date in year 9999",
        _json({"date": "9999-12-31T23:30:00+01:00"}),
        "schedule.conference.days[0].rooms.Main[0].date on line 19: "
        "9999-12-31T23:30:00+01:00 is out of range (dates run from 1900 to 2200)",
    ),
    (
        "json date in year 1",
        _json({"date": "0001-01-01T00:10:00+01:00"}),
        "schedule.conference.days[0].rooms.Main[0].date on line 19: "
        "0001-01-01T00:10:00+01:00 is out of range (dates run from 1900 to 2200)",
    ),
    (
        "json room capacity of 1e400",
        _json(room={"capacity": RawJson("1e400")}),
        "schedule.conference.rooms[0].capacity on line 11: out of range (0 to 1000000)",
    ),
]


@pytest.mark.parametrize(
    ("raw", "message"), [c[1:] for c in OUT_OF_RANGE], ids=[c[0] for c in OUT_OF_RANGE]
)
def test_out_of_range_value_is_an_error_naming_the_field(
    app: Flask, raw: bytes, message: str
) -> None:
    with pytest.raises(ScheduleImportError) as raised:
        import_schedule(data=parse_schedule_file(raw), event_slug="mini", actor=None)

    assert str(raised.value) == message
    assert db.session.scalars(select(Event.slug)).all() == []


def test_out_of_range_upload_is_a_form_error_and_keeps_the_schedule_as_it_was(
    organizer_client: tuple[FlaskClient, Event],
) -> None:
    client, event = organizer_client
    assert _upload(client, event, "schedule.xml", ROMHACK).status_code == 302
    # The first session is retitled, a later one is far too long: nothing of it may stay.
    broken = ROMHACK.replace(b"RomHack Camp Opening", b"Retitled", 1).replace(
        b"<duration>00:40</duration>", b"<duration>900:00</duration>", 1
    )

    response = _upload(client, event, "schedule.xml", broken)
    huge = _upload(client, event, "schedule.json", _json({"id": RawJson(HUGE)}))

    assert response.status_code == 400
    assert b"is 54000 minutes; a session lasts at most 20160 minutes (14 days)" in (response.data)
    assert huge.status_code == 400
    assert (
        b"rooms.Main[0].id on line 19: a number of 5000 digits is out of range (ids run from 0 "
        b"to 2147483647)" in huge.data
    )
    titles = db.session.scalars(select(Submission.title).order_by(Submission.title)).all()
    assert titles == sorted(s.title for s in parse_schedule_file(ROMHACK).sessions)


def test_out_of_range_file_on_the_cli_is_one_line_not_a_traceback(
    app: Flask, tmp_path: Path
) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(_json({"id": RawJson(HUGE)}))

    result = app.test_cli_runner().invoke(import_schedule_command, [str(path)])

    assert result.exit_code == 1
    assert result.output == (
        f"podium import-schedule: {path}: schedule.conference.days[0].rooms.Main[0].id on "
        "line 19: a number of 5000 digits is out of range (ids run from 0 to 2147483647)\n"
    )


def test_web_import_summary_names_every_repeated_guid(
    organizer_client: tuple[FlaskClient, Event],
) -> None:
    client, event = organizer_client
    folder = Path(__file__).resolve().parents[1] / "fixtures" / "schedules" / "identities"

    twice = _upload(
        client, event, "schedule.xml", (folder / "workshop-twice.schedule.xml").read_bytes()
    )
    page = client.get(twice.headers["Location"])

    assert twice.status_code == 302
    assert (
        "imported as separate sessions: &#39;Solder a badge&#39; at 2025-08-14 13:00 UTC, "
        "&#39;Solder a badge&#39; at 2025-08-15 08:00 UTC."
    ) in page.get_data(as_text=True)


def test_organizer_of_another_event_cannot_rewrite_a_speaker_through_the_web_form(
    organizer_client: tuple[FlaskClient, Event],
) -> None:
    client, event_b = organizer_client
    import_schedule(data=parse_schedule_file(ROMHACK), event_slug="event-a", actor=None)
    profile = SpeakerProfileFactory(user=UserFactory(name="Real Name"), biography="Real bio")
    opening = db.session.scalar(
        select(Submission).where(Submission.title == "RomHack Camp Opening")
    )
    assert opening is not None
    db.session.add(SubmissionSpeaker(submission=opening, speaker=profile, position=5))
    db.session.commit()
    # The guid event A's program and API show for this speaker.
    public_guid = speaker_person(profile).guid
    attack = _json({"persons": [{"guid": public_guid, "name": "Mallory", "biography": "Replaced"}]})

    response = _upload(client, event_b, "schedule.json", attack)

    assert response.status_code == 302
    db.session.expire_all()
    assert (profile.name, profile.biography) == ("Real Name", "Real bio")
    built = build_schedule_data(_event("event-a"))
    opening_names = [p.name for s in built.sessions if s.title == opening.title for p in s.persons]
    assert opening_names == ["Cyber Saiyan", "Real Name"]
