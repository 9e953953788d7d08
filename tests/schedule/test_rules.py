"""Schedule rules on a real database: blocks covering rooms, zero-length sessions, DST times."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.cfp.models import SubmissionSpeaker
from podium.extensions import db
from podium.schedule import services
from podium.schedule.models import ScheduleRelease, Slot
from tests.schedule.builders import (
    local,
    make_event,
    make_rooms,
    make_speaker,
    make_submission,
    place,
)
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def organizer_world(app: Flask):  # type: ignore[no-untyped-def]
    event = make_event(slug="conf", name="Conf")
    rooms = make_rooms(event, 2)
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    return event, rooms, organizer


def test_editor_shows_session_in_every_room_break_and_zero_length(  # type: ignore[no-untyped-def]
    client: FlaskClient, organizer_world
) -> None:
    event, (room_a, room_b), organizer = organizer_world
    services.add_block(
        event=event,
        title="Lunch",
        kind="break",
        room=None,
        start_at=local(event, "2030-02-02 12:00"),
        duration_minutes=60,
    )
    place(event, room_a, "2030-02-02 12:30", title="Hungry talk")
    place(event, room_b, "2030-02-02 15:00", title="Blink", minutes=0)
    place(event, room_b, "2030-02-02 13:00", title="After lunch")
    login(client, organizer)
    html = squash(client.get("/orga/conf/schedule/?day=2030-02-02").get_data(as_text=True))
    assert "Conflicts (2)" in html
    assert "“Hungry talk” is scheduled during “Lunch” (every room)." in html
    assert "“Blink” has no length: it does not end after it starts." in html
    # Publishing stays allowed with conflicts.
    response = client.post("/orga/conf/schedule/publish", data={"comment": "with conflicts"})
    assert response.status_code == 302
    assert db.session.query(ScheduleRelease).count() == 1


@pytest.fixture
def autumn(app: Flask):  # type: ignore[no-untyped-def]
    """A Berlin event over the night clocks go back (2025-10-26 03:00 CEST -> 02:00 CET)."""
    event = make_event(
        slug="autumn", start="2025-10-25", end="2025-10-26", time_zone="Europe/Berlin"
    )
    (room,) = make_rooms(event, 1)
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    return event, room, organizer


def test_place_form_asks_which_of_two_repeated_times(client: FlaskClient, autumn) -> None:  # type: ignore[no-untyped-def]
    event, room, organizer = autumn
    talk = make_submission(event, title="Night owl", minutes=60)
    login(client, organizer)
    data = {"submission_id": talk.id, "room_id": room.id, "start": "2025-10-26T02:30"}

    response = client.post("/orga/autumn/schedule/place", data=data)

    html = squash(response.get_data(as_text=True))
    assert response.status_code == 400
    assert (
        "2025-10-26 02:30 happens twice in Europe/Berlin (clocks go back): choose the "
        "first (UTC+2) or the second (UTC+1) one." in html
    )
    assert "<legend>Which 02:30 on 2025-10-26?</legend>" in html
    assert re.findall(r'name="start_fold" type="radio" value="(\d)"> (\w+ \(UTC\+\d\))', html) == [
        ("0", "first (UTC+2)"),
        ("1", "second (UTC+1)"),
    ]
    assert db.session.query(Slot).count() == 0

    response = client.post("/orga/autumn/schedule/place", data={**data, "start_fold": "1"})

    assert response.status_code == 302
    slot = db.session.query(Slot).one()
    assert slot.start_at.astimezone(dt.UTC) == dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)


def test_place_form_refuses_skipped_time_naming_the_field(client: FlaskClient, app: Flask) -> None:
    event = make_event(
        slug="spring", start="2025-03-29", end="2025-03-30", time_zone="Europe/Berlin"
    )
    (room,) = make_rooms(event, 1)
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    talk = make_submission(event, title="Lost hour")
    login(client, organizer)

    response = client.post(
        "/orga/spring/schedule/place",
        data={"submission_id": talk.id, "room_id": room.id, "start": "2025-03-30T02:30"},
    )

    html = squash(response.get_data(as_text=True))
    assert response.status_code == 400
    assert re.search(
        r'<p class="field-error" id="start-error">2025-03-30 02:30 does not exist in '
        r"Europe/Berlin \(DST change\): clocks skip it; enter a time before or after the "
        r"change\.</p>",
        html,
    )
    assert 'name="start_fold"' not in html  # nothing to choose: the time does not exist
    assert db.session.query(Slot).count() == 0


def test_move_form_preselects_second_occurrence_and_keeps_it(client: FlaskClient, autumn) -> None:  # type: ignore[no-untyped-def]
    event, room, organizer = autumn
    slot = place(event, room, "2025-10-26 00:00", title="Late")
    slot.start_at = dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)  # 02:30 CET, the second
    slot.end_at = slot.start_at + dt.timedelta(minutes=30)
    db.session.commit()
    login(client, organizer)

    html = squash(client.get(f"/orga/autumn/schedule/slots/{slot.id}").get_data(as_text=True))

    assert 'checked id="start_fold-1" name="start_fold" type="radio" value="1"' in html
    assert "Sun 26 Oct 2025 02:30 (UTC+1)\u201303:00 (UTC+1)" in html  # "Now:" says which
    response = client.post(
        f"/orga/autumn/schedule/slots/{slot.id}",
        data={"room_id": room.id, "start": "2025-10-26T02:30", "start_fold": "1"},
    )
    assert response.status_code == 302
    db.session.refresh(slot)
    assert slot.start_at.astimezone(dt.UTC) == dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("fold", "expected_utc"),
    [
        ("0", dt.datetime(2025, 4, 5, 14, 45, tzinfo=dt.UTC)),
        ("1", dt.datetime(2025, 4, 5, 15, 15, tzinfo=dt.UTC)),
    ],
)
def test_block_form_half_hour_shift_lord_howe(  # type: ignore[no-untyped-def]
    client: FlaskClient, app: Flask, fold: str, expected_utc: dt.datetime
) -> None:
    # Lord Howe Island goes back half an hour (02:00 UTC+11 -> 01:30 UTC+10:30) on 2025-04-06.
    event = make_event(
        slug="howe", start="2025-04-05", end="2025-04-06", time_zone="Australia/Lord_Howe"
    )
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    login(client, organizer)
    data = {
        "title": "Stargazing",
        "kind": "other",
        "room_id": 0,
        "start": "2025-04-06T01:45",
        "duration_minutes": 30,
    }

    first = client.post("/orga/howe/schedule/blocks", data=data)
    html = squash(first.get_data(as_text=True))
    assert first.status_code == 400
    assert "choose the first (UTC+11) or the second (UTC+10:30) one." in html
    assert 'id="block-start_fold-1" name="start_fold" type="radio" value="1"' in html

    second = client.post("/orga/howe/schedule/blocks", data={**data, "start_fold": fold})
    assert second.status_code == 302
    assert db.session.query(Slot).one().start_at.astimezone(dt.UTC) == expected_utc


# --- the changelog says everything that changed --------------------------------------------


def test_changelog_lists_edited_titles_speakers_and_abstracts(app: Flask) -> None:
    event = make_event()
    (room,) = make_rooms(event, 1)
    ada, bob = make_speaker("Ada"), make_speaker("Bob")
    renamed = place(event, room, "2030-02-02 10:00", title="Old title", speakers=(ada,))
    recast = place(event, room, "2030-02-02 11:00", title="Recast", speakers=(ada,))
    rewritten = place(event, room, "2030-02-02 12:00", title="Rewritten")
    place(event, room, "2030-02-02 13:00", title="Untouched", speakers=(bob,))
    services.publish_release(event=event, actor=None)

    renamed.submission.title = "New title"
    db.session.add(
        SubmissionSpeaker(submission=recast.submission, speaker=bob, position=1, is_submitter=False)
    )
    rewritten.submission.abstract = "A sharper abstract."
    db.session.commit()
    release = services.publish_release(event=event, actor=None)

    assert [{k: v for k, v in e.items() if k != "guid"} for e in release.changelog["changed"]] == [
        {"title": "New title", "fields": ["title"], "from_title": "Old title"},
        {
            "title": "Recast",
            "fields": ["speakers"],
            "from_speakers": ["Ada"],
            "to_speakers": ["Ada", "Bob"],
        },
        {"title": "Rewritten", "fields": ["abstract"]},
    ]
    assert [release.changelog[k] for k in ("new", "moved", "room_changed", "canceled")] == [
        [],
        [],
        [],
        [],
    ]


def test_changelog_pairs_a_moved_block_by_id(app: Flask) -> None:
    event = make_event()
    room_a, _ = make_rooms(event, 2)
    lunch = services.add_block(
        event=event,
        title="Lunch",
        kind="break",
        room=None,
        start_at=local(event, "2030-02-02 12:00"),
        duration_minutes=60,
    )
    services.publish_release(event=event, actor=None)
    services.move_slot(
        event=event, slot=lunch, room=room_a, start_at=local(event, "2030-02-02 12:30")
    )

    release = services.publish_release(event=event, actor=None)

    assert release.changelog["blocks"] == [
        {
            "change": "changed",
            "title": "Lunch",
            "start": "2030-02-02T11:30:00Z",
            "room": "Room A",
            "from_start": "2030-02-02T11:00:00Z",
            "from_room": None,
            "minutes": 60,
            "from_minutes": 60,
        }
    ]


def test_release_pages_show_first_release_breaks_and_edits(  # type: ignore[no-untyped-def]
    client: FlaskClient, organizer_world
) -> None:
    event, (room_a, _), organizer = organizer_world
    talk = place(
        event, room_a, "2030-02-02 10:00", title="Keynote", speakers=(make_speaker("Ada"),)
    )
    for title, at in (("Coffee", "2030-02-02 10:30"), ("Lunch", "2030-02-02 12:00")):
        services.add_block(
            event=event,
            title=title,
            kind="break",
            room=None,
            start_at=local(event, at),
            duration_minutes=30,
        )
    login(client, organizer)
    first = client.post("/orga/conf/schedule/publish", data={}, follow_redirects=True)
    html = squash(first.get_data(as_text=True))
    assert (
        "Published release 1: 1 new, 0 moved, 0 changed room, 0 canceled, 2 break or block changes."
        in html
    )
    assert "<li>Breaks and blocks: 2</li>" in html
    assert "Lunch (added: Sat 02 Feb 12:00, all rooms)" in html

    talk.submission.title = "Opening keynote"
    talk.submission.abstract = "Now with an abstract."
    db.session.commit()
    second = client.post("/orga/conf/schedule/publish", data={}, follow_redirects=True)
    html = squash(second.get_data(as_text=True))
    assert (
        "Published release 2: 0 new, 0 moved, 0 changed room, 0 canceled, "
        "1 with edited title, speakers or abstract." in html
    )
    assert "<li>Edited title, speakers or abstract: 1</li>" in html
    assert "Opening keynote: title, abstract edited (was “Keynote”)" in html
    public = squash(client.get("/conf/releases/").get_data(as_text=True))
    assert "Opening keynote: title, abstract edited (was “Keynote”)" in public


def test_release_page_renders_changelogs_stored_before_edits_were_listed(  # type: ignore[no-untyped-def]
    client: FlaskClient, organizer_world
) -> None:
    event, (room_a, _), organizer = organizer_world
    place(event, room_a, "2030-02-02 10:00", title="Keynote")
    release = services.publish_release(event=event, actor=None)
    # The shape releases were stored in before "changed" and changed blocks existed.
    release.changelog = {
        "new": [
            {"guid": "g", "title": "Keynote", "start": "2030-02-02T09:00:00Z", "room": "Room A"}
        ],
        "moved": [],
        "room_changed": [],
        "canceled": [],
        "blocks": [
            {"change": "removed", "title": "Tea", "start": "2030-02-02T10:00:00Z", "room": None}
        ],
    }
    db.session.commit()
    login(client, organizer)

    response = client.get("/orga/conf/schedule/releases")

    html = squash(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "<li>Edited title, speakers or abstract: 0</li>" in html
    assert "Tea (removed: Sat 02 Feb 11:00, all rooms)" in html


def test_release_changelog_label_names_the_offset_of_a_repeated_hour(  # type: ignore[no-untyped-def]
    client: FlaskClient, autumn
) -> None:
    event, room, organizer = autumn
    slot = place(event, room, "2025-10-26 01:00", title="Night owl")
    services.publish_release(event=event, actor=None)
    services.move_slot(
        event=event, slot=slot, room=room, start_at=dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)
    )
    services.publish_release(event=event, actor=None)
    login(client, organizer)

    html = squash(client.get("/orga/autumn/schedule/releases").get_data(as_text=True))

    assert "Night owl: Sun 26 Oct 01:00 → Sun 26 Oct 02:30 (UTC+1)" in html


def test_public_grid_and_session_page_show_offsets_across_the_change(  # type: ignore[no-untyped-def]
    client: FlaskClient, autumn
) -> None:
    event, room, _ = autumn
    slot = place(event, room, "2025-10-26 00:00", minutes=60, title="Hour of two halves")
    slot.start_at = dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST
    slot.end_at = slot.start_at + dt.timedelta(minutes=60)  # 02:30 CET
    db.session.commit()
    services.publish_release(event=event, actor=None)
    guid = slot.submission.guid

    session_page = squash(client.get(f"/autumn/sessions/{guid}").get_data(as_text=True))
    grid = squash(client.get("/autumn/schedule/?day=2025-10-26").get_data(as_text=True))

    assert "Sunday 26 October 2025, 02:30 (UTC+2)\u201302:30 (UTC+1)</time>" in session_page
    assert '<span class="session-time">02:30 (UTC+2)\u201302:30 (UTC+1)</span>' in grid
    # The time column labels the repeated half hours apart.
    assert re.findall(r'<time datetime="[^"]+">(02:[^<]*)</time>', grid) == [
        "02:30 (UTC+2)",
        "02:00 (UTC+1)",
    ]
