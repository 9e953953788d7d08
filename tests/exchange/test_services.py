"""Tests for importing schedules into the database and building ScheduleData from it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from flask import Flask
from lxml import etree
from sqlalchemy import func, select

from podium.cfp.models import SpeakerProfile, Submission, SubmissionStateChange
from podium.events.models import Event, Room, SessionType, Track
from podium.exchange.cli import import_schedule_command
from podium.exchange.demo import DEMO_EVENT_SLUG, load_demo_event
from podium.exchange.frab_xml import parse_frab_xml, write_frab_xml
from podium.exchange.schedule_data import ScheduleData, SessionData
from podium.exchange.services import (
    build_schedule_data,
    import_schedule,
    parse_schedule_file,
    speaker_person,
)
from podium.extensions import db
from podium.schedule.models import ScheduleRelease, Slot
from tests.support.queries import count_queries

from .conftest import JSON_COUNTS, SCHEDULES, XML_COUNTS, read_fixture

UTC = dt.UTC


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _comparable(session: SessionData) -> tuple[object, ...]:
    """What survives the database: the source's local id, slug and URL do not."""
    return (
        session.guid,
        session.title,
        session.subtitle,
        session.abstract,
        session.description,
        session.start_utc,
        session.duration_minutes,
        session.room,
        session.track,
        session.session_type,
        session.language,
        tuple(p.name for p in session.persons),
        session.do_not_record,
        session.links,
        session.attachments,
    )


def _fosdem() -> ScheduleData:
    return parse_frab_xml(read_fixture("fosdem-2025.schedule.xml"))


def test_import_fosdem_creates_event_rooms_confirmed_sessions_and_slots(app: Flask) -> None:
    result = import_schedule(data=_fosdem(), event_slug=None, actor=None)

    event = db.session.scalar(select(Event).where(Event.slug == "fosdem-2025"))
    assert event is not None
    assert (event.time_zone, event.start_date, event.end_date, event.day_change_minutes) == (
        "Europe/Brussels",
        dt.date(2025, 2, 1),
        dt.date(2025, 2, 2),
        540,
    )
    assert (result.event_created, result.sessions_created, result.rooms_created) == (
        True,
        943,
        40,
    )
    assert _count(Room) == 40
    assert _count(Slot) == 943
    assert db.session.scalars(select(Submission.state).distinct()).all() == ["confirmed"]
    # draft -> submitted -> accepted -> confirmed, each recorded.
    assert _count(SubmissionStateChange) == 3 * 943
    assert _count(SpeakerProfile) == result.speakers_created
    assert result.speakers_created == len(_fosdem().persons)


def test_import_same_file_twice_updates_and_never_duplicates(app: Flask) -> None:
    import_schedule(data=_fosdem(), event_slug=None, actor=None)
    counts = [_count(m) for m in (Event, Room, Track, SessionType, Submission, SpeakerProfile)]

    again = import_schedule(data=_fosdem(), event_slug=None, actor=None)

    assert [
        _count(m) for m in (Event, Room, Track, SessionType, Submission, SpeakerProfile)
    ] == counts
    assert _count(Slot) == 943
    assert (again.event_created, again.sessions_created, again.sessions_unchanged) == (
        False,
        0,
        943,
    )
    assert (again.rooms_created, again.speakers_created) == (0, 0)


def test_reimport_with_moved_retitled_new_and_dropped_sessions(app: Flask) -> None:
    data = _fosdem()
    import_schedule(data=data, event_slug=None, actor=None)
    first, second, dropped = data.sessions[0], data.sessions[1], data.sessions[2]
    moved = dataclasses.replace(first, start_utc=first.start_utc + dt.timedelta(hours=1))
    retitled = dataclasses.replace(second, title="A better title")
    added = dataclasses.replace(
        first, guid="9b1c0d1e-0000-4000-8000-000000000001", id=99999, title="Late addition"
    )
    changed = data.replace(sessions=(moved, retitled, added, *data.sessions[3:]))

    result = import_schedule(data=changed, event_slug=None, actor=None)

    assert (result.sessions_created, result.sessions_updated) == (1, 2)
    assert result.missing_guids == [dropped.guid]
    slot = db.session.scalar(select(Slot).join(Submission).where(Submission.guid == first.guid))
    assert slot is not None
    assert slot.start_at == first.start_utc + dt.timedelta(hours=1)
    titles = db.session.scalars(
        select(Submission.title).where(Submission.guid.in_([second.guid, added.guid]))
    ).all()
    assert sorted(titles) == ["A better title", "Late addition"]
    # The dropped session is kept, slot and all: importing never loses data.
    assert _count(Slot) == 944


