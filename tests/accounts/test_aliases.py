"""``/login`` and ``/signup`` (typed without the /account prefix) lead to the account pages."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.events import services
from tests.events.test_services import _details
from tests.support.factories import UserFactory


def test_login_alias_redirects_keeping_next(client: FlaskClient) -> None:
    response = client.get("/login?next=/orga/conf/")

    assert (response.status_code, response.location) == (302, "/account/login?next=/orga/conf/")


def test_aliases_without_next_and_with_a_trailing_slash(client: FlaskClient) -> None:
    answers = [
        (client.get(path).status_code, client.get(path).location)
        for path in ("/login", "/signup", "/login/")
    ]

    assert answers == [
        (302, "/account/login"),
        (302, "/account/signup"),
        (302, "/account/login"),
    ]


def test_alias_lands_on_the_login_form_and_logout_has_none(client: FlaskClient) -> None:
    landed = client.get("/login", follow_redirects=True)

    assert landed.status_code == 200
    assert landed.request.path == "/account/login"
    assert "<h1>Log in</h1>" in landed.get_data(as_text=True)
    assert client.get("/logout", follow_redirects=True).status_code == 404
    assert client.post("/login").status_code == 405


@pytest.mark.parametrize("slug", ["login", "signup"])
def test_an_event_cannot_take_an_alias_as_its_slug(app: Flask, slug: str) -> None:
    with pytest.raises(services.EventError) as caught:
        services.create_event(slug=slug, details=_details(), creator=UserFactory(is_admin=True))

    assert (caught.value.field, caught.value.message) == (
        "slug",
        f"“{slug}” is reserved for Podium's own pages.",
    )
