"""Identities on import: reused person ids, repeated guids, id 0, kept ids and slugs,
a second event, and account-owned speaker profiles.

Fixtures are under tests/fixtures/schedules/identities/; each names the pattern it stands for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from lxml import etree
from sqlalchemy import select

from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event, Room
from podium.exchange.frab_xml import parse_frab_xml, write_frab_xml
from podium.exchange.identities import DuplicateGuid, guid_for_event, person_key
from podium.exchange.normalize import PODIUM_NAMESPACE
from podium.exchange.schedule_data import PersonData, ScheduleData, SessionData
from podium.exchange.schedule_json import parse_schedule_json, write_schedule_json
from podium.exchange.services import (
    build_schedule_data,
    import_schedule,
    parse_schedule_file,
    speaker_person,
)
from podium.extensions import db
from podium.schedule.models import Slot
from podium.schedule.services import publish_release
from tests.support.factories import SpeakerProfileFactory, UserFactory

from .conftest import FIXTURES, read_fixture

IDENTITIES = FIXTURES / "schedules" / "identities"
UTC = dt.UTC


def _identities(name: str) -> bytes:
    return (IDENTITIES / name).read_bytes()


def _event(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    assert event is not None
    return event


def _speakers_by_title(event: Event) -> dict[str, list[tuple[str, int | None]]]:
    built = build_schedule_data(event)
    return {s.title: [(p.name, p.id) for p in s.persons] for s in built.sessions}


# --------------------------------------------------------------------------- 1: person ids

MERGED_SPEAKERS = {
    "Opening": [("Alice", 1), ("Carol", 2)],
    "Keynote": [("Alice", 1)],
    "Soldering": [("Bob", 1)],
    "Lockpicking": [("Bob", 1), ("Erin", 2)],
}
MERGED_SUMMARY_END = "; 2 person ids shared by different names were split into separate speakers"


@pytest.mark.parametrize(
    "name", ["merged-person-ids.schedule.xml", "merged-person-ids.schedule.json"]
)
def test_person_id_reused_for_different_names_makes_different_speakers(
    app: Flask, name: str
) -> None:
    result = import_schedule(
        data=parse_schedule_file(_identities(name)), event_slug=None, actor=None
    )

    event = _event("merged-2025")
    assert _speakers_by_title(event) == MERGED_SPEAKERS
    assert sorted(db.session.scalars(select(SpeakerProfile.name))) == [
        "Alice",
        "Bob",
        "Carol",
        "Erin",
    ]
    assert result.speakers_created == 4
    assert result.person_ids_split == {1: ["Alice", "Bob"], 2: ["Carol", "Erin"]}
    assert result.summary().endswith(MERGED_SUMMARY_END)
    assert result.warnings == [
        "person id 1 names 2 different people ('Alice', 'Bob'): imported as separate speakers",
        "person id 2 names 2 different people ('Carol', 'Erin'): imported as separate speakers",
    ]


def test_split_speakers_keep_their_own_biographies(app: Flask) -> None:
    data = parse_schedule_file(_identities("merged-person-ids.schedule.json"))

    import_schedule(data=data, event_slug=None, actor=None)

    rows = db.session.execute(select(SpeakerProfile.name, SpeakerProfile.biography))
    biographies = {name: biography for name, biography in rows}
    assert biographies == {
        "Alice": "Main schedule Alice.",
        "Bob": "Sub-schedule Bob.",
        "Carol": "",
        "Erin": "",
    }


def test_reimport_of_merged_file_and_of_its_export_changes_nothing(app: Flask) -> None:
    data = parse_schedule_file(_identities("merged-person-ids.schedule.xml"))
    import_schedule(data=data, event_slug=None, actor=None)
    event = _event("merged-2025")

    again = import_schedule(data=data, event_slug=None, actor=None)
    exported = parse_frab_xml(write_frab_xml(build_schedule_data(event)))
    from_export = import_schedule(data=exported, event_slug="merged-2025", actor=None)

    for result in (again, from_export):
        assert (result.sessions_created, result.sessions_unchanged) == (0, 4)
        assert (result.speakers_created, result.speakers_updated) == (0, 0)
    assert _speakers_by_title(event) == MERGED_SPEAKERS


def test_same_id_with_name_in_other_case_and_spacing_is_the_same_person() -> None:
    assert person_key(PersonData(name="Bob  Smith", id=1)) == person_key(
        PersonData(name="bob smith", id=1)
    )
    assert person_key(PersonData(name="Bob", id=1)) != person_key(PersonData(name="Bob", id=2))
    assert person_key(PersonData(name="Alice", id=1)) != person_key(PersonData(name="Bob", id=1))


def test_people_sharing_an_id_are_told_apart_by_guid_in_exports_and_pages(app: Flask) -> None:
    data = parse_schedule_file(_identities("merged-person-ids.schedule.xml"))
    import_schedule(data=data, event_slug=None, actor=None, make_public=True)
    event = _event("merged-2025")
    publish_release(event=event, actor=None, comment="merged")
    profiles = {p.name: p.id for p in db.session.scalars(select(SpeakerProfile))}
    client = app.test_client()

    built = build_schedule_data(event)
    bob = client.get(f"/merged-2025/speakers/{_public_guid(profiles['Bob'])}")

    assert {(p.name, p.id, p.guid) for p in built.persons} == {
        (name, number, _public_guid(profiles[name]))
        for name, number in (("Alice", 1), ("Carol", 2), ("Bob", 1), ("Erin", 2))
    }
    assert bob.status_code == 200
    assert "Soldering" in bob.get_data(as_text=True)
    assert "Keynote" not in bob.get_data(as_text=True)


def _public_guid(profile_id: int) -> str:
    return str(uuid.uuid5(PODIUM_NAMESPACE, f"podium/speaker/{profile_id}"))


def test_speaker_imported_before_names_counted_is_found_again(app: Flask) -> None:
    # Profiles imported by earlier versions are keyed "id:<id>" alone.
    data = parse_schedule_file(_identities("merged-person-ids.schedule.xml"))
    event = Event(
        slug="merged-2025",
        name="Merged",
        time_zone="Europe/Berlin",
        start_date=dt.date(2025, 12, 27),
        end_date=dt.date(2025, 12, 27),
    )
    db.session.add(event)
    db.session.flush()
    old = SpeakerProfile(event_id=event.id, import_key="id:1", name="Alice", biography="Old")
    db.session.add(old)
    db.session.commit()

    result = import_schedule(data=data, event_slug="merged-2025", actor=None)

    assert result.speakers_created == 3
    alice_sessions = db.session.scalars(
        select(Submission.title)
        .join(SubmissionSpeaker, SubmissionSpeaker.submission_id == Submission.id)
        .where(SubmissionSpeaker.speaker_id == old.id)
        .order_by(Submission.title)
    ).all()
    assert alice_sessions == ["Keynote", "Opening"]
    assert speaker_person(old) == PersonData(name="Alice", id=1, biography="Old")


# --------------------------------------------------------------------------- 2: guids, id 0

WORKSHOP_GUID = "5b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"


def _derived(start: str) -> str:
    # The documented derivation: a UUIDv5 of the shared guid and the occurrence's start.
    return str(uuid.uuid5(PODIUM_NAMESPACE, f"podium/duplicate/{WORKSHOP_GUID}/{start}"))


def test_guid_repeated_in_the_file_imports_each_occurrence_and_names_every_one(
    app: Flask,
) -> None:
    data = parse_frab_xml(_identities("workshop-twice.schedule.xml"))

    result = import_schedule(data=data, event_slug=None, actor=None)

    second, third = _derived("2025-08-14T13:00:00+00:00"), _derived("2025-08-15T08:00:00+00:00")
    rows = db.session.execute(
        select(Submission.guid, Slot.start_at)
        .join(Slot, Slot.submission_id == Submission.id)
        .order_by(Slot.start_at)
    ).all()
    assert [(guid, start.astimezone(UTC).hour) for guid, start in rows] == [
        (WORKSHOP_GUID, 8),
        (second, 13),
        (third, 8),
        ("6c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", 13),
    ]
    assert result.sessions_created == 4
    assert result.duplicate_guids == [
        DuplicateGuid(
            WORKSHOP_GUID, second, "Solder a badge", dt.datetime(2025, 8, 14, 13, tzinfo=UTC)
        ),
        DuplicateGuid(
            WORKSHOP_GUID, third, "Solder a badge", dt.datetime(2025, 8, 15, 8, tzinfo=UTC)
        ),
    ]
    assert result.warnings == [
        f"session {WORKSHOP_GUID} ('Solder a badge' at 2025-08-14 13:00 UTC) repeats a guid "
        f"used earlier in the file: imported as a separate session with guid {second}",
        f"session {WORKSHOP_GUID} ('Solder a badge' at 2025-08-15 08:00 UTC) repeats a guid "
        f"used earlier in the file: imported as a separate session with guid {third}",
    ]
    assert result.summary().endswith(
        "; 2 sessions repeating a guid of the file were imported as separate sessions: "
        "'Solder a badge' at 2025-08-14 13:00 UTC, 'Solder a badge' at 2025-08-15 08:00 UTC"
    )


def test_reimport_of_repeated_guids_updates_the_same_sessions(app: Flask) -> None:
    raw = _identities("workshop-twice.schedule.xml")
    import_schedule(data=parse_frab_xml(raw), event_slug=None, actor=None)
    moved = raw.replace(b"2025-08-15T15:00:00+02:00", b"2025-08-15T16:00:00+02:00")

    result = import_schedule(data=parse_frab_xml(moved), event_slug=None, actor=None)

    assert (result.sessions_created, result.sessions_updated, result.sessions_unchanged) == (
        0,
        1,
        3,
    )
    assert len(db.session.scalars(select(Submission.guid)).all()) == 4


def test_repeated_guid_in_schedule_json_is_separated_too(app: Flask) -> None:
    document = json.loads(_identities("merged-person-ids.schedule.json"))
    rooms = document["schedule"]["conference"]["days"][0]["rooms"]
    rooms["Workshop Tent"][1]["guid"] = rooms["Workshop Tent"][0]["guid"]

    result = import_schedule(
        data=parse_schedule_json(json.dumps(document)), event_slug=None, actor=None
    )

    assert result.sessions_created == 4
    assert [(d.guid, d.title) for d in result.duplicate_guids] == [
        ("9a8b7c6d-5e4f-4a3b-9c1d-0e1f2a3b4c01", "Lockpicking")
    ]


def test_event_id_zero_is_a_valid_id(app: Flask, xsd: etree.XMLSchema) -> None:
    data = parse_frab_xml(_identities("pentabarf-id-zero.schedule.xml"))
    import_schedule(data=data, event_slug=None, actor=None)
    built = build_schedule_data(_event("oldmeet-2009"))

    exported = write_frab_xml(built)

    assert [(s.id, s.title, [p.id for p in s.persons]) for s in data.sessions] == [
        (0, "Welcome", [0]),
        (1, "Keynote", [1]),
    ]
    assert [(s.id, s.title) for s in built.sessions] == [(0, "Welcome"), (1, "Keynote")]
    # The XSD wants positive ids: the writer gives id 0 the next free number.
    assert xsd.validate(etree.fromstring(exported).getroottree()), str(xsd.error_log)
    assert [e.get("id") for e in etree.fromstring(exported).iter("event")] == ["2", "1"]


# --------------------------------------------------------------------------- 3: ids and slugs


def _event_identities_xml(raw: bytes) -> dict[str, tuple[str, str]]:
    root = etree.fromstring(raw)
    return {e.get("guid"): (e.get("id"), e.findtext("slug")) for e in root.iter("event")}


def _event_identities_json(raw: bytes) -> dict[str, tuple[str, str]]:
    days = json.loads(raw)["schedule"]["conference"]["days"]
    return {
        e["guid"]: (str(e["id"]), e["slug"])
        for day in days
        for events in day["rooms"].values()
        for e in events
    }


def test_fosdem_round_trip_keeps_every_id_guid_and_slug_through_releases(app: Flask) -> None:
    raw = read_fixture("fosdem-2025.schedule.xml")
    original = _event_identities_xml(raw)
    import_schedule(data=parse_frab_xml(raw), event_slug=None, actor=None, make_public=True)
    event = _event("fosdem-2025")
    publish_release(event=event, actor=None, comment="first")
    # A later release: a session moved, the identities must not.
    slot = db.session.scalars(select(Slot).order_by(Slot.id)).first()
    assert slot is not None
    slot.start_at += dt.timedelta(minutes=5)
    slot.end_at += dt.timedelta(minutes=5)
    db.session.commit()
    publish_release(event=event, actor=None, comment="second")
    client = app.test_client()

    xml = client.get("/fosdem-2025/schedule.xml")
    js = client.get("/fosdem-2025/schedule.json")

    assert len(original) == 943
    assert _event_identities_xml(xml.data) == original
    # JSON schema 1 wants a slug to end with a letter or digit: 91 FOSDEM slugs end with "-".
    json_expected = {g: (i, slug.rstrip("-")) for g, (i, slug) in original.items()}
    assert sum(slug.endswith("-") for _, slug in original.values()) == 91
    assert _event_identities_json(js.data) == json_expected


def test_session_created_in_podium_never_takes_an_imported_id(app: Flask) -> None:
    data = parse_frab_xml(_identities("merged-person-ids.schedule.xml"))
    import_schedule(data=data, event_slug=None, actor=None)
    event = _event("merged-2025")
    room = db.session.scalar(select(Room).where(Room.event_id == event.id))
    assert room is not None
    own = Submission(
        event=event,
        guid=str(uuid.uuid4()),
        title="Added in Podium",
        duration_minutes=30,
        state="confirmed",
    )
    db.session.add(own)
    db.session.flush()
    start = dt.datetime(2025, 12, 27, 16, tzinfo=UTC)
    db.session.add(
        Slot(
            event_id=event.id,
            submission_id=own.id,
            room_id=room.id,
            start_at=start,
            end_at=start + dt.timedelta(minutes=30),
            kind="session",
        )
    )
    db.session.commit()
    # A later import claims the Podium session's database id for one of its own sessions.
    claimed = dataclasses.replace(data.sessions[0], id=own.id)
    import_schedule(
        data=data.replace(sessions=(claimed, *data.sessions[1:])), event_slug=None, actor=None
    )

    built = {s.title: (s.id, s.slug) for s in build_schedule_data(event).sessions}

    assert built == {
        "Opening": (own.id, "merged-2025-101-opening"),
        "Keynote": (102, "merged-2025-102-keynote"),
        "Soldering": (1, "tent-2025-1-soldering"),
        "Lockpicking": (2, "tent-2025-2-lockpicking"),
        "Added in Podium": (
            1_000_000_000 + own.id,
            f"merged_2025-{1_000_000_000 + own.id}-added-in-podium",
        ),
    }


# --------------------------------------------------------------------------- 4: second event


def test_file_imported_into_a_second_event_gets_derived_guids_stably(app: Flask) -> None:
    data = parse_frab_xml(read_fixture("romhack-camp-2026.schedule.xml"))
    import_schedule(data=data, event_slug="first", actor=None)

    second = import_schedule(data=data, event_slug="second", actor=None)
    again = import_schedule(data=data, event_slug="second", actor=None)

    second_event = _event("second")
    guids = set(
        db.session.scalars(select(Submission.guid).where(Submission.event_id == second_event.id))
    )
    assert guids == {guid_for_event(s.guid, second_event.id) for s in data.sessions}
    assert guids.isdisjoint(s.guid for s in data.sessions)
    assert (second.sessions_created, second.guids_derived, second.guids_from_events) == (
        10,
        10,
        ["first"],
    )
    assert second.summary().endswith(
        "; 10 sessions got new guids because their guids belong to event first"
    )
    assert (again.sessions_created, again.sessions_unchanged, again.guids_derived) == (0, 10, 10)
    first_titles = db.session.scalars(
        select(Submission.title).where(Submission.event_id == _event("first").id)
    ).all()
    assert sorted(first_titles) == sorted(s.title for s in data.sessions)


def test_podiums_own_export_imports_into_another_event(app: Flask) -> None:
    data = parse_schedule_file(_identities("merged-person-ids.schedule.json"))
    import_schedule(data=data, event_slug="merged-2025", actor=None)
    exported = write_schedule_json(build_schedule_data(_event("merged-2025")))

    result = import_schedule(data=parse_schedule_json(exported), event_slug="staging", actor=None)

    staging = _event("staging")
    assert (result.sessions_created, result.guids_derived) == (4, 4)
    # The people sharing an id came with their guids: those identify them here.
    names = {t: [name for name, _ in people] for t, people in _speakers_by_title(staging).items()}
    assert names == {t: [name for name, _ in people] for t, people in MERGED_SPEAKERS.items()}
    assert {s.id for s in build_schedule_data(staging).sessions} == {101, 102, 1, 2}


# --------------------------------------------------------------------------- 5: accounts


def _attack(make_schedule: Callable[..., ScheduleData], guid: str) -> ScheduleData:
    """Event B's file naming a speaker's public guid with another name and biography."""
    session = SessionData(
        guid="7e6d5c4b-3a29-4817-8a6b-5c4d3e2f1a00",
        id=1,
        title="Hijack",
        start_utc=dt.datetime(2025, 10, 25, 9, tzinfo=UTC),
        duration_minutes=30,
        room="Hall A",
        persons=(PersonData(name="Mallory", guid=guid, biography="Replaced biography"),),
    )
    return make_schedule(sessions=[session], slug="event-b")


@pytest.mark.parametrize("speaks_in_b", [False, True], ids=["only-in-a", "also-in-b"])
def test_import_never_rewrites_an_account_owned_speaker_profile(
    app: Flask, make_schedule: Callable[..., ScheduleData], speaks_in_b: bool
) -> None:
    import_schedule(
        data=parse_frab_xml(read_fixture("romhack-camp-2026.schedule.xml")),
        event_slug="event-a",
        actor=None,
    )
    profile = SpeakerProfileFactory(user=UserFactory(name="Real Name"), biography="Real bio")
    opening = db.session.scalar(
        select(Submission).where(Submission.title == "RomHack Camp Opening")
    )
    assert opening is not None
    db.session.add(SubmissionSpeaker(submission=opening, speaker=profile, position=5))
    db.session.commit()
    public_guid = speaker_person(profile).guid
    assert public_guid is not None
    if speaks_in_b:
        import_schedule(data=make_schedule(slug="event-b"), event_slug="event-b", actor=None)
        ada = db.session.scalar(select(Submission).where(Submission.title == "Opening"))
        db.session.add(SubmissionSpeaker(submission=ada, speaker=profile, position=1))
        db.session.commit()

    result = import_schedule(
        data=_attack(make_schedule, public_guid), event_slug="event-b", actor=None
    )

    db.session.refresh(profile)
    assert (profile.name, profile.biography) == ("Real Name", "Real bio")
    a_names = _speakers_by_title(_event("event-a"))["RomHack Camp Opening"]
    assert a_names[-1] == ("Real Name", None)
    hijack = db.session.scalar(select(Submission).where(Submission.title == "Hijack"))
    assert hijack is not None
    assert [link.speaker_id for link in hijack.speakers] == [profile.id]
    assert result.speakers_linked == 1
    assert result.summary().endswith(
        "; 1 speakers with an account were linked, their profiles left unchanged"
    )
    assert db.session.scalar(select(SpeakerProfile).where(SpeakerProfile.name == "Mallory")) is None


def test_fixtures_name_the_pattern_they_stand_for() -> None:
    for path in sorted(Path(IDENTITIES).iterdir()):
        head = path.read_text("utf-8")[:400]
        assert "Pattern: " in head, path.name
