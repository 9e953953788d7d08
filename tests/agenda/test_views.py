"""Stars on the program pages, My agenda and the agenda feed, over HTTP."""

from __future__ import annotations

import re

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.agenda import queries as agenda_queries
from podium.agenda import services
from tests.agenda.builders import cancel, move, publish_program, release
from tests.program.test_views import squash, text
from tests.schedule.builders import make_event
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries

STAR = re.compile(
    r'<button type="submit" form="agenda-stars" class="star" name="(\w+)" '
    r'value="([^"]+)" aria-pressed="(\w+)"( hidden)?>'
)


def _stars(html: str) -> list[tuple[str, str, str, bool]]:
    """(name, guid, aria-pressed, hidden) of every star button on the page."""
    return [(m[0], m[1], m[2], bool(m[3])) for m in STAR.findall(html)]


# --------------------------------------------------------------------------- program pages


@pytest.mark.parametrize("path", ["/demo/schedule/", "/demo/schedule/list"])
def test_anonymous_pages_carry_hidden_stars_and_the_hint(client: FlaskClient, path: str) -> None:
    p = publish_program()

    response = client.get(path)

    html = text(response)
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert _stars(html) == [
        ("star", g, "false", True) for g in (p.keynote, p.rust, p.python, p.late)
    ]
    assert 'id="agenda-stars"' not in html
    assert "or turn on JavaScript (stars are then kept in this browser only)." in html
    assert 'src="/static/agenda.js"' in html


def test_anonymous_pages_are_the_same_for_everyone(app: Flask) -> None:
    publish_program()
    first = app.test_client().get("/demo/schedule/").get_data()
    second = app.test_client().get("/demo/schedule/").get_data()
    assert first == second


def test_logged_in_page_shows_their_stars_pressed_without_javascript(
    app: Flask, client: FlaskClient
) -> None:
    p = publish_program()
    user = UserFactory()
    services.star_session(user=user, event=p.event, guid=p.rust)
    login(client, user)

    html = text(client.get("/demo/schedule/"))

    assert _stars(html) == [
        ("star", p.keynote, "false", False),
        ("unstar", p.rust, "true", False),
        ("star", p.python, "false", False),
        ("star", p.late, "false", False),
    ]
    assert '<form id="agenda-stars" method="post" action="/demo/agenda/star"' in html
    assert '<input type="hidden" name="next" value="/demo/schedule/">' in html


def test_session_page_has_one_star(client: FlaskClient) -> None:
    p = publish_program()
    html = text(client.get(f"/demo/sessions/{p.python}"))
    assert _stars(html) == [("star", p.python, "false", True)]


def test_starring_changes_the_etag_of_the_users_page(app: Flask, client: FlaskClient) -> None:
    p = publish_program()
    user = UserFactory()
    login(client, user)
    before = client.get("/demo/schedule/list").headers["ETag"]

    client.post("/demo/agenda/star", data={"star": p.keynote, "next": "/demo/schedule/list"})
    again = client.get("/demo/schedule/list", headers={"If-None-Match": before})

    assert again.status_code == 200
    assert ("unstar", p.keynote, "true", False) in _stars(text(again))


def test_logged_in_page_costs_one_query_more_than_before(app: Flask) -> None:
    p = publish_program()
    user = UserFactory()
    services.star_session(user=user, event=p.event, guid=p.rust)
    client = login(app.test_client(), user)
    client.get("/demo/schedule/")  # warm the cache
    with count_queries() as log:
        assert client.get("/demo/schedule/").status_code == 200
    stars = [s for s in log.statements if "agenda_stars" in s]
    assert len(stars) == 1


# --------------------------------------------------------------------------- starring


