"""Who may open which account and outbox page, as a role-by-endpoint matrix; the dashboard."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from podium.mail.services import queue_mail
from tests.support.auth import login
from tests.support.factories import (
    DEFAULT_PASSWORD,
    EventFactory,
    MembershipFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries

EVERYONE = {"anonymous", "user", "organizer", "admin"}
LOGGED_IN = {"user", "organizer", "admin"}


def test_account_and_outbox_permission_matrix(app: Flask) -> None:
    organizer = UserFactory()
    MembershipFactory(event=EventFactory(), user=organizer, role="organizer")
    users = {
        "anonymous": None,
        "user": UserFactory(),
        "organizer": organizer,
        "admin": UserFactory(is_admin=True),
    }
    mail = queue_mail(
        to=["someone@example.org"],
        template="password_changed",
        context={"name": "S", "reset_url": "http://localhost/account/reset"},
    )
    check_matrix(
        app,
        users,
        [
            Route("GET", "/account/signup", allowed=EVERYONE),
            Route("GET", "/account/login", allowed=EVERYONE),
            Route("GET", "/account/reset", allowed=EVERYONE),
            Route("POST", "/account/logout", allowed=EVERYONE),
            Route("GET", "/account/", allowed=LOGGED_IN),
            Route("GET", "/account/profile", allowed=LOGGED_IN),
            Route("GET", "/account/password", allowed=LOGGED_IN),
            Route(
                "POST",
                "/account/profile",
                data={"name": "Renamed", "email": "renamed@example.org"},
                allowed=LOGGED_IN,
            ),
            Route(
                "POST",
                "/account/password",
                data={
                    "current_password": DEFAULT_PASSWORD,
                    "password": "a new long password",
                    "password_repeat": "a new long password",
                },
                allowed=LOGGED_IN,
            ),
            Route("GET", "/mail/outbox", allowed={"admin"}),
            Route("GET", "/mail/outbox?state=queued", allowed={"admin"}),
            Route("GET", f"/mail/outbox/{mail.id}", allowed={"admin"}),
            Route("POST", f"/mail/outbox/{mail.id}/requeue", allowed={"admin"}),
        ],
    )


def test_dashboard_lists_team_events_and_own_submissions(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(name="Grace")
    event = EventFactory(name="PyCon Test", slug="pycon-test")
    MembershipFactory(event=event, user=user, role="organizer")
    MembershipFactory(event=event, user=user, role="reviewer")
    other_event = EventFactory(name="Other Conf")
    profile = SpeakerProfileFactory(user=user)
    SubmissionFactory(event=other_event, speaker=profile, title="Compilers for everyone")
    SubmissionFactory(event=other_event, title="Someone else's talk")
    login(client, user)
    html = client.get("/account/").get_data(as_text=True)
    assert "PyCon Test" in html
    assert '<span class="badge">organizer</span> <span class="badge">reviewer</span>' in html
    assert "Compilers for everyone" in html
    assert "Someone else&#39;s talk" not in html
    assert "Other Conf" in html
    if "events.dashboard" in app.view_functions:
        assert 'href="/orga/pycon-test/"' in html


def test_dashboard_query_count_does_not_grow_with_data(app: Flask, client: FlaskClient) -> None:
    user = UserFactory()
    profile = SpeakerProfileFactory(user=user)
    login(client, user)

    def add(n: int) -> None:
        for _ in range(n):
            event = EventFactory()
            MembershipFactory(event=event, user=user, role="reviewer")
            SubmissionFactory(event=event, speaker=profile)

    add(2)
    with count_queries() as small:
        assert client.get("/account/").status_code == 200
    add(8)
    with count_queries() as large:
        html = client.get("/account/").get_data(as_text=True)
    assert html.count('<span class="badge">reviewer</span>') == 10
    assert large.count == small.count
