"""The organizers' schedule editor: permissions, conflicts on screen, forms, publishing."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event as sa_event

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
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries


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


def test_editor_permission_matrix(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    slot = place(event, room_a, "2030-02-02 10:00", title="Existing")
    slot_id, slot_values = (
        slot.id,
        {
            "event_id": event.id,
            "submission_id": slot.submission_id,
            "room_id": room_a.id,
            "start_at": slot.start_at,
            "end_at": slot.end_at,
        },
    )
    waiting = make_submission(event, title="Waiting")

    def restore_slot() -> None:
        if db.session.get(Slot, slot_id) is None:
            db.session.add(Slot(id=slot_id, **slot_values))
            db.session.commit()

    def unplace_waiting() -> None:
        db.session.query(Slot).filter_by(submission_id=waiting.id).delete()
        db.session.commit()

    editors = {"organizer", "admin"}
    base = "/orga/conf/schedule"
    check_matrix(
        app,
        world["users"],
        [
            Route("GET", f"{base}/", allowed=editors),
            Route("GET", f"{base}/?day=2030-02-03&room={room_a.id}", allowed=editors),
            Route("GET", f"{base}/releases", allowed=editors),
            Route("GET", f"{base}/slots/{slot_id}", allowed=editors, setup=restore_slot),
            Route(
                "POST",
                f"{base}/slots/{slot_id}",
                allowed=editors,
                setup=restore_slot,
                data={"room_id": room_a.id, "start": "2030-02-02T11:00"},
            ),
            Route(
                "POST", f"{base}/slots/{slot_id}/unschedule", allowed=editors, setup=restore_slot
            ),
            Route(
                "POST",
                f"{base}/place",
                allowed=editors,
                setup=unplace_waiting,
                data={
                    "submission_id": waiting.id,
                    "room_id": room_a.id,
                    "start": "2030-02-02T14:00",
                },
            ),
            Route(
                "POST",
                f"{base}/blocks",
                allowed=editors,
                data={
                    "title": "Lunch",
                    "kind": "break",
                    "room_id": 0,
                    "start": "2030-02-02T12:00",
                    "duration_minutes": 60,
                },
            ),
            # Each allowed role publishes the same slots: the second must ask to republish.
            Route(
                "POST",
                f"{base}/publish",
                allowed=editors,
                data={"comment": "x", "allow_unchanged": "y"},
            ),
        ],
    )


def test_editor_shows_every_kind_of_conflict(client: FlaskClient, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, room_b) = world["event"], world["rooms"]
    ada = make_speaker("Ada")
    place(event, room_a, "2030-02-02 10:00", title="First", speakers=(ada,))
    place(event, room_a, "2030-02-02 10:15", title="Second")
    place(event, room_b, "2030-02-02 10:00", title="Same start", speakers=(ada,))
    place(event, room_b, "2030-02-05 10:00", title="Too late")
    place(event, room_b, "2030-02-02 16:00", title="Only accepted", state="accepted")
    login(client, world["users"]["organizer"])
    html = squash(client.get("/orga/conf/schedule/").get_data(as_text=True))
    assert "Conflicts (4)" in html
    assert "“First” and “Second” overlap in room Room A." in html
    assert "Ada speaks in “First” and “Same start” at overlapping times." in html
    assert "“Too late” is outside the event&#39;s days." in html
    assert "“Only accepted” is scheduled but accepted, not confirmed." in html
    assert "There are 4 conflicts (listed below)." in html
    assert (
        html.count('class="has-conflict"') == 4
    )  # Saturday rows in conflict; "Too late" is on its own day
    assert 'href="/orga/conf/schedule/?day=2030-02-05"' in html  # the outside day stays reachable


def test_place_session_then_conflict_is_flashed(client: FlaskClient, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    place(event, room_a, "2030-02-02 10:00", title="Occupier")
    newcomer = make_submission(event, title="Newcomer", minutes=45)
    login(client, world["users"]["organizer"])
    response = client.post(
        "/orga/conf/schedule/place",
        data={"submission_id": newcomer.id, "room_id": room_a.id, "start": "2030-02-02T10:15"},
        follow_redirects=True,
    )
    html = squash(response.get_data(as_text=True))
    assert "Scheduled “Newcomer”." in html
    assert "Conflict: “Occupier” and “Newcomer” overlap in room Room A." in html
    slot = db.session.query(Slot).filter_by(submission_id=newcomer.id).one()
    assert (slot.end_at - slot.start_at).total_seconds() == 45 * 60


def test_place_session_bad_input_keeps_the_form(client: FlaskClient, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    newcomer = make_submission(event, title="Newcomer")
    login(client, world["users"]["organizer"])
    # 02:30 on 31 March 2030 does not exist in Brussels (clocks jump from 02:00 to 03:00).
    response = client.post(
        "/orga/conf/schedule/place",
        data={"submission_id": newcomer.id, "room_id": room_a.id, "start": "2030-03-31T02:30"},
    )
    html = squash(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "2030-03-31 02:30 does not exist in Europe/Brussels (DST change)" in html
    assert 'value="2030-03-31T02:30"' in html
    response = client.post(
        "/orga/conf/schedule/place",
        data={"submission_id": newcomer.id, "room_id": room_a.id, "start": ""},
    )
    assert response.status_code == 400
    assert db.session.query(Slot).count() == 0


def test_move_and_unschedule_through_forms(client: FlaskClient, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, room_b) = world["event"], world["rooms"]
    slot = place(event, room_a, "2030-02-02 10:00", title="Mover", minutes=50)
    login(client, world["users"]["organizer"])
    form = client.get(f"/orga/conf/schedule/slots/{slot.id}").get_data(as_text=True)
    assert 'value="2030-02-02T10:00"' in form
    response = client.post(
        f"/orga/conf/schedule/slots/{slot.id}",
        data={"room_id": room_b.id, "start": "2030-02-03T09:05"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/orga/conf/schedule/?day=2030-02-03"
    db.session.refresh(slot)
    assert slot.room_id == room_b.id and slot.start_at.strftime("%H:%M") == "08:05"
    response = client.post(f"/orga/conf/schedule/slots/{slot.id}/unschedule", follow_redirects=True)
    html = squash(response.get_data(as_text=True))
    assert "Removed from the schedule." in html
    assert "Unscheduled sessions (1)" in html and "Mover" in html


def test_a_release_that_only_adds_a_break_says_so(client: FlaskClient, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    place(event, room_a, "2030-02-02 10:00", title="Keynote")
    services.publish_release(event=event, actor=None)
    services.add_block(
        event=event,
        title="Coffee",
        kind="break",
        room=None,
        start_at=local(event, "2030-02-02 10:40"),
        duration_minutes=20,
    )
    login(client, world["users"]["organizer"])

    response = client.post("/orga/conf/schedule/publish", data={}, follow_redirects=True)

    html = squash(response.get_data(as_text=True))
    assert "0 canceled, 1 break or block change." in html
    assert "Breaks and blocks (1)" in html
    assert "Coffee (added: Sat 02 Feb 10:40, all rooms)" in html


def test_publish_button_creates_release_and_lists_it(client: FlaskClient, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    place(event, room_a, "2030-02-02 10:00", title="Keynote")
    login(client, world["users"]["organizer"])
    editor = client.get("/orga/conf/schedule/").get_data(as_text=True)
    assert "Publishing now creates release 1." in editor
    response = client.post(
        "/orga/conf/schedule/publish", data={"comment": "Hello"}, follow_redirects=True
    )
    html = squash(response.get_data(as_text=True))
    assert "Published release 1: 1 new, 0 moved, 0 changed room, 0 canceled." in html
    assert "Release 1" in html and "Hello" in html and "Keynote" in html
    release = db.session.query(ScheduleRelease).one()
    assert release.published_by_id == world["users"]["organizer"].id


def test_publish_without_changes_is_refused_unless_asked(client: FlaskClient, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, room_b) = world["event"], world["rooms"]
    slot = place(event, room_a, "2030-02-02 10:00", title="Keynote")
    login(client, world["users"]["organizer"])
    editor = squash(client.get("/orga/conf/schedule/").get_data(as_text=True))
    assert "Nothing changed since" not in editor and "Publish anyway" not in editor
    client.post("/orga/conf/schedule/publish", data={"comment": "First"})

    editor = squash(client.get("/orga/conf/schedule/").get_data(as_text=True))
    assert "<strong>Nothing changed since release 1</strong>" in editor
    assert editor.index("Nothing changed since release 1") < editor.index("Publish schedule")
    assert (
        '<label class="checkbox-label"><input id="allow_unchanged" name="allow_unchanged" '
        'type="checkbox" value="y"> Publish anyway, although nothing changed</label>'
    ) in editor

    refused = client.post("/orga/conf/schedule/publish", data={"comment": "Again"})
    assert refused.status_code == 409
    html = squash(refused.get_data(as_text=True))
    assert (
        '<p class="field-error" id="allow_unchanged-error">Nothing changed since release 1: '
        "publishing would create release 2 identical to it."
    ) in html
    assert 'aria-describedby="allow_unchanged-error"' in html
    assert [r.version for r in db.session.query(ScheduleRelease)] == [1]

    response = client.post(
        "/orga/conf/schedule/publish",
        data={"comment": "Fixed comment", "allow_unchanged": "y"},
        follow_redirects=True,
    )
    assert "Published release 2: 0 new, 0 moved, 0 changed room, 0 canceled." in squash(
        response.get_data(as_text=True)
    )

    client.post(
        f"/orga/conf/schedule/slots/{slot.id}",
        data={"room_id": room_b.id, "start": "2030-02-02T10:00"},
    )
    editor = squash(client.get("/orga/conf/schedule/").get_data(as_text=True))
    assert "Nothing changed since" not in editor
    response = client.post(
        "/orga/conf/schedule/publish", data={"comment": "Room swap"}, follow_redirects=True
    )
    assert "Published release 3: 0 new, 0 moved, 1 changed room, 0 canceled." in squash(
        response.get_data(as_text=True)
    )


def test_publish_concurrent_with_another_publish_answers_409(client: FlaskClient, world) -> None:  # type: ignore[no-untyped-def]
    event, (room_a, _) = world["event"], world["rooms"]
    place(event, room_a, "2030-02-02 10:00", title="Keynote")
    login(client, world["users"]["organizer"])

    def other_request_publishes_first(session, flush_context, instances) -> None:  # type: ignore[no-untyped-def]
        # A second click's request commits release 1 on its own connection meanwhile.
        if not any(isinstance(obj, ScheduleRelease) for obj in session.new):
            return
        with db.engine.begin() as other:
            other.execute(
                ScheduleRelease.__table__.insert().values(
                    event_id=event.id, version=1, comment="other", snapshot={}, changelog={}
                )
            )

    sa_event.listen(db.session, "before_flush", other_request_publishes_first)
    try:
        response = client.post("/orga/conf/schedule/publish", data={"comment": "mine"})
    finally:
        sa_event.remove(db.session, "before_flush", other_request_publishes_first)
    assert response.status_code == 409
    assert "release 1 was published by another request a moment ago" in squash(
        response.get_data(as_text=True)
    )
    assert [(r.version, r.comment) for r in db.session.query(ScheduleRelease)] == [(1, "other")]


def test_state_changes_require_csrf(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    app.config["WTF_CSRF_ENABLED"] = True
    client = login(app.test_client(), world["users"]["organizer"])
    response = client.post("/orga/conf/schedule/publish", data={"comment": "x"})
    assert response.status_code == 400
    assert db.session.query(ScheduleRelease).count() == 0


def test_editor_runs_bounded_queries(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for slug, sessions in (("conf", 2), ("big", 60)):
        event = world["event"] if slug == "conf" else make_event(slug=slug)
        if slug == "big":
            MembershipFactory(event=event, user=world["users"]["organizer"], role="organizer")
        rooms = make_rooms(event, 6) if slug == "big" else list(world["rooms"])
        for i in range(sessions):
            hour, room = divmod(i, len(rooms))
            place(
                event,
                rooms[room],
                f"2030-02-02 {8 + hour:02d}:00",
                speakers=(make_speaker(f"S{i}"),),
            )
        make_submission(event, title="Unplaced")
        client = login(app.test_client(), world["users"]["organizer"])
        with count_queries() as log:
            assert client.get(f"/orga/{slug}/schedule/").status_code == 200
        counts.append(log.count)
    assert counts[0] == counts[1], counts


def test_editor_labels_point_at_their_own_form(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    import lxml.html

    make_submission(world["event"], title="Unscheduled")  # so the "place a session" form shows
    client = login(app.test_client(), world["users"]["organizer"])
    page = lxml.html.fromstring(client.get("/orga/conf/schedule/").get_data(as_text=True))

    labelled = [label.get("for") for label in page.iter("label") if label.get("for")]
    assert len(labelled) == len(set(labelled))
    for form in page.iter("form"):
        for label in form.iter("label"):
            if label.get("for"):
                assert form.xpath(f"count(.//*[@id='{label.get('for')}'])") == 1
