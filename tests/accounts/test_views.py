"""Account pages end to end: sign-up, confirmation, login, logout, reset, profile, password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.accounts.models import User
from podium.accounts.passwords import verify_password
from podium.accounts.tokens import TokenPurpose, issue_token
from podium.db import utcnow
from podium.extensions import db
from tests.accounts.helpers import link_path, mails_to
from tests.support.auth import login
from tests.support.factories import DEFAULT_PASSWORD, UserFactory

NEW_PASSWORD = "a brand new password"


def _user(email: str) -> User:
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def _signup(client: FlaskClient, email: str = "ada@example.org", **overrides: str):  # type: ignore[no-untyped-def]
    data = {
        "name": "Ada Lovelace",
        "email": email,
        "password": DEFAULT_PASSWORD,
        "password_repeat": DEFAULT_PASSWORD,
    }
    data.update(overrides)
    return client.post("/account/signup", data=data)


def _login(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD, **kwargs):  # type: ignore[no-untyped-def]
    return client.post("/account/login", data={"email": email, "password": password}, **kwargs)


def test_signup_confirm_login_flow(app: Flask, client: FlaskClient) -> None:
    response = _signup(client, email="Ada@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    user = _user("ada@example.org")
    assert user.email_confirmed_at is None
    assert user.name == "Ada Lovelace"
    assert verify_password(user.password_hash, DEFAULT_PASSWORD)
    [mail] = mails_to("ada@example.org")
    assert mail.subject == "Confirm your e-mail address"
    assert mail.state == "queued"
    assert mail.kind == "confirm_email"
    assert mail.message_id.startswith("<podium.") and mail.message_id.endswith("@localhost>")
    confirm_path = link_path(mail, "/account/confirm/")

    # Not confirmed yet: the right password is not enough, and a new link is sent.
    refused = _login(client, "ada@example.org")
    assert refused.status_code == 400
    assert "Please confirm your e-mail address first" in refused.get_data(as_text=True)
    assert len(mails_to("ada@example.org")) == 2

    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Confirm that <strong>ada@example.org</strong> is your address." in page.get_data(
        as_text=True
    )
    assert _user("ada@example.org").email_confirmed_at is None  # GET changes nothing
    confirmed = client.post(confirm_path)
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == "/account/login"
    assert _user("ada@example.org").email_confirmed_at is not None

    logged_in = _login(client, "ada@example.org")
    assert logged_in.status_code == 302
    assert logged_in.headers["Location"] == "/account/"
    dashboard = client.get("/account/")
    assert dashboard.status_code == 200
    assert "Hello, Ada Lovelace" in dashboard.get_data(as_text=True)
    assert _user("ada@example.org").last_login_at is not None


def test_confirm_link_used_twice_is_refused(app: Flask, client: FlaskClient) -> None:
    _signup(client)
    path = link_path(mails_to("ada@example.org")[0], "/account/confirm/")
    assert client.post(path).status_code == 302
    for again in (client.get(path), client.post(path)):
        assert again.status_code == 400
        assert "This link has already been used or was replaced by a newer one." in again.get_data(
            as_text=True
        )


def test_expired_confirm_link_is_refused(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email_confirmed_at=None)
    token = issue_token(
        user=user,
        purpose=TokenPurpose.CONFIRM_EMAIL,
        data={"email": user.email},
        issued_at=utcnow() - timedelta(days=3, minutes=1),
    )
    response = client.post(f"/account/confirm/{token}")
    assert response.status_code == 400
    assert "This link has expired; ask for a new one." in response.get_data(as_text=True)
    assert _user(user.email).email_confirmed_at is None


def test_damaged_confirm_link_is_refused(app: Flask, client: FlaskClient) -> None:
    response = client.post("/account/confirm/not-a-token")
    assert response.status_code == 400
    assert "This link is not valid; check that you copied all of it." in response.get_data(
        as_text=True
    )


def test_signup_with_existing_address_answers_the_same_and_tells_the_owner(
    app: Flask, client: FlaskClient
) -> None:
    owner = UserFactory(email="taken@example.org", name="Owner")
    old_hash = owner.password_hash
    fresh = _signup(client, email="fresh@example.org")
    taken = _signup(client, email="TAKEN@example.org", password="x" * 12, password_repeat="x" * 12)
    assert (taken.status_code, taken.headers["Location"]) == (302, "/account/login")
    assert (fresh.status_code, fresh.headers["Location"]) == (302, "/account/login")
    with client.session_transaction() as session:
        flashes = [message for _, message in session.get("_flashes", [])]
    assert flashes == [
        "We have sent a confirmation link to fresh@example.org. Open it to activate your "
        "account, then log in.",
        "We have sent a confirmation link to TAKEN@example.org. Open it to activate your "
        "account, then log in.",
    ]
    assert _user("taken@example.org").password_hash == old_hash
    [mail] = mails_to("taken@example.org")
    assert mail.subject == "You already have an account"
    assert "http://localhost/account/reset" in mail.body_text


def test_signup_with_bad_input_names_the_fields(app: Flask, client: FlaskClient) -> None:
    response = _signup(client, email="not an address", password="short", password_repeat="other")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use at least 10 characters." in text
    assert "The passwords differ." in text
    assert 'value="Ada Lovelace"' in text  # what was typed is kept
    assert db.session.scalar(select(User)) is None


def test_signup_with_malformed_address_is_refused(app: Flask, client: FlaskClient) -> None:
    response = _signup(client, email="ada@@example")
    assert response.status_code == 400
    assert 'id="email-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_login_wrong_password_and_unknown_address_look_the_same(
    app: Flask, client: FlaskClient
) -> None:
    UserFactory(email="known@example.org")
    wrong = _login(client, "known@example.org", "wrong password!")
    unknown = _login(client, "nobody@example.org", "wrong password!")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.get_data(as_text=True).replace("known@", "") == unknown.get_data(
        as_text=True
    ).replace("nobody@", "")
    assert "E-mail address or password is wrong." in wrong.get_data(as_text=True)


def test_login_of_deactivated_account_is_refused(app: Flask, client: FlaskClient) -> None:
    UserFactory(email="gone@example.org", is_active_account=False)
    response = _login(client, "gone@example.org")
    assert response.status_code == 400
    assert "E-mail address or password is wrong." in response.get_data(as_text=True)


def test_login_starts_a_fresh_session(app: Flask, client: FlaskClient) -> None:
    UserFactory(email="ada@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    assert _login(client, "ada@example.org").status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == _user("ada@example.org").get_id()


def test_login_follows_only_same_site_next(app: Flask, client: FlaskClient) -> None:
    UserFactory(email="ada@example.org")
    ok = client.post(
        "/account/login?next=/account/profile",
        data={"email": "ada@example.org", "password": DEFAULT_PASSWORD},
    )
    assert ok.headers["Location"] == "/account/profile"
    client.post("/account/logout")
    evil = client.post(
        "/account/login?next=//evil.example/",
        data={"email": "ada@example.org", "password": DEFAULT_PASSWORD},
    )
    assert evil.headers["Location"] == "/account/"


@pytest.mark.parametrize("target", ["/\t/evil.example/", "/\n/evil.example/", "/\r/evil.example/"])
def test_login_refuses_next_with_control_characters(
    app: Flask, client: FlaskClient, target: str
) -> None:
    # Browsers drop tabs and newlines in URLs, so these would lead to //evil.example/.
    UserFactory(email="ada@example.org")
    response = client.post(
        "/account/login",
        query_string={"next": target},
        data={"email": "ada@example.org", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"


def test_protected_page_sends_anonymous_to_login_and_back(app: Flask, client: FlaskClient) -> None:
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login?next=%2Faccount%2Fprofile"


def test_signup_from_login_keeps_next_through_confirmation(app: Flask, client: FlaskClient) -> None:
    login_page = client.get("/account/login?next=/conf/submit").get_data(as_text=True)
    assert 'href="/account/signup?next=/conf/submit">Create an account</a>' in login_page

    signed_up = client.post(
        "/account/signup?next=/conf/submit",
        data={
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "password": DEFAULT_PASSWORD,
            "password_repeat": DEFAULT_PASSWORD,
        },
    )
    assert signed_up.headers["Location"] == "/account/login?next=/conf/submit"
    [mail] = mails_to("ada@example.org")
    confirmed = client.post(link_path(mail, "/account/confirm/"))
    assert confirmed.headers["Location"] == "/account/login?next=/conf/submit"
    assert _login(client, "ada@example.org", query_string={"next": "/conf/submit"}).headers[
        "Location"
    ] == ("/conf/submit")


def test_signup_refuses_offsite_next(app: Flask, client: FlaskClient) -> None:
    signed_up = client.post(
        "/account/signup?next=//evil.example/",
        data={
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "password": DEFAULT_PASSWORD,
            "password_repeat": DEFAULT_PASSWORD,
        },
    )
    assert signed_up.headers["Location"] == "/account/login"


def test_logout_needs_post(app: Flask, client: FlaskClient) -> None:
    user = UserFactory()
    login(client, user)
    assert client.get("/account/logout").status_code == 405
    assert client.get("/account/").status_code == 200
    response = client.post("/account/logout")
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert client.get("/account/").status_code == 302


def test_logout_invalidates_a_copied_session_cookie(app: Flask, client: FlaskClient) -> None:
    user = UserFactory()
    login(client, user)
    assert client.get("/account/").status_code == 200
    with client.session_transaction() as stolen:
        copied = dict(stolen)
    client.post("/account/logout")

    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(copied)
    response = thief.get("/account/")

    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_password_reset_flow(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email="ada@example.org")
    other_device = login(app.test_client(), user)
    assert other_device.get("/account/").status_code == 200
    response = client.post("/account/reset", data={"email": "ADA@example.org"})
    assert response.status_code == 200
    assert "If an account uses this address" in response.get_data(as_text=True)
    [mail] = mails_to("ada@example.org")
    assert mail.subject == "Reset your password"
    path = link_path(mail, "/account/reset/")

    form = client.get(path)
    assert form.status_code == 200
    assert "Choose a new password" in form.get_data(as_text=True)
    done = client.post(path, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert (done.status_code, done.headers["Location"]) == (302, "/account/login")
    assert _login(client, "ada@example.org").status_code == 400
    assert _login(client, "ada@example.org", NEW_PASSWORD).status_code == 302
    # Every session from before the reset is over, and the link is spent.
    assert other_device.get("/account/").status_code == 302
    again = client.get(path)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert [m.subject for m in mails_to("ada@example.org")] == [
        "Reset your password",
        "Your password has been changed",
    ]


def test_expired_reset_link_is_refused(app: Flask, client: FlaskClient) -> None:
    user = UserFactory()
    token = issue_token(
        user=user,
        purpose=TokenPurpose.RESET_PASSWORD,
        issued_at=utcnow() - timedelta(hours=2),
    )
    response = client.post(
        f"/account/reset/{token}",
        data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "This link has expired" in response.get_data(as_text=True)
    assert verify_password(_user(user.email).password_hash, DEFAULT_PASSWORD)


def test_reset_does_not_reveal_which_addresses_exist(app: Flask, client: FlaskClient) -> None:
    UserFactory(email="known@example.org")
    answers = [
        client.post("/account/reset", data={"email": address})
        for address in ("known@example.org", "unknown@example.org", "not-an-address")
    ]
    assert {r.status_code for r in answers} == {200}
    bodies = {r.get_data(as_text=True) for r in answers}
    assert len(bodies) == 1
    assert {tuple(sorted(r.headers.keys())) for r in answers} == {
        tuple(sorted(answers[0].headers.keys()))
    }
    assert len(mails_to("known@example.org")) == 1
    assert mails_to("unknown@example.org") == []


def test_reset_also_confirms_an_unconfirmed_address(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email_confirmed_at=None)
    client.post("/account/reset", data={"email": user.email})
    path = link_path(mails_to(user.email)[0], "/account/reset/")
    client.post(path, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert _user(user.email).email_confirmed_at is not None


def test_profile_changes_name_at_once(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email="ada@example.org")
    login(client, user)
    response = client.post("/account/profile", data={"name": "Ada King", "email": user.email})
    assert (response.status_code, response.headers["Location"]) == (302, "/account/profile")
    assert _user("ada@example.org").name == "Ada King"
    assert mails_to("ada@example.org") == []


def test_profile_email_change_waits_for_confirmation(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email="ada@example.org", name="Ada")
    login(client, user)
    client.post("/account/profile", data={"name": "Ada", "email": "countess@example.org"})
    assert _user("ada@example.org").email == "ada@example.org"
    [mail] = mails_to("countess@example.org")
    assert mail.subject == "Confirm your new e-mail address"
    path = link_path(mail, "/account/confirm/")
    response = client.post(path)
    assert (response.status_code, response.headers["Location"]) == (302, "/account/profile")
    assert _user("countess@example.org").id == user.id
    assert client.post(path).status_code == 400  # single use
    [notice] = mails_to("ada@example.org")
    assert notice.subject == "Your e-mail address has been changed"
    assert "your account now uses the address countess@example.org" in notice.body_text


def test_profile_email_change_to_taken_address_sends_nothing(
    app: Flask, client: FlaskClient
) -> None:
    UserFactory(email="taken@example.org")
    user = UserFactory(email="ada@example.org", name="Ada")
    login(client, user)
    response = client.post("/account/profile", data={"name": "Ada", "email": "taken@example.org"})
    assert response.status_code == 302
    with client.session_transaction() as session:
        [(_, message)] = session["_flashes"]
    assert message.startswith("We have sent a confirmation link to taken@example.org")
    assert mails_to("taken@example.org") == []
    assert _user("ada@example.org").email == "ada@example.org"


def test_password_change_keeps_this_session_and_ends_others(
    app: Flask, client: FlaskClient
) -> None:
    user = UserFactory(email="ada@example.org")
    login(client, user)
    other_device = login(app.test_client(), user)
    wrong = client.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "password": NEW_PASSWORD,
            "password_repeat": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 400
    assert "This is not your current password." in wrong.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "password": NEW_PASSWORD,
            "password_repeat": NEW_PASSWORD,
        },
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/account/")
    assert client.get("/account/").status_code == 200
    assert other_device.get("/account/").status_code == 302
    assert verify_password(_user("ada@example.org").password_hash, NEW_PASSWORD)
    assert [m.subject for m in mails_to("ada@example.org")] == ["Your password has been changed"]


def test_invited_address_without_password_can_sign_up_but_must_confirm(
    app: Flask, client: FlaskClient
) -> None:
    UserFactory(email="invited@example.org", password_hash="", email_confirmed_at=utcnow())
    _signup(client, email="invited@example.org")
    user = _user("invited@example.org")
    assert user.email_confirmed_at is None
    assert _login(client, "invited@example.org").status_code == 400
    [first, _second] = mails_to("invited@example.org")
    assert first.subject == "Confirm your e-mail address"