def test_build_schedule_data_gives_back_the_imported_sessions(app: Flask) -> None:
    data = _fosdem()
    import_schedule(data=data, event_slug=None, actor=None)
    event = db.session.scalar(select(Event).where(Event.slug == "fosdem-2025"))
    assert event is not None

    built = build_schedule_data(event, base_url="https://fosdem.org/2025/schedule/")

    assert built.conference.day_change == "09:00"
    assert [r.name for r in built.rooms] == [r.name for r in data.rooms]
    assert len(built.days()) == 2
    assert sorted(map(_comparable, built.sessions), key=str) == sorted(
        map(_comparable, data.sessions), key=str
    )


def test_export_of_built_schedule_validates_and_reimports_without_duplicates(
    app: Flask, xsd: etree.XMLSchema
) -> None:
    import_schedule(data=_fosdem(), event_slug=None, actor=None)
    event = db.session.scalar(select(Event).where(Event.slug == "fosdem-2025"))
    assert event is not None
    exported = write_frab_xml(build_schedule_data(event))
    speakers = _count(SpeakerProfile)

    result = import_schedule(data=parse_frab_xml(exported), event_slug=None, actor=None)

    assert xsd.validate(etree.fromstring(exported).getroottree()), str(xsd.error_log)
    assert (result.sessions_created, result.speakers_created) == (0, 0)
    assert _count(SpeakerProfile) == speakers


def test_build_schedule_data_runs_the_same_number_of_queries_at_two_sizes(app: Flask) -> None:
    small = _fosdem()
    import_schedule(data=small.replace(sessions=small.sessions[:20]), event_slug="a", actor=None)
    event = db.session.scalar(select(Event).where(Event.slug == "a"))
    assert event is not None
    db.session.expire_all()
    with count_queries() as few:
        built_small = build_schedule_data(event)
    import_schedule(data=small, event_slug="a", actor=None)
    db.session.expire_all()
    with count_queries() as many:
        built_large = build_schedule_data(event)

    assert (len(built_small.sessions), len(built_large.sessions)) == (20, 943)
    assert few.count == many.count


@pytest.mark.parametrize(
    ("name", "counts"), sorted({**XML_COUNTS, **JSON_COUNTS}.items()), ids=lambda v: str(v)
)
def test_import_every_real_file_keeps_documented_counts(
    app: Flask, name: str, counts: tuple[int, int, int]
) -> None:
    data = parse_schedule_file(read_fixture(name))

    import_schedule(data=data, event_slug=None, actor=None)
    event = db.session.scalar(select(Event))
    assert event is not None
    built = build_schedule_data(event)

    assert (len(built.days()), len(built.rooms), len(built.sessions)) == counts


def test_cli_imports_file_and_reports_counts(app: Flask) -> None:
    path = SCHEDULES / "xml" / "romhack-camp-2026.schedule.xml"

    result = app.test_cli_runner().invoke(import_schedule_command, [str(path), "--event", "rh"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        "event rh created: sessions 10 new, 0 updated, 0 unchanged; 2 new rooms, "
        "10 new tracks, 3 new session types, 3 new speakers\n"
        "not published yet: the public program shows nothing new until you publish at "
        "http://localhost/orga/rh/schedule/ (or re-run with --publish)\n"
    )


def test_cli_publish_flag_publishes_a_release(app: Flask) -> None:
    path = SCHEDULES / "xml" / "romhack-camp-2026.schedule.xml"

    result = app.test_cli_runner().invoke(
        import_schedule_command, [str(path), "--event", "rh", "--public", "--publish"]
    )

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "published as release 1"
    assert app.test_client().get("/rh/schedule.xml").status_code == 200


def test_cli_publish_rerun_on_the_same_file_keeps_the_current_release(app: Flask) -> None:
    path = SCHEDULES / "xml" / "romhack-camp-2026.schedule.xml"
    args = [str(path), "--event", "rh", "--public", "--publish"]
    assert app.test_cli_runner().invoke(import_schedule_command, args).exit_code == 0

    result = app.test_cli_runner().invoke(import_schedule_command, args)

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "not published: the schedule is unchanged since release 1, which stays current"
    )
    assert db.session.scalars(select(ScheduleRelease.version)).all() == [1]


