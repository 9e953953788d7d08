"""After a schedule release: the speakers whose sessions moved get a held notice."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from podium.mail.compose import release_changes
from podium.schedule import services as schedule
from podium.schedule.models import ScheduleRelease
from tests.mail.helpers import all_mails
from tests.review import conftest as review_conftest
from tests.review.conftest import World
from tests.support.auth import login
from tests.support.factories import RoomFactory
from tests.support.permissions import Route, check_matrix

world = review_conftest.world  # the review tests' event, team, speakers and submissions


@pytest.fixture
def released(world: World) -> World:
    """Release 1: Alpha (speaker + co) Saturday 10:00 in Room A, Beta (speaker) 11:00 in
    Room A, Gamma 12:00 in Room A (Brussels time). Release 2 moves Beta to 14:00, puts Alpha
    in Room B, and cancels Gamma."""
    alpha, beta, gamma = world.subs
    alpha.state = beta.state = gamma.state = "confirmed"
    room_a = RoomFactory(event=world.event, name="Room A")
    room_b = RoomFactory(event=world.event, name="Room B")
    db.session.commit()
    slots = [
        schedule.place_session(
            event=world.event,
            submission=sub,
            room=room_a,
            start_at=datetime(2031, 5, 17, hour, 0, tzinfo=UTC),
        )
        for sub, hour in ((alpha, 8), (beta, 9), (gamma, 10))
    ]
    schedule.publish_release(event=world.event, actor=world.organizer)
    schedule.move_slot(
        event=world.event,
        slot=slots[1],
        room=room_a,
        start_at=datetime(2031, 5, 17, 12, 0, tzinfo=UTC),
    )
    schedule.move_slot(event=world.event, slot=slots[0], room=room_b, start_at=slots[0].start_at)
    schedule.unschedule_slot(event=world.event, slot=slots[2])
    schedule.publish_release(event=world.event, actor=world.organizer)
    return world


def _client(app: Flask, world: World) -> FlaskClient:
    return login(app.test_client(), world.organizer)


def test_notices_are_held_for_the_speakers_of_moved_sessions(app: Flask, released: World) -> None:
    w = released
    client = _client(app, w)
    url = f"/orga/{w.event.slug}/mail/schedule-changes"

    page = client.get(url).get_data(as_text=True)
    assert re.findall(r"<li><strong>([^<]*)</strong>: ([^<]*)</li>", page) == [
        (
            "Beta talk",
            "moved from Saturday 2031-05-17 11:00 CEST to Saturday 2031-05-17 14:00 CEST "
            "(Europe/Brussels)",
        ),
        ("Alpha talk", "room changed from Room A to Room B"),
        (
            "Gamma talk",
            "canceled (it was on Saturday 2031-05-17 12:00 CEST (Europe/Brussels) in Room A)",
        ),
    ]
    assert "Hold 4 notice(s) for checking" in page
    assert all_mails() == []

    held = client.post(url)

    assert held.headers["Location"] == f"/orga/{w.event.slug}/mail/?state=held"
    mails = all_mails()
    assert [(m.recipients[0], m.subject) for m in mails] == [
        (w.co_speaker.email, "RevConf 2031: your session “Alpha talk” changed"),
        (w.co_speaker.email, "RevConf 2031: your session “Gamma talk” changed"),
        (w.speaker.email, "RevConf 2031: your session “Alpha talk” changed"),
        (w.speaker.email, "RevConf 2031: your session “Beta talk” changed"),
    ]
    assert {m.state for m in mails} == {"held"}
    assert {m.kind for m in mails} == {"schedule_change"}
    assert mails[3].body_text == (
        f"Dear {w.profiles['speaker'].name},\n\n"
        "the schedule of RevConf 2031 changed for your session “Beta talk”:\n"
        "moved from Saturday 2031-05-17 11:00 CEST to Saturday 2031-05-17 14:00 CEST "
        "(Europe/Brussels)\n\n"
        f"The current schedule: http://localhost/{w.event.slug}/\n\n"
        "Thank you,\nthe RevConf 2031 team\n"
    )
    # A second click holds nothing more.
    again = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "No notice was held: nothing moved, or this release&#39;s notices exist." in again
    assert len(all_mails()) == 4


def test_the_events_own_text_is_used(app: Flask, released: World) -> None:
    w = released
    client = _client(app, w)
    client.post(
        f"/orga/{w.event.slug}/mail/templates/schedule_change",
        data={
            "schedule_change-subject": "Change: {submission_title}",
            "schedule_change-body": "{schedule_change} / {session_day} {session_time} "
            "{session_room}",
        },
    )

    client.post(f"/orga/{w.event.slug}/mail/schedule-changes")

    beta = [m for m in all_mails() if m.subject == "Change: Beta talk"]
    assert [m.body_text for m in beta] == [
        "moved from Saturday 2031-05-17 11:00 CEST to Saturday 2031-05-17 14:00 CEST "
        "(Europe/Brussels) / "
        "Saturday 2031-05-17 14:00\u201314:30 (Europe/Brussels) Room A"
    ]


def test_first_release_has_nothing_to_notify(app: Flask, world: World) -> None:
    client = _client(app, world)
    url = f"/orga/{world.event.slug}/mail/schedule-changes"
    assert "No schedule has been released yet." in client.get(url).get_data(as_text=True)
    assert client.post(url).headers["Location"] == url
    assert all_mails() == []


def test_permission_matrix_of_schedule_notices(app: Flask, world: World) -> None:
    url = f"/orga/{world.event.slug}/mail/schedule-changes"
    check_matrix(
        app,
        {
            "anonymous": None,
            "speaker": world.speaker,
            "reviewer": world.reviewer,
            "organizer": world.organizer,
            "admin": world.admin,
        },
        [
            Route("GET", url, allowed={"organizer", "admin"}),
            Route("POST", url, allowed={"organizer", "admin"}),
        ],
    )


def test_release_changes_describe_length_changes_in_the_event_zone() -> None:
    release = ScheduleRelease(
        changelog={
            "new": [{"guid": "n", "title": "New", "start": "2031-05-17T08:00:00Z", "room": "A"}],
            "moved": [
                {
                    "guid": "m",
                    "title": "Moved",
                    "from_start": "2031-10-26T00:30:00Z",  # 02:30 CEST, the night DST ends
                    "to_start": "2031-10-26T01:30:00Z",  # 02:30 CET
                    "from_minutes": 30,
                    "to_minutes": 45,
                    "room": "A",
                }
            ],
            "room_changed": [],
            "canceled": [],
        }
    )

    changes = release_changes(release, "Europe/Brussels")

    assert [(c.guid, c.title, c.description) for c in changes] == [
        (
            "m",
            "Moved",
            "moved from Sunday 2031-10-26 02:30 CEST to Sunday 2031-10-26 02:30 CET "
            "(Europe/Brussels), "
            "now 45 minutes instead of 30",
        )
    ]
