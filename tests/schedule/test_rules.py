"""Schedule rules on a real database: blocks covering rooms, zero-length sessions, DST times."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from podium.schedule import services
from podium.schedule.models import ScheduleRelease
from tests.schedule.builders import local, make_event, make_rooms, place
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