def test_cli_rerun_without_publish_says_the_release_is_current(app: Flask) -> None:
    path = SCHEDULES / "xml" / "romhack-camp-2026.schedule.xml"
    runner = app.test_cli_runner()
    assert (
        runner.invoke(import_schedule_command, [str(path), "--event", "rh", "--publish"]).exit_code
        == 0
    )

    result = runner.invoke(import_schedule_command, [str(path), "--event", "rh"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "nothing to publish: the schedule is the same as release 1"
    )


def test_cli_publish_rerun_on_an_edited_file_publishes_the_change(app: Flask, tmp_path) -> None:  # type: ignore[no-untyped-def]
    original = (SCHEDULES / "xml" / "romhack-camp-2026.schedule.xml").read_bytes()
    path = tmp_path / "romhack.schedule.xml"
    path.write_bytes(original)
    args = [str(path), "--event", "rh", "--public", "--publish"]
    assert app.test_cli_runner().invoke(import_schedule_command, args).exit_code == 0
    # Only a title changes: no session moves, yet the program must show the new title.
    path.write_bytes(original.replace(b"RomHack Camp Opening", b"RomHack Camp Welcome"))

    result = app.test_cli_runner().invoke(import_schedule_command, args)

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "published as release 2"
    assert "RomHack Camp Welcome" in app.test_client().get("/rh/schedule.xml").get_data(
        as_text=True
    )


def test_cli_invalid_file_fails_with_element_and_line(app: Flask) -> None:
    path = SCHEDULES / "json" / "voc-invalid-example.json"

    result = app.test_cli_runner().invoke(import_schedule_command, [str(path)])

    assert result.exit_code == 1
    assert result.output.endswith(
        "voc-invalid-example.json: schedule.conference.days[0].rooms.Winterchaos[0]"
        ".persons[0].id on line 43: 'dsadf' is not an integer\n"
    )
    assert _count(Event) == 0


def test_demo_event_loads_once_and_is_public(app: Flask) -> None:
    first = load_demo_event()
    second = load_demo_event()

    event = db.session.scalar(select(Event).where(Event.slug == DEMO_EVENT_SLUG))
    assert event is not None and event.is_public
    assert first.startswith("Demo event loaded from the bundled FOSDEM 2025 schedule: ")
    assert first.endswith("; published as release 1")
    assert second == "Demo event fosdem-2025 is already loaded (943 scheduled sessions)."
    releases = db.session.scalars(
        select(ScheduleRelease).where(ScheduleRelease.event_id == event.id)
    ).all()
    assert [release.version for release in releases] == [1]
    assert len(releases[0].snapshot["sessions"]) == 943


def test_speaker_person_avatar_only_for_own_uploads_on_the_base_url(app: Flask) -> None:
    name = "0123456789abcdef0123456789abcdef.jpg"
    own = SpeakerProfile(id=5, name="Ada", biography="", avatar_filename=name)
    imported = SpeakerProfile(id=6, name="Bob", import_key="id:12", avatar_filename=name)
    odd = SpeakerProfile(id=7, name="Cy", avatar_filename="../../etc/passwd")

    assert speaker_person(own, base_url="https://conf.example/").avatar == (
        f"https://conf.example/speaker/avatars/{name}"
    )
    assert speaker_person(own).avatar is None  # no base URL: no absolute address to give
    assert speaker_person(imported, base_url="https://conf.example").avatar is None
    assert speaker_person(odd, base_url="https://conf.example").avatar is None


def test_imported_speakers_get_no_avatar_in_the_built_schedule(app: Flask) -> None:
    # The file's avatar URLs are not kept in the database, so releases never show them.
    parsed = parse_schedule_file(read_fixture("voc-pretalx-rc3.json"))
    data = parsed.replace(
        sessions=[
            dataclasses.replace(
                s,
                persons=[
                    dataclasses.replace(p, avatar="https://cdn.example/a.png") for p in s.persons
                ],
            )
            for s in parsed.sessions
        ]
    )
    assert data.persons and all(p.avatar for p in data.persons)
    import_schedule(data=data, event_slug=None, actor=None)
    event = db.session.scalar(select(Event).where(Event.slug == data.conference.slug))

    built = build_schedule_data(event, base_url="https://conf.example")

    assert built.persons and all(p.avatar is None for p in built.persons)


def test_import_into_an_existing_event_says_when_it_replaces_its_zone_and_days(
    app: Flask,
) -> None:
    # Found by a new organizer: an event set up in Asia/Tokyo silently became the file's zone
    # and days, shifting every local time shown, with nothing in the summary.
    event = Event(
        slug="rh",
        name="RomHack",
        time_zone="Asia/Tokyo",
        start_date=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 6, 2),
    )
    db.session.add(event)
    db.session.commit()
    data = parse_schedule_file(read_fixture("romhack-camp-2026.schedule.xml"))

    first = import_schedule(data=data, event_slug="rh", actor=None)
    again = import_schedule(data=data, event_slug="rh", actor=None)

    assert first.warnings[:2] == [
        "the event's time zone changed from Asia/Tokyo to Europe/Rome, as the file says "
        "(choose the zone in the import form to keep another one)",
        "the event's days changed from 2026-06-01 - 2026-06-02 to 2026-10-02 - 2026-10-04, "
        "as the file says",
    ]
    assert [w for w in again.warnings if w.startswith("the event's")] == []
