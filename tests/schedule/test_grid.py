"""The visual schedule editor: the grid page, its JSON endpoints, versions and conflicts."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from podium.schedule import queries
from podium.schedule.grid import build_day_grid, placement_css
from podium.schedule.models import Slot
from tests.schedule.builders import (
    local,
    make_event,
    make_rooms,
    make_speaker,
    make_submission,
    place,
)
from tests.support.auth import login
from tests.support.factories import (
    MembershipFactory,
    SessionTypeFactory,
    TrackFactory,
    UserFactory,
)
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries

BASE = "/orga/conf/schedule"


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def world(app: Flask):  # type: ignore[no-untyped-def]
    event = make_event(slug="conf", name="Conf")
    room_a, room_b = make_rooms(event, 2)
    organizer, reviewer, admin, other = (
        UserFactory(),
        UserFactory(),
        UserFactory(is_admin=True),
        UserFactory(),
    )
    MembershipFactory(event=event, user=organizer, role="organizer")
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    MembershipFactory(event=make_event(slug="other"), user=other, role="organizer")
    return {
        "event": event,
        "rooms": (room_a, room_b),
        "users": {
            "anonymous": None,
            "speaker": UserFactory(),
            "reviewer": reviewer,
            "other_organizer": other,
            "organizer": organizer,
            "admin": admin,
        },
    }


def organizer_client(app: Flask, world) -> FlaskClient:  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, world["users"]["organizer"])
    return client


def post_json(client: FlaskClient, url: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def test_grid_and_json_permission_matrix(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    slot = place(event, room_a, "2030-02-02 10:00", title="Existing")
    slot_id, submission_id = slot.id, slot.submission_id
    values = {"event_id": event.id, "submission_id": submission_id, "room_id": room_a.id}
    waiting = make_submission(event, title="Waiting")

    def restore_slot() -> None:
        # Each allowed request changes the slot; start every request from version 1 at 10:00.
        db.session.query(Slot).filter_by(id=slot_id).delete()
        start = local(event, "2030-02-02 10:00")
        db.session.add(
            Slot(id=slot_id, start_at=start, end_at=start + dt.timedelta(minutes=30), **values)
        )
        db.session.commit()

    def unplace_waiting() -> None:
        db.session.query(Slot).filter_by(submission_id=waiting.id).delete()
        db.session.commit()

    editors = {"organizer", "admin"}
    start = "2030-02-02T13:00:00Z"
    check_matrix(
        app,
        world["users"],
        [
            Route("GET", f"{BASE}/grid", allowed=editors),
            Route("GET", f"{BASE}/grid?day=2030-02-03&room={room_a.id}&q=x", allowed=editors),
            Route("POST", f"{BASE}/step", allowed=editors, data={"minutes": 10}),
            Route(
                "POST",
                f"{BASE}/api/place",
                allowed=editors,
                setup=unplace_waiting,
                data=json.dumps(
                    {"submission_id": waiting.id, "room_id": room_a.id, "start": start}
                ),
            ),
            Route(
                "POST",
                f"{BASE}/api/slots/{slot_id}/move",
                allowed=editors,
                setup=restore_slot,
                data=json.dumps({"room_id": room_a.id, "start": start, "version": 1}),
            ),
            Route(
                "POST",
                f"{BASE}/api/slots/{slot_id}/resize",
                allowed=editors,
                setup=restore_slot,
                data=json.dumps({"minutes": 45, "version": 1}),
            ),
            Route(
                "POST",
                f"{BASE}/api/slots/{slot_id}/unschedule",
                allowed=editors,
                setup=restore_slot,
                data=json.dumps({"version": 1}),
            ),
            Route(
                "POST",
                f"{BASE}/slots/{slot_id}/resize",
                allowed=editors,
                setup=restore_slot,
                data={"minutes": 45, "version": 1},
            ),
        ],
    )


def test_grid_positions_cards_by_room_and_step(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, room_b) = world["event"], world["rooms"]
    place(event, room_a, "2030-02-02 10:00", title="Opening", minutes=45)
    place(event, room_b, "2030-02-02 11:30", title="Second", minutes=30)
    lunch = Slot(
        event_id=event.id,
        kind="break",
        title="Lunch",
        start_at=local(event, "2030-02-02 12:00"),
        end_at=local(event, "2030-02-02 13:00"),
    )
    db.session.add(lunch)
    db.session.commit()
    html = squash(organizer_client(app, world).get(f"{BASE}/grid").get_data(as_text=True))
    # Axis starts 09:00 local (08:00 UTC) in 15-minute rows from grid row 2.
    assert 'data-axis-start="2030-02-02T08:00:00Z"' in html
    assert 'data-rows="36"' in html  # 09:00-18:00
    placed = dict(
        (title, classes)
        for classes, title in re.findall(
            r'<div class="slot-card ([^"]*)".*?<strong class="slot-title">(.*?)</strong>', html
        )
    )
    assert placed == {
        "Opening": "gr-6 gs-3 gc-2",
        "Second": "gr-12 gs-2 gc-3",
        "Lunch": "gr-14 gs-4 gc-2 gw-2 slot-block",  # every room: both columns
    }
    assert "style=" not in html.split('id="main"')[1]  # the CSP forbids inline styles
    assert "12:00\u201313:00 · every room" in html
    assert html.count('draggable="true"') == 2  # two session cards; the break is form-only


def test_grid_room_filter_shows_one_column(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, room_b) = world["event"], world["rooms"]
    place(event, room_a, "2030-02-02 10:00", title="In A")
    place(event, room_b, "2030-02-02 10:00", title="In B")
    client = organizer_client(app, world)
    html = squash(client.get(f"{BASE}/grid?room={room_b.id}").get_data(as_text=True))
    assert re.findall(r'class="grid-room [^"]*" data-room-id="(\d+)"', html) == [str(room_b.id)]
    assert "In B" in html
    assert "In A" not in html


def test_grid_unscheduled_list_filters_by_track_type_and_text(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event = world["event"]
    track = TrackFactory(event=event, name="Rust")
    workshop = SessionTypeFactory(event=event, name="Workshop")
    for title, track_id, type_id in (
        ("Rust for beginners", track.id, None),
        ("Rust workshop", track.id, workshop.id),
        ("Go 100%", None, workshop.id),
    ):
        submission = make_submission(event, title=title)
        submission.track_id, submission.session_type_id = track_id, type_id
    make_submission(event, title="Rejected talk", state="rejected")
    db.session.commit()
    client = organizer_client(app, world)

    def listed(query: str) -> list[str]:
        html = client.get(f"{BASE}/grid{query}").get_data(as_text=True)
        return re.findall(r'class="unscheduled-item".*?<strong>(.*?)</strong>', html, re.S)

    assert listed("") == ["Go 100%", "Rust for beginners", "Rust workshop"]
    assert listed(f"?track={track.id}") == ["Rust for beginners", "Rust workshop"]
    assert listed(f"?type={workshop.id}") == ["Go 100%", "Rust workshop"]
    assert listed(f"?track={track.id}&type={workshop.id}") == ["Rust workshop"]
    assert listed("?q=WORKSHOP") == ["Rust workshop"]
    assert listed("?q=%25") == ["Go 100%"]  # a literal percent sign, not a wildcard


def test_placement_css_is_the_generated_one() -> None:
    static = Path(__file__).parents[2] / "src/podium/static/schedule-grid.css"
    assert static.read_text() == placement_css()
    assert ".gr-400{grid-row-start:400}" in placement_css()
    assert ".gw-82{grid-column-end:span 82}" in placement_css()


def test_day_grid_caps_rooms_and_rows() -> None:
    class FakeRoom:
        def __init__(self, room_id: int) -> None:
            self.id = room_id

    start = dt.datetime(2030, 2, 2, 8, 0, tzinfo=dt.UTC)
    layout = build_day_grid(
        rows=[_row(1, start, 3 * 24 * 60)],
        rooms=[FakeRoom(i) for i in range(1, 91)],  # type: ignore[misc]
        day=dt.date(2030, 2, 2),
        time_zone="Europe/Brussels",
        day_change_minutes=0,
        step=5,
    )
    assert (len(layout.rooms), layout.rooms_left_out) == (80, 10)
    assert layout.last_row == 401
    assert layout.cards[0].span == 400


def test_day_grid_shows_the_dst_change_on_its_row() -> None:
    # Brussels springs forward on 31 March 2030: 02:00 CET becomes 03:00 CEST.
    event_tz = "Europe/Brussels"
    start = dt.datetime(2030, 3, 31, 0, 0, tzinfo=dt.UTC)  # 01:00 CET
    layout = build_day_grid(
        rows=[_row(1, start, 60)],
        rooms=[],
        day=dt.date(2030, 3, 31),
        time_zone=event_tz,
        day_change_minutes=0,
        step=30,
    )
    labels = [(row.label, row.offset_change) for row in layout.axis[:5]]
    assert labels == [
        ("01:00", None),
        ("01:30", None),
        ("03:00", "UTC+01:00 → UTC+02:00"),
        ("03:30", None),
        ("04:00", None),
    ]
    assert layout.start == start


def test_day_grid_snaps_the_axis_outwards_to_the_step() -> None:
    start = dt.datetime(2030, 2, 2, 6, 7, tzinfo=dt.UTC)  # 07:07 Brussels
    layout = build_day_grid(
        rows=[_row(1, start, 20)],
        rooms=[],
        day=dt.date(2030, 2, 2),
        time_zone="Europe/Brussels",
        day_change_minutes=0,
        step=10,
    )
    assert layout.axis[0].label == "07:00"
    assert layout.axis[-1].label == "17:50"  # the axis ends at 18:00
    assert layout.cards[0].row == 2 and layout.cards[0].span == 2


def _row(slot_id: int, start: dt.datetime, minutes: int) -> queries.EditorRow:
    from podium.schedule.conflicts import SlotInfo

    info = SlotInfo(
        slot_id, "T", start, start + dt.timedelta(minutes=minutes), None, "", "confirmed"
    )
    return queries.EditorRow(info, "session", slot_id, minutes)


def test_json_place_move_resize_unschedule_round_trip(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, room_b) = world["event"], world["rooms"]
    occupier = place(event, room_b, "2030-02-02 11:00", title="Occupier")
    newcomer = make_submission(event, title="Newcomer", minutes=30)
    client = organizer_client(app, world)

    placed = post_json(
        client,
        f"{BASE}/api/place",
        {"submission_id": newcomer.id, "room_id": room_a.id, "start": "2030-02-02T09:00:00Z"},
    )
    assert placed.status_code == 200
    body = placed.get_json()
    slot_id = body["slot_id"]
    assert {
        k: body["slot"][k] for k in ("id", "version", "room_id", "start", "minutes", "day")
    } == {
        "id": slot_id,
        "version": 1,
        "room_id": room_a.id,
        "start": "2030-02-02T09:00:00Z",
        "minutes": 30,
        "day": "2030-02-02",
    }
    assert "10:00\u201310:30" in body["slot"]["html"]  # local time on the card
    assert body["conflicts"] == [] and body["affected"] == [slot_id]

    moved = post_json(
        client,
        f"{BASE}/api/slots/{slot_id}/move",
        {"room_id": room_b.id, "start": "2030-02-02T11:00:00+01:00", "version": 1},
    ).get_json()
    assert moved["slot"]["version"] == 2
    assert moved["conflicts"] == [
        {
            "kind": "room_overlap",
            "message": "“Occupier” and “Newcomer” overlap in room Room B.",
            "slot_ids": [occupier.id, slot_id],
        }
    ]

    resized = post_json(
        client, f"{BASE}/api/slots/{slot_id}/resize", {"minutes": 45, "version": 2}
    ).get_json()
    assert (resized["slot"]["version"], resized["slot"]["minutes"]) == (3, 45)

    gone = post_json(client, f"{BASE}/api/slots/{slot_id}/unschedule", {"version": 3})
    assert gone.status_code == 200
    assert gone.get_json()["slot"] is None
    assert gone.get_json()["conflicts"] == []
    assert f'id="unscheduled-{newcomer.id}"' in gone.get_json()["submission"]["html"]
    assert db.session.query(Slot).filter_by(submission_id=newcomer.id).count() == 0


def test_json_change_on_a_stale_version_is_refused_with_the_current_state(
    app: Flask, world
) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, room_b) = world["event"], world["rooms"]
    slot = place(event, room_a, "2030-02-02 10:00", title="Contested")
    slot_id = slot.id
    first, second = organizer_client(app, world), organizer_client(app, world)
    ok = post_json(
        first,
        f"{BASE}/api/slots/{slot_id}/move",
        {"room_id": room_b.id, "start": "2030-02-02T12:00:00Z", "version": 1},
    )
    assert ok.status_code == 200
    for url, body in (
        (
            f"{BASE}/api/slots/{slot_id}/move",
            {"room_id": room_a.id, "start": "2030-02-02T14:00:00Z"},
        ),
        (f"{BASE}/api/slots/{slot_id}/resize", {"minutes": 60}),
        (f"{BASE}/api/slots/{slot_id}/unschedule", {}),
    ):
        stale = post_json(second, url, {**body, "version": 1})
        assert stale.status_code == 409
        answer = stale.get_json()
        assert answer["error"]["field"] == "version"
        assert answer["error"]["message"].startswith("Someone else changed this slot")
        assert (answer["slot"]["version"], answer["slot"]["room_id"]) == (2, room_b.id)
        assert answer["slot"]["start"] == "2030-02-02T12:00:00Z"
    db.session.expire_all()
    kept = db.session.get(Slot, slot_id)
    assert (kept.version, kept.room_id, kept.end_at - kept.start_at) == (
        2,
        room_b.id,
        dt.timedelta(minutes=30),
    )


def test_json_change_of_a_removed_slot_is_refused(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    slot_id = place(event, room_a, "2030-02-02 10:00").id
    client = organizer_client(app, world)
    assert (
        post_json(client, f"{BASE}/api/slots/{slot_id}/unschedule", {"version": 1}).status_code
        == 200
    )
    again = post_json(client, f"{BASE}/api/slots/{slot_id}/unschedule", {"version": 1})
    assert again.status_code == 409
    assert again.get_json()["error"] == {
        "code": 409,
        "title": "Conflict",
        "message": "This slot no longer exists: someone else removed it. Nothing was saved.",
        "field": "version",
    }


@pytest.mark.parametrize(
    ("body", "status", "field", "message"),
    [
        (
            {"room_id": "x", "start": "2030-02-02T10:00:00Z", "version": 1},
            400,
            "room_id",
            "room_id must be a whole number",
        ),
        (
            {"room_id": 999999, "start": "2030-02-02T10:00:00Z", "version": 1},
            404,
            "room_id",
            "room_id names nothing in this event",
        ),
        (
            {"start": "2030-02-02T10:00:00Z", "version": 1},
            400,
            "room_id",
            "room_id must be a whole number",
        ),
        (
            {"room_id": None, "start": "tomorrow", "version": 1},
            400,
            "room_id",
            "room_id must be a whole number",
        ),
        (
            {"start": "tomorrow", "version": 1, "room_id": 0},
            404,
            "room_id",
            "room_id names nothing in this event",
        ),
        (
            {"version": 1, "start": "2030-02-02T10:00:00"},
            400,
            "room_id",
            "room_id must be a whole number",
        ),
    ],
)
def test_json_move_bad_input_names_the_field(
    app: Flask, world, body, status, field, message
) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    slot_id = place(event, room_a, "2030-02-02 10:00").id
    response = post_json(organizer_client(app, world), f"{BASE}/api/slots/{slot_id}/move", body)
    assert response.status_code == status
    assert response.get_json()["error"]["field"] == field
    assert response.get_json()["error"]["message"] == message


def test_json_start_and_minutes_errors(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    slot_id = place(event, room_a, "2030-02-02 10:00").id
    client = organizer_client(app, world)
    url = f"{BASE}/api/slots/{slot_id}"
    cases = [
        (
            f"{url}/move",
            {"room_id": room_a.id, "start": "tomorrow", "version": 1},
            "start",
            "start must be an ISO 8601 date and time",
        ),
        (
            f"{url}/move",
            {"room_id": room_a.id, "start": "2030-02-02T10:00", "version": 1},
            "start",
            "start must carry a UTC offset",
        ),
        (
            f"{url}/resize",
            {"minutes": 2, "version": 1},
            "minutes",
            "length must be between 5 and 1440 minutes",
        ),
        (f"{url}/resize", {"minutes": 30}, "version", "version must be a whole number"),
    ]
    for target, body, field, message in cases:
        response = post_json(client, target, body)
        assert response.status_code == 400, target
        assert response.get_json()["error"]["field"] == field
        assert response.get_json()["error"]["message"] == message
    raw = client.post(f"{url}/resize", data="not json", content_type="application/json")
    assert raw.status_code == 400
    assert raw.get_json()["error"]["message"] == "the request body must be a JSON object"
    assert db.session.get(Slot, slot_id).version == 1


def test_json_endpoints_need_the_csrf_header(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    slot_id = place(event, room_a, "2030-02-02 10:00").id
    client = organizer_client(app, world)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get(f"{BASE}/grid").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token is not None
        url = f"{BASE}/api/slots/{slot_id}/resize"
        refused = post_json(client, url, {"minutes": 45, "version": 1})
        assert refused.status_code == 400
        assert refused.get_json()["error"]["field"] == "csrf_token"
        accepted = post_json(
            client, url, {"minutes": 45, "version": 1}, **{"X-CSRFToken": token.group(1)}
        )
        assert accepted.status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_form_move_and_unschedule_refuse_a_stale_version(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, room_b) = world["event"], world["rooms"]
    slot = place(event, room_a, "2030-02-02 10:00", title="Contested")
    slot_id = slot.id
    client = organizer_client(app, world)
    page = client.get(f"{BASE}/slots/{slot_id}").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page
    moved = client.post(
        f"{BASE}/slots/{slot_id}",
        data={"room_id": room_b.id, "start": "2030-02-02T12:00", "version": 1},
    )
    assert moved.status_code == 302
    stale = client.post(
        f"{BASE}/slots/{slot_id}",
        data={"room_id": room_a.id, "start": "2030-02-02T15:00", "version": 1},
    )
    html = squash(stale.get_data(as_text=True))
    assert stale.status_code == 409
    assert "Someone else changed this slot since you loaded the page" in html
    assert 'value="2030-02-02T12:00"' in html  # the form now shows the current start
    assert 'name="version" type="hidden" value="2"' in html
    gone = client.post(
        f"{BASE}/slots/{slot_id}/unschedule", data={"version": 1}, follow_redirects=True
    )
    assert "Someone else changed this slot" in gone.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Slot, slot_id).room_id == room_b.id
    resized = client.post(f"{BASE}/slots/{slot_id}/resize", data={"minutes": 50, "version": 2})
    assert resized.status_code == 302
    db.session.expire_all()
    kept = db.session.get(Slot, slot_id)
    assert (kept.version, kept.end_at - kept.start_at) == (3, dt.timedelta(minutes=50))


def test_step_setting_changes_the_axis(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    client = organizer_client(app, world)
    assert client.post(f"{BASE}/step", data={"minutes": 30}).status_code == 302
    assert world["event"].slot_step_minutes == 30
    html = client.get(f"{BASE}/grid").get_data(as_text=True)
    assert 'data-rows="18"' in html and 'data-step="30"' in html
    refused = client.post(f"{BASE}/step", data={"minutes": 7}, follow_redirects=True)
    assert "Choose a grid step of 5, 10, 15 or 30 minutes." in refused.get_data(as_text=True)
    db.session.refresh(world["event"])
    assert world["event"].slot_step_minutes == 30


def test_conflicts_involving_matches_the_whole_event_check(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, room_b) = world["event"], world["rooms"]
    ada = make_speaker("Ada")
    first = place(event, room_a, "2030-02-02 10:00", title="First", speakers=(ada,))
    place(event, room_a, "2030-02-02 10:15", title="Second")
    place(event, room_b, "2030-02-02 10:20", title="Ada again", speakers=(ada,))
    place(event, room_b, "2030-02-02 16:00", title="Far away", state="accepted")
    every = queries.event_conflicts(event)
    mine = queries.conflicts_involving(event, [first.id])
    assert sorted(c.message for c in mine) == sorted(
        c.message for c in every if first.id in c.slot_ids
    )
    assert len(mine) == 2
    assert queries.conflicts_involving(event, [999999]) == []


def _seed_day(event, rooms, count: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(count):
        room = rooms[i % len(rooms)]
        hour = 9 + (i // len(rooms)) % 8
        place(event, room, f"2030-02-02 {hour:02d}:00", speakers=(make_speaker(f"S{i}"),))
        make_submission(event, title=f"Waiting {i}")


def test_grid_and_a_move_run_a_fixed_number_of_queries(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, rooms = world["event"], world["rooms"]
    client = organizer_client(app, world)
    counts = []
    for size in (2, 12):
        _seed_day(event, rooms, size)
        with count_queries() as grid_log:
            assert client.get(f"{BASE}/grid").status_code == 200
        slot = db.session.query(Slot).filter_by(event_id=event.id).order_by(Slot.id.desc()).first()
        with count_queries() as move_log:
            response = post_json(
                client,
                f"{BASE}/api/slots/{slot.id}/move",
                {"room_id": rooms[0].id, "start": "2030-02-02T15:00:00Z", "version": slot.version},
            )
        assert response.status_code == 200
        counts.append((len(grid_log.statements), len(move_log.statements)))
    assert counts[0] == counts[1]


def test_keyboard_equivalents_of_every_drag(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    slot = place(event, room_a, "2030-02-02 10:00", title="Placed")
    waiting = make_submission(event, title="Waiting")
    client = organizer_client(app, world)
    grid_html = squash(client.get(f"{BASE}/grid").get_data(as_text=True))
    # A card links to its form page (move, resize, unschedule); a listed session to the
    # form editor with that session chosen.
    assert f'href="{BASE}/slots/{slot.id}">Move or resize' in grid_html
    place_link = f"{BASE}/?submission={waiting.id}#place-heading"
    assert f'href="{place_link}">Place with the form' in grid_html
    editor_html = squash(client.get(place_link).get_data(as_text=True))
    assert f'<option selected value="{waiting.id}">Waiting</option>' in editor_html
    slot_html = squash(client.get(f"{BASE}/slots/{slot.id}").get_data(as_text=True))
    assert "Change length" in slot_html and "Length (minutes)" in slot_html
    assert f'action="{BASE}/slots/{slot.id}/unschedule"' in slot_html
    response = client.post(f"{BASE}/slots/{slot.id}/unschedule", data={"version": 1})
    assert response.status_code == 302
    assert db.session.get(Slot, slot.id) is None