def test_star_without_javascript_redirects_back_and_stores_it(
    app: Flask, client: FlaskClient
) -> None:
    p = publish_program()
    user = UserFactory()
    login(client, user)

    response = client.post(
        "/demo/agenda/star", data={"star": p.keynote, "next": "/demo/schedule/?day=2030-02-02"}
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/demo/schedule/?day=2030-02-02"
    assert agenda_queries.starred_guids(user.id, p.event.id) == {p.keynote}
    client.post("/demo/agenda/star", data={"unstar": p.keynote})
    assert agenda_queries.starred_guids(user.id, p.event.id) == frozenset()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_star_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    p = publish_program()
    login(client, UserFactory())
    response = client.post("/demo/agenda/star", data={"star": p.keynote, "next": target})
    assert response.headers["Location"] == "/demo/agenda/"


def test_star_answers_json_to_scripts(client: FlaskClient) -> None:
    p = publish_program()
    login(client, UserFactory())
    headers = {"Accept": "application/json"}

    on = client.post("/demo/agenda/star", data={"star": p.rust}, headers=headers)
    off = client.post("/demo/agenda/star", data={"unstar": p.rust}, headers=headers)

    assert (on.status_code, on.get_json()) == (200, {"guid": p.rust, "starred": True})
    assert (off.status_code, off.get_json()) == (200, {"guid": p.rust, "starred": False})


def test_star_of_a_session_not_in_the_program_is_404(client: FlaskClient) -> None:
    publish_program()
    login(client, UserFactory())
    response = client.post("/demo/agenda/star", data={"star": "no-such-guid"})
    assert response.status_code == 404
    assert "There is no such session in the published schedule." in text(response)


def test_star_without_a_session_is_400(client: FlaskClient) -> None:
    publish_program()
    login(client, UserFactory())
    response = client.post("/demo/agenda/star", data={})
    assert response.status_code == 400
    assert "Say which session to star (field star) or unstar (field unstar)." in text(response)


def test_anonymous_star_goes_to_login_or_gets_401_json(client: FlaskClient) -> None:
    p = publish_program()
    page = client.post("/demo/agenda/star", data={"star": p.rust})
    script = client.post(
        "/demo/agenda/star", data={"star": p.rust}, headers={"Accept": "application/json"}
    )
    assert page.status_code == 302 and "/account/login" in page.headers["Location"]
    assert (script.status_code, script.get_json()) == (
        401,
        {"error": "Log in to keep stars in your account."},
    )


def test_merge_adds_the_browsers_stars_at_log_in(app: Flask, client: FlaskClient) -> None:
    p = publish_program()
    user = UserFactory()
    services.star_session(user=user, event=p.event, guid=p.keynote)
    login(client, user)

    response = client.post("/demo/agenda/merge", json={"guids": [p.rust, "gone", p.keynote]})

    assert response.status_code == 200
    assert response.get_json() == {"starred": sorted([p.keynote, p.rust])}
    assert agenda_queries.starred_guids(user.id, p.event.id) == {p.keynote, p.rust}


@pytest.mark.parametrize("body", [None, {"guids": "x"}, {"guids": [1]}, ["x"]])
def test_merge_refuses_malformed_json(client: FlaskClient, body: object) -> None:
    publish_program()
    login(client, UserFactory())
    response = client.post("/demo/agenda/merge", json=body)
    assert response.status_code == 400
    assert response.get_json() == {"error": 'Send JSON like {"guids": ["<session guid>", ...]}.'}


class TestWithCsrf:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"WTF_CSRF_ENABLED": True}

    def test_star_without_the_csrf_token_is_refused(self, client: FlaskClient) -> None:
        p = publish_program()
        user = UserFactory()
        login(client, user)
        response = client.post("/demo/agenda/star", data={"star": p.rust})
        assert response.status_code == 400
        assert agenda_queries.starred_guids(user.id, p.event.id) == frozenset()

    def test_the_pages_form_token_lets_the_star_through(self, client: FlaskClient) -> None:
        p = publish_program()
        user = UserFactory()
        login(client, user)
        html = text(client.get("/demo/schedule/list"))
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

        response = client.post("/demo/agenda/star", data={"star": p.rust, "csrf_token": token})
        merged = client.post(
            "/demo/agenda/merge", json={"guids": [p.late]}, headers={"X-CSRFToken": token}
        )

        assert (response.status_code, merged.status_code) == (303, 200)
        assert agenda_queries.starred_guids(user.id, p.event.id) == {p.rust, p.late}


