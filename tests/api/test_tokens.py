"""API tokens: creation (shown once, stored hashed), scopes across events, revocation,
last use, caching headers, the organizer page's permissions and CSRF."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.api import services
from podium.api.models import ApiToken
from podium.db import utcnow
from podium.extensions import db
from podium.schedule.models import Slot
from tests.api.tokens_support import bearer, event_with_submissions, make_token
from tests.schedule.builders import make_event
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries


@pytest.fixture
def two(app: Flask):  # type: ignore[no-untyped-def]
    return event_with_submissions("alpha"), event_with_submissions("beta")


def test_organizer_creates_token_shown_once_and_stored_hashed(client: FlaskClient, two) -> None:
    alpha, _ = two
    login(client, alpha["organizer"])
    response = client.post(
        "/orga/alpha/api-tokens/", data={"name": "Signage", "scopes": ["read:private"]}
    )
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    row = db.session.scalars(select(ApiToken)).one()
    token = page.split('class="api-token-value" type="text" readonly value="')[1].split('"')[0]
    assert token.startswith(f"pdm_{row.prefix}_")
    assert (row.name, row.scopes, row.event_id) == ("Signage", ["read:private"], alpha["event"].id)
    assert row.secret_hash == services.hash_token(token)
    assert token not in (row.secret_hash, row.prefix)
    listing = client.get("/orga/alpha/api-tokens/").get_data(as_text=True)
    assert token not in listing
    assert f"pdm_{row.prefix}_…" in listing
    assert "never" in listing  # last used


def test_token_form_errors_name_the_field(client: FlaskClient, two) -> None:
    alpha, _ = two
    login(client, alpha["organizer"])
    response = client.post("/orga/alpha/api-tokens/", data={"name": "", "scopes": []})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This field is required." in page
    assert "Choose at least one scope." in page
    bogus = client.post("/orga/alpha/api-tokens/", data={"name": "x", "scopes": ["admin"]})
    assert bogus.status_code == 400
    assert db.session.scalars(select(ApiToken)).all() == []


def test_read_token_serves_private_data_of_its_own_event_only(client: FlaskClient, two) -> None:
    alpha, _ = two
    token = make_token(alpha["event"], "read:private")
    response = client.get("/api/v1/events/alpha/submissions", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    assert [s["title"] for s in body["submissions"]] == [
        "alpha talk 0",
        "alpha talk 1",
        "alpha accepted",
    ]
    first = body["submissions"][0]
    assert first["state"] == "submitted"
    assert first["speakers"] == [{"name": "Speaker 0", "email": "speaker0@alpha.example"}]
    assert first["reviews"] == {"count": 2, "mean_score": 2.5}
    assert body["submissions"][1]["reviews"] == {"count": 0, "mean_score": None}
    assert body["submissions"][2]["speakers"] == [{"name": "Imported Speaker", "email": None}]
    other = client.get("/api/v1/events/beta/submissions", headers=bearer(token))
    assert other.status_code == 404
    assert "beta" not in str(other.get_json()["error"]["message"]).replace("'beta'", "")
    filtered = client.get("/api/v1/events/alpha/submissions?state=accepted", headers=bearer(token))
    assert [s["title"] for s in filtered.get_json()["submissions"]] == ["alpha accepted"]
    bad = client.get("/api/v1/events/alpha/submissions?state=nope", headers=bearer(token))
    assert bad.status_code == 400
    assert "state parameter" in bad.get_json()["error"]["message"]


def test_scopes_are_enforced(client: FlaskClient, two) -> None:
    alpha, _ = two
    write = make_token(alpha["event"], "write:schedule")
    read = make_token(alpha["event"], "read:private")
    refused = client.get("/api/v1/events/alpha/submissions", headers=bearer(write))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["message"] == (
        "This API token lacks the read:private scope."
    )
    assert client.get("/api/v1/events/alpha/slots", headers=bearer(write)).status_code == 200
    assert client.get("/api/v1/events/alpha/slots", headers=bearer(read)).status_code == 200
    publish = client.post("/api/v1/events/alpha/releases", json={}, headers=bearer(read))
    assert publish.status_code == 403


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer pdm_000000000000_wrongwrongwrongwrongwrong", "Basic abc"],
)
def test_missing_or_unknown_token_is_401_with_challenge(
    client: FlaskClient, two, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/events/alpha/submissions", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="podium"'
    assert response.headers["Cache-Control"] == "private, no-store"


def test_wrong_secret_with_real_prefix_is_refused(client: FlaskClient, two) -> None:
    alpha, _ = two
    token = make_token(alpha["event"], "read:private")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response = client.get("/api/v1/events/alpha/submissions", headers=bearer(forged))
    assert response.status_code == 401


def test_revoked_token_stops_working(client: FlaskClient, two) -> None:
    alpha, _ = two
    token = make_token(alpha["event"], "read:private")
    row = db.session.scalars(select(ApiToken)).one()
    login(client, alpha["organizer"])
    response = client.post(f"/orga/alpha/api-tokens/{row.id}/revoke")
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.revoked_at is not None
    anonymous = client.application.test_client()
    denied = anonymous.get("/api/v1/events/alpha/submissions", headers=bearer(token))
    assert denied.status_code == 401
    again = client.post(f"/orga/alpha/api-tokens/{row.id}/revoke")
    assert again.status_code == 404


def test_last_used_is_written_at_most_once_a_minute(client: FlaskClient, two) -> None:
    alpha, _ = two
    token = make_token(alpha["event"], "read:private")
    row = db.session.scalars(select(ApiToken)).one()
    assert row.last_used_at is None
    client.get("/api/v1/events/alpha/slots", headers=bearer(token))
    db.session.refresh(row)
    first = row.last_used_at
    assert first is not None and utcnow() - first < dt.timedelta(seconds=30)
    with count_queries() as log:
        client.get("/api/v1/events/alpha/slots", headers=bearer(token))
    assert not [s for s in log.statements if s.lstrip().upper().startswith("UPDATE")]
    db.session.refresh(row)
    assert row.last_used_at == first
    row.last_used_at = first - dt.timedelta(minutes=2)
    db.session.commit()
    client.get("/api/v1/events/alpha/slots", headers=bearer(token))
    db.session.refresh(row)
    assert row.last_used_at > first


def test_token_responses_are_private_and_leave_public_cache_alone(client: FlaskClient, two) -> None:
    alpha, _ = two
    token = make_token(alpha["event"], "read:private")
    before = client.get("/api/v1/events/alpha/sessions")
    private = client.get("/api/v1/events/alpha/submissions", headers=bearer(token))
    assert private.headers["Cache-Control"] == "private, no-store"
    assert "Authorization" in private.headers["Vary"]
    after = client.get("/api/v1/events/alpha/sessions", headers=bearer(token))
    assert after.headers["Cache-Control"] == "public, max-age=60"
    assert after.get_data() == before.get_data()
    assert "speaker0@alpha.example" not in after.get_data(as_text=True)


def test_token_serves_event_that_is_not_public(client: FlaskClient, app: Flask) -> None:
    hidden = make_event(slug="hidden", is_public=False)
    token = make_token(hidden, "read:private")
    assert client.get("/api/v1/events/hidden/submissions").status_code == 401
    response = client.get("/api/v1/events/hidden/submissions", headers=bearer(token))
    assert response.get_json() == {"event": "hidden", "submissions": []}


def test_submissions_list_runs_fixed_number_of_queries(client: FlaskClient, app: Flask) -> None:
    small = event_with_submissions("small", count=1)
    large = event_with_submissions("large", count=12)
    counts = []
    for data in (small, large):
        token = make_token(data["event"], "read:private")
        client.get(f"/api/v1/events/{data['event'].slug}/submissions", headers=bearer(token))
        with count_queries() as log:
            response = client.get(
                f"/api/v1/events/{data['event'].slug}/submissions", headers=bearer(token)
            )
        assert response.status_code == 200
        counts.append(log.count)
    # event, token, submissions, speakers, score categories, reviews + their scores, slots
    assert counts[0] == counts[1] == 8


def test_token_page_permissions(app: Flask, two) -> None:
    alpha, beta = two
    speaker = UserFactory()
    reviewer = UserFactory()
    MembershipFactory(event=alpha["event"], user=reviewer, role="reviewer")
    make_token(alpha["event"], "read:private")
    token_id = db.session.scalars(select(ApiToken.id)).one()

    def fresh_token() -> None:
        db.session.execute(
            ApiToken.__table__.update().where(ApiToken.id == token_id).values(revoked_at=None)
        )
        db.session.commit()

    users = {
        "anonymous": None,
        "speaker": speaker,
        "reviewer": reviewer,
        "other_organizer": beta["organizer"],
        "organizer": alpha["organizer"],
    }
    check_matrix(
        app,
        users,
        [
            Route("GET", "/orga/alpha/api-tokens/", allowed={"organizer"}),
            Route(
                "POST",
                "/orga/alpha/api-tokens/",
                data={"name": "x", "scopes": ["read:private"]},
                allowed={"organizer"},
            ),
            Route(
                "POST",
                f"/orga/alpha/api-tokens/{token_id}/revoke",
                allowed={"organizer"},
                setup=fresh_token,
            ),
        ],
    )


def test_organizer_cookie_cannot_use_token_api(client: FlaskClient, two) -> None:
    alpha, _ = two
    login(client, alpha["organizer"])
    assert client.get("/api/v1/events/alpha/submissions").status_code == 401
    response = client.post(
        "/api/v1/events/alpha/slots",
        json={
            "submission_id": alpha["accepted"].id,
            "room_id": alpha["room"].id,
            "start": "2030-02-02T10:00:00+01:00",
        },
    )
    assert response.status_code == 401
    assert db.session.scalars(select(Slot)).all() == []


class TestWithCsrf:
    """With CSRF on (as in production), token writes work and cookie writes are refused."""

    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"WTF_CSRF_ENABLED": True}

    def test_token_write_needs_no_csrf_token(self, client: FlaskClient, two) -> None:
        alpha, _ = two
        token = make_token(alpha["event"], "write:schedule")
        response = client.post(
            "/api/v1/events/alpha/slots",
            json={
                "submission_id": alpha["accepted"].id,
                "room_id": alpha["room"].id,
                "start": "2030-02-02T10:00:00+01:00",
            },
            headers=bearer(token),
        )
        assert response.status_code == 201, response.get_data(as_text=True)

    def test_organizer_page_still_needs_csrf(self, client: FlaskClient, two) -> None:
        alpha, _ = two
        login(client, alpha["organizer"])
        response = client.post(
            "/orga/alpha/api-tokens/", data={"name": "x", "scopes": ["read:private"]}
        )
        assert response.status_code == 400
        assert db.session.scalars(select(ApiToken)).all() == []
