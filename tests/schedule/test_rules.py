"""Schedule rules on a real database: blocks covering rooms, zero-length sessions, DST times."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from podium.schedule import services
from podium.schedule.models import ScheduleRelease, Slot
from tests.schedule.builders import local, make_event, make_rooms, make_submission, place
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
