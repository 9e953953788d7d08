"""What a shared cache (the compose stack's nginx) may keep: anonymous program pages and public
exports are marked ``public``; pages for logged-in visitors never are."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.schedule import services
from tests.schedule.builders import make_event, make_rooms, place
from tests.support.auth import login
from tests.support.factories import UserFactory


@pytest.fixture
def published(app: Flask) -> None:
    event = make_event(name="Demo Conf", slug="demo")
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-02-02 10:00", title="Opening")
    services.publish_release(event=event, actor=None, comment="First")


@pytest.mark.parametrize("path", ["/demo/schedule/", "/demo/schedule/list", "/demo/releases/"])
def test_anonymous_pages_may_be_shared_but_revalidated(
    client: FlaskClient, published: None, path: str
) -> None:
    response = client.get(path)
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "public, no-cache")
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert (again.status_code, again.headers["Cache-Control"]) == (304, "public, no-cache")


def test_logged_in_pages_are_never_marked_public(app: Flask, published: None) -> None:
    client = login(app.test_client(), UserFactory())
    response = client.get("/demo/schedule/")
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "private, no-cache")


def test_public_export_is_marked_public(client: FlaskClient, published: None) -> None:
    response = client.get("/demo/schedule.xml")
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "public, max-age=60")
