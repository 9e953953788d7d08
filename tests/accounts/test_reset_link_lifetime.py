"""Attack: a reset link mailed to an address the account no longer uses still resets it.

Whoever reads the old mailbox (a former employer, a recycled address) must lose the account
with the address: a reset link dies when the address changes, and when the password changes.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.accounts.helpers import link_path, mails_to
from tests.support.auth import login
from tests.support.factories import DEFAULT_PASSWORD, UserFactory

NEW_PASSWORD = "a completely new password"


def _reset_link(client: FlaskClient, address: str) -> str:
    client.post("/account/reset", data={"email": address})
    return link_path(mails_to(address)[-1], "/account/reset/")


def _use(client: FlaskClient, path: str) -> tuple[int, str]:
    response = client.post(path, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    return response.status_code, response.get_data(as_text=True)


def test_reset_link_dies_when_the_address_changes(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email="old@example.org")
    stale = _reset_link(app.test_client(), "old@example.org")
    owner = login(client, user)
    owner.post("/account/profile", data={"name": user.name, "email": "new@example.org"})
    confirm = link_path(mails_to("new@example.org")[-1], "/account/confirm/")
    assert owner.post(confirm).status_code == 302

    status, page = _use(app.test_client(), stale)
    assert status == 400
    assert "This link has already been used or was replaced by a newer one." in page
    # A link asked for at the new address works.
    fresh = _reset_link(app.test_client(), "new@example.org")
    assert _use(app.test_client(), fresh)[0] == 302


def test_reset_link_dies_when_the_password_changes(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email="ada@example.org")
    stale = _reset_link(app.test_client(), "ada@example.org")
    login(client, user).post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "password": "the owner's new password",
            "password_repeat": "the owner's new password",
        },
    )
    status, page = _use(app.test_client(), stale)
    assert status == 400
    assert "This link has already been used or was replaced by a newer one." in page
