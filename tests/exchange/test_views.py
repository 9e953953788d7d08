"""Tests for the organizers' schedule upload form."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from podium.cfp.models import Submission
from podium.events.models import Event
from podium.extensions import db
from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, UserFactory

from .conftest import read_fixture


def _url(event: Event) -> str:
    return f"/orga/{event.slug}/schedule/import/"


def _upload(client: FlaskClient, event: Event, name: str, payload: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        _url(event),
        data={"file": (io.BytesIO(payload), name), "time_zone": ""},
        content_type="multipart/form-data",
    )


def _submissions(event: Event) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Submission).where(Submission.event_id == event.id)
        )
        or 0
    )


@pytest.fixture
def organizer_client(app: Flask, client: FlaskClient) -> tuple[FlaskClient, Event]:
    event = EventFactory(slug="rh-2026")
    user = UserFactory()
    MembershipFactory(event=event, user=user, role="organizer")
    return login(client, user), event


def test_import_form_shows_for_organizer(organizer_client: tuple[FlaskClient, Event]) -> None:
    client, event = organizer_client

    response = client.get(_url(event))

    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.data
    assert b"Import a schedule into " + event.name.encode() in response.data


def test_import_upload_imports_and_redirects_to_editor(
    organizer_client: tuple[FlaskClient, Event],
) -> None:
    client, event = organizer_client
    payload = read_fixture("romhack-camp-2026.schedule.xml")

    first = _upload(client, event, "schedule.xml", payload)
    second = _upload(client, event, "schedule.xml", payload)

    assert first.status_code == 302
    assert first.headers["Location"] == f"/orga/{event.slug}/schedule/"
    assert second.status_code == 302
    assert _submissions(event) == 10
    db.session.refresh(event)
    assert event.time_zone == "Europe/Rome"


def test_import_upload_of_invalid_file_shows_element_and_line(
    organizer_client: tuple[FlaskClient, Event],
) -> None:
    client, event = organizer_client

    response = _upload(client, event, "bad.json", read_fixture("voc-invalid-example.json"))

    assert response.status_code == 400
    assert (
        b"schedule.conference.days[0].rooms.Winterchaos[0].persons[0].id on line 43: "
        b"&#39;dsadf&#39; is not an integer" in response.data
    )
    assert _submissions(event) == 0


def test_import_upload_of_deeply_nested_json_is_a_form_error(
    organizer_client: tuple[FlaskClient, Event],
) -> None:
    client, event = organizer_client
    depth = 100_000

    response = _upload(client, event, "deep.json", b"[" * depth + b"]" * depth)

    assert response.status_code == 400
    assert b"document: not a schedule: arrays or objects nested too deeply" in response.data
    assert _submissions(event) == 0


def test_import_upload_without_file_is_a_form_error(
    organizer_client: tuple[FlaskClient, Event],
) -> None:
    client, event = organizer_client

    response = client.post(_url(event), data={}, content_type="multipart/form-data")

    assert response.status_code == 400
    assert b"Choose a file to import." in response.data


def test_import_form_refuses_non_organizer(app: Flask, client: FlaskClient) -> None:
    event = EventFactory()
    login(client, UserFactory())

    assert client.get(_url(event)).status_code == 403
    assert _upload(client, event, "s.xml", b"<schedule/>").status_code == 403


def test_import_form_sends_anonymous_visitor_to_login(app: Flask, client: FlaskClient) -> None:
    event = EventFactory()

    response = client.get(_url(event))

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