# --------------------------------------------------------------------------- My agenda


def test_my_agenda_lists_stars_in_the_viewers_zone_with_overlaps(
    app: Flask, client: FlaskClient
) -> None:
    p = publish_program()
    user = UserFactory()
    for guid in (p.python, p.rust, p.keynote):
        services.star_session(user=user, event=p.event, guid=guid)
    login(client, user)

    response = client.get("/demo/agenda/?tz=America/New_York")

    html = squash(text(response))
    assert response.headers["Cache-Control"] == "private, no-cache"
    titles = re.findall(r"<a href=\"/demo/sessions/[^\"]+\"><strong>([^<]+)</strong>", html)
    assert titles == ["Keynote", "Rust in space", "Python at scale"]
    assert "Saturday 02 February 2030, 03:00-04:00</time>, Room A" in html
    assert "Overlaps</span> with Rust in space" in html
    assert "Overlaps</span> with Keynote" in html
    assert html.count("Overlaps</span>") == 2


def test_my_agenda_flags_moved_and_canceled_sessions(app: Flask, client: FlaskClient) -> None:
    p = publish_program()
    user = UserFactory()
    for guid in (p.python, p.rust):
        services.star_session(user=user, event=p.event, guid=guid)
    move(p.slots["Python at scale"], 30)
    cancel(p.slots["Rust in space"])
    release(p)
    login(client, user)

    html = squash(text(client.get("/demo/agenda/")))

    assert (
        '<strong>Rust in space</strong> <span class="badge badge-canceled">Canceled</span>' in html
    )
    assert "It was planned for Saturday 02 February 2030, 09:30 in Room B;" in html
    assert "Moved in the latest release; it was at Saturday 02 February 2030, 11:00." in html
    assert '<input type="hidden" name="next" value="/demo/agenda/">' in html


def test_my_agenda_for_anonymous_visitors_shows_the_browsers_list(client: FlaskClient) -> None:
    p = publish_program()

    html = squash(text(client.get(f"/demo/agenda/?s={p.late},{p.keynote}")))

    assert "Your stars are kept in this browser only." in html
    assert f'data-list="{",".join(sorted([p.late, p.keynote]))}"' in html
    titles = re.findall(r"<strong>([^<]+)</strong></a>", html)
    assert titles == ["Keynote", "Midnight hack"]
    assert "Calendar feed" not in html
    assert re.findall(r'class="secondary agenda-forget" data-guid="([^"]+)" hidden>', html) == [
        p.keynote,
        p.late,
    ]


def test_my_agenda_without_stars_points_to_the_schedule(client: FlaskClient) -> None:
    publish_program()
    html = squash(text(client.get("/demo/agenda/")))
    assert "You have not starred any sessions yet." in html


def test_my_agenda_rejects_an_unknown_zone(client: FlaskClient) -> None:
    publish_program()
    response = client.get("/demo/agenda/?tz=Mars/Olympus")
    assert response.status_code == 400


def test_my_agenda_runs_the_same_queries_whatever_the_number_of_stars(app: Flask) -> None:
    user = UserFactory()
    counts = []
    for slug, extra in (("small", 0), ("large", 60)):
        p = publish_program(slug)
        guids = [p.keynote, p.rust, p.python, p.late] + [f"gone-{i}" for i in range(extra)]
        services.merge_stars(user=user, event=p.event, guids=guids)
        client = login(app.test_client(), user)
        client.get(f"/{slug}/agenda/")
        with count_queries() as log:
            assert client.get(f"/{slug}/agenda/").status_code == 200
        counts.append(log.count)
    # event, program head, stars, changelog, feed
    assert counts == [5, 5]


# --------------------------------------------------------------------------- feed


def _feed_token(client: FlaskClient) -> str:
    html = text(client.post("/demo/agenda/feed"))
    match = re.search(r'value="http://localhost/demo/agenda/feed/([^"]+)\.ics"', html)
    assert match is not None
    return match.group(1)


