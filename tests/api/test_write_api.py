"""The write API: place, move, unschedule and publish through the schedule services."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.extensions import db
from podium.schedule.models import ScheduleRelease, Slot
from tests.api.tokens_support import bearer, event_with_submissions, make_token


@pytest.fixture
def setup(app: Flask):  # type: ignore[no-untyped-def]
    alpha, beta = event_with_submissions("alpha"), event_with_submissions("beta")
    return alpha, beta, make_token(alpha["event"], "write:schedule")


def _place(client: FlaskClient, token: str, data, start="2030-02-02T10:00:00+01:00"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/events/alpha/slots",
        json={"submission_id": data["accepted"].id, "room_id": data["room"].id, "start": start},
        headers=bearer(token),
    )


def test_place_move_unschedule_round_trip(client: FlaskClient, setup) -> None:
    alpha, _, token = setup
    placed = _place(client, token, alpha)
    assert placed.status_code == 201
    slot = placed.get_json()["slot"]
    assert slot["start"] == "2030-02-02T09:00:00+00:00"
    assert slot["end"] == "2030-02-02T09:30:00+00:00"
    assert (slot["kind"], slot["duration_minutes"]) == ("session", 30)
    assert slot["guid"] == alpha["accepted"].guid
    moved = client.patch(
        f"/api/v1/events/alpha/slots/{slot['id']}",
        json={"start": "2030-02-02T11:00:00Z"},
        headers=bearer(token),
    )
    assert moved.status_code == 200
    assert moved.get_json()["slot"]["end"] == "2030-02-02T11:30:00+00:00"
    listing = client.get("/api/v1/events/alpha/slots", headers=bearer(token)).get_json()
    assert listing["rooms"] == [{"id": alpha["room"].id, "name": "Room A"}]
    assert [(s["id"], s["start"]) for s in listing["slots"]] == [
        (slot["id"], "2030-02-02T11:00:00+00:00")
    ]
    gone = client.delete(f"/api/v1/events/alpha/slots/{slot['id']}", headers=bearer(token))
    assert gone.status_code == 204
    assert db.session.scalars(select(Slot)).all() == []


def test_schedule_rules_of_the_editor_apply(client: FlaskClient, setup) -> None:
    alpha, _, token = setup
    proposal = alpha["proposals"][0]
    response = client.post(
        "/api/v1/events/alpha/slots",
        json={
            "submission_id": proposal.id,
            "room_id": alpha["room"].id,
            "start": "2030-02-02T10:00Z",
        },
        headers=bearer(token),
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["message"] == (
        "“alpha talk 0” is submitted; only accepted or confirmed submissions can be scheduled"
        " (submission_id)"
    )
    assert _place(client, token, alpha).status_code == 201
    twice = _place(client, token, alpha)
    assert twice.status_code == 409
    assert "already scheduled" in twice.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"room_id": 1, "start": "2030-02-02T10:00Z"}, "The field submission_id is required."),
        (
            {"submission_id": "1", "room_id": 1, "start": "x"},
            "submission_id must be a positive whole number.",
        ),
        (
            {"submission_id": 1, "room_id": 1, "start": "2030-02-02T10:00"},
            "start needs a UTC offset, such as Z or +01:00.",
        ),
        (
            {"submission_id": 1, "room_id": 1, "start": "soon"},
            "start must be a date-time like 2030-02-02T10:00:00+01:00.",
        ),
        (
            {"submission_id": 1, "room_id": 1, "start": "2030-02-02T10:00Z", "x": 1},
            "The field 'x' is not known here.",
        ),
    ],
)
def test_bad_input_is_400_naming_the_field(client: FlaskClient, setup, body, message) -> None:  # type: ignore[no-untyped-def]
    _, _, token = setup
    response = client.post("/api/v1/events/alpha/slots", json=body, headers=bearer(token))
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == message


def test_objects_of_another_event_are_404(client: FlaskClient, setup) -> None:
    alpha, beta, token = setup
    response = client.post(
        "/api/v1/events/alpha/slots",
        json={
            "submission_id": alpha["accepted"].id,
            "room_id": beta["room"].id,
            "start": "2030-02-02T10:00Z",
        },
        headers=bearer(token),
    )
    assert response.status_code == 404
    assert (
        response.get_json()["error"]["message"]
        == f"There is no room {beta['room'].id} in this event."
    )
    beta_token = make_token(beta["event"], "write:schedule")
    placed = client.post(
        "/api/v1/events/beta/slots",
        json={
            "submission_id": beta["accepted"].id,
            "room_id": beta["room"].id,
            "start": "2030-02-02T10:00Z",
        },
        headers=bearer(beta_token),
    ).get_json()["slot"]
    assert (
        client.delete(
            f"/api/v1/events/alpha/slots/{placed['id']}", headers=bearer(token)
        ).status_code
        == 404
    )
    assert (
        client.delete(
            f"/api/v1/events/beta/slots/{placed['id']}", headers=bearer(token)
        ).status_code
        == 404
    )
    assert len(db.session.scalars(select(Slot)).all()) == 1


def test_publish_release_and_refuse_unchanged(client: FlaskClient, setup) -> None:
    alpha, _, token = setup
    _place(client, token, alpha)
    response = client.post(
        "/api/v1/events/alpha/releases", json={"comment": "From the API"}, headers=bearer(token)
    )
    assert response.status_code == 201
    release = response.get_json()["release"]
    assert (release["version"], release["comment"]) == (1, "From the API")
    assert [s["title"] for s in release["changelog"]["new"]] == ["alpha accepted"]
    again = client.post("/api/v1/events/alpha/releases", json={}, headers=bearer(token))
    assert again.status_code == 409
    assert again.get_json()["error"]["message"].startswith("Nothing changed since release 1")
    forced = client.post(
        "/api/v1/events/alpha/releases", json={"allow_unchanged": True}, headers=bearer(token)
    )
    assert forced.get_json()["release"]["version"] == 2
    assert db.session.scalars(select(ScheduleRelease.version)).all() == [1, 2]
    public = client.get("/api/v1/events/alpha/sessions").get_json()
    assert [s["title"] for s in public["sessions"]] == ["alpha accepted"]


def test_a_stale_version_is_refused_with_409_and_nothing_changes(
    client: FlaskClient, setup
) -> None:
    """Two clients read version 1; the second one's move and unschedule come too late."""
    alpha, _, token = setup
    slot = _place(client, token, alpha).get_json()["slot"]
    assert slot["version"] == 1
    url = f"/api/v1/events/alpha/slots/{slot['id']}"
    first = client.patch(
        url, json={"start": "2030-02-02T11:00:00Z", "version": 1}, headers=bearer(token)
    )
    assert first.status_code == 200
    assert first.get_json()["slot"]["version"] == 2
    late = client.patch(
        url, json={"start": "2030-02-02T14:00:00Z", "version": 1}, headers=bearer(token)
    )
    assert late.status_code == 409
    assert "version" in late.get_json()["error"]["message"]
    late_delete = client.delete(f"{url}?version=1", headers=bearer(token))
    assert late_delete.status_code == 409
    db.session.expire_all()
    kept = db.session.get(Slot, slot["id"])
    assert kept is not None
    assert (kept.start_at.hour, kept.version) == (11, 2)
    assert client.delete(f"{url}?version=2", headers=bearer(token)).status_code == 204