def test_feed_follows_releases_and_drops_canceled_sessions(app: Flask, client: FlaskClient) -> None:
    p = publish_program()
    user = UserFactory()
    for guid in (p.rust, p.python):
        services.star_session(user=user, event=p.event, guid=guid)
    login(client, user)
    token = _feed_token(client)
    anonymous = app.test_client()

    first = anonymous.get(f"/demo/agenda/feed/{token}.ics")
    cancel(p.slots["Rust in space"])
    release(p)
    second = anonymous.get(f"/demo/agenda/feed/{token}.ics")

    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert first.headers["Cache-Control"] == "private, no-cache"

    def summaries(response) -> list[str]:  # type: ignore[no-untyped-def]
        calendar = icalendar.Calendar.from_ical(response.get_data())
        return [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]

    assert summaries(first) == ["Rust in space", "Python at scale"]
    assert summaries(second) == ["Python at scale"]
    assert first.headers["ETag"] != second.headers["ETag"]
    again = anonymous.get(
        f"/demo/agenda/feed/{token}.ics", headers={"If-None-Match": second.headers["ETag"]}
    )
    assert again.status_code == 304


def test_regenerated_feed_revokes_the_old_address(client: FlaskClient) -> None:
    publish_program()
    login(client, UserFactory())
    old = _feed_token(client)
    new = _feed_token(client)

    assert client.get(f"/demo/agenda/feed/{old}.ics").status_code == 404
    assert client.get(f"/demo/agenda/feed/{new}.ics").status_code == 200
    shown = text(client.post("/demo/agenda/feed"))
    assert 'class="tz-form"' not in shown  # its action would be the POST-only address
    client.post("/demo/agenda/feed/revoke")
    gone = client.get(f"/demo/agenda/feed/{new}.ics")
    assert gone.status_code == 404
    assert "This feed address does not exist or was revoked." in text(gone)


def test_feed_token_of_another_event_is_404(client: FlaskClient) -> None:
    publish_program()
    make_event(slug="other")
    login(client, UserFactory())
    token = _feed_token(client)
    assert client.get(f"/other/agenda/feed/{token}.ics").status_code == 404


def test_feed_of_an_event_made_private_stops_for_non_organizers(client: FlaskClient) -> None:
    p = publish_program()
    login(client, UserFactory())
    token = _feed_token(client)
    p.event.is_public = False
    from podium.extensions import db

    db.session.commit()
    assert client.get(f"/demo/agenda/feed/{token}.ics").status_code == 404


# --------------------------------------------------------------------------- permissions


def test_agenda_permission_matrix(app: Flask) -> None:
    p = publish_program()
    secret = make_event(slug="secret", is_public=False)
    speaker, reviewer, organizer, other = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(event=p.event, user=reviewer, role="reviewer")
    MembershipFactory(event=p.event, user=organizer, role="organizer")
    MembershipFactory(event=secret, user=organizer, role="organizer")
    other_event = make_event(slug="elsewhere")
    MembershipFactory(event=other_event, user=other, role="organizer")
    users = {
        "anonymous": None,
        "speaker": speaker,
        "reviewer": reviewer,
        "other organizer": other,
        "organizer": organizer,
    }
    everyone = {"anonymous", "speaker", "reviewer", "other organizer", "organizer"}
    accounts = everyone - {"anonymous"}
    check_matrix(
        app,
        users,
        [
            Route("GET", "/demo/agenda/", allowed=everyone),
            Route("POST", "/demo/agenda/star", data={"star": p.rust}, allowed=accounts),
            Route("POST", "/demo/agenda/feed", allowed=accounts),
            Route("POST", "/demo/agenda/feed/revoke", allowed=accounts),
            Route("GET", "/secret/agenda/", allowed={"organizer"}, denied_status=(404,)),
            Route("POST", "/secret/agenda/feed", allowed={"organizer"}, denied_status=(404,)),
            Route("GET", "/orga/demo/widget", allowed={"organizer"}),
            Route("POST", "/orga/demo/widget", data={"origins": ""}, allowed={"organizer"}),
        ],
    )
