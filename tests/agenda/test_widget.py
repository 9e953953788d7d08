"""The embeddable schedule widget: framing policy, caching, filters, the embedding script."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.agenda import services
from podium.security import CONTENT_SECURITY_POLICY
from tests.agenda.builders import publish_program
from tests.program.test_views import squash, text
from tests.schedule.builders import make_event
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory
from tests.support.queries import count_queries


def _frame_ancestors(response) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"frame-ancestors ([^;]+)", response.headers["Content-Security-Policy"])[1]


def _titles(html: str) -> list[str]:
    return re.findall(
        r'/sessions/[^"]+" target="_blank" rel="noopener"(?: class="session-title")?>([^<]+)</a>',
        html,
    )


def test_widget_cannot_be_framed_until_organizers_allow_origins(client: FlaskClient) -> None:
    p = publish_program()

    closed = client.get("/demo/widget")
    services.set_widget_origins(
        event=p.event, text="https://www.demo.example\nhttp://localhost:8000"
    )
    opened = client.get("/demo/widget")

    assert _frame_ancestors(closed) == "'none'"
    assert closed.headers["X-Frame-Options"] == "DENY"
    assert _frame_ancestors(opened) == "https://www.demo.example http://localhost:8000"
    assert "X-Frame-Options" not in opened.headers
    # Everything else in the policy stays as strict as on every page.
    assert opened.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors https://www.demo.example http://localhost:8000"
    )


def test_other_pages_keep_frame_ancestors_none(client: FlaskClient) -> None:
    p = publish_program()
    services.set_widget_origins(event=p.event, text="https://www.demo.example")
    for path in ("/demo/", "/demo/schedule/", "/demo/agenda/", "/demo/widget.js"):
        response = client.get(path)
        assert _frame_ancestors(response) == "'none'", path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_widget_list_links_back_to_session_pages(client: FlaskClient) -> None:
    p = publish_program()

    response = client.get("/demo/widget")

    html = squash(text(response))
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert _titles(html) == ["Keynote", "Rust in space", "Python at scale", "Midnight hack"]
    assert (
        f'<a href="http://localhost/demo/sessions/{p.keynote}" target="_blank" rel="noopener">'
        in html
    )
    assert "09:00-10:00" in html and "(times in Europe/Brussels)" in html


def test_widget_filters_by_track_and_shows_the_visitors_zone(client: FlaskClient) -> None:
    p = publish_program()

    html = squash(text(client.get("/demo/widget?track=Rust&tz=America/New_York")))

    assert _titles(html) == ["Rust in space"]
    assert "03:30-04:30" in html and "(times in America/New_York)" in html
    assert f"/demo/sessions/{p.rust}?tz=America/New_York" in html


def test_widget_grid_shows_one_day_and_hides_other_tracks(client: FlaskClient) -> None:
    publish_program()

    everything = squash(text(client.get("/demo/widget?view=grid&day=2030-02-02")))
    rust = squash(text(client.get("/demo/widget?view=grid&day=2030-02-02&track=Rust")))

    assert '<table class="schedule-grid">' in everything
    assert _titles(everything) == ["Keynote", "Rust in space", "Python at scale", "Midnight hack"]
    assert _titles(rust) == ["Rust in space"]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("view=table", 400, "The view parameter must be list or grid, not &#39;table&#39;."),
        (
            "day=tomorrow",
            400,
            "The day parameter &#39;tomorrow&#39; is not a date like 2025-02-01.",
        ),
        ("tz=Mars/Base", 400, "The tz parameter &#39;Mars/Base&#39; is not a time zone name"),
        ("day=2030-03-01", 404, "The schedule has no day 2030-03-01."),
        ("track=Cobol", 404, "The schedule has no track &#39;Cobol&#39;."),
    ],
)
def test_widget_names_the_bad_parameter(
    client: FlaskClient, query: str, status: int, message: str
) -> None:
    publish_program()
    response = client.get(f"/demo/widget?{query}")
    assert response.status_code == status
    assert message in text(response)


def test_widget_is_cached_per_release_and_revalidates(app: Flask) -> None:
    publish_program()
    client = app.test_client()
    first = client.get("/demo/widget?view=list")
    with count_queries() as log:
        again = client.get(
            "/demo/widget?view=list", headers={"If-None-Match": first.headers["ETag"]}
        )
        cached = client.get("/demo/widget?view=list")
    assert again.status_code == 304
    assert _frame_ancestors(again) == "'none'"
    assert cached.get_data() == first.get_data()
    # Per request: the program head and the allowed origins; the body comes from the cache.
    assert log.count == 4


def test_widget_of_a_private_or_unknown_event_is_404(app: Flask) -> None:
    secret = make_event(slug="secret", is_public=False)
    organizer = UserFactory()
    MembershipFactory(event=secret, user=organizer, role="organizer")
    client = login(app.test_client(), organizer)
    assert client.get("/secret/widget").status_code == 404
    assert client.get("/secret/widget.js").status_code == 404
    assert client.get("/nothing/widget").status_code == 404


def test_widget_before_publication_says_so(client: FlaskClient) -> None:
    make_event(slug="early")
    html = text(client.get("/early/widget"))
    assert "The schedule has not been published yet." in html


def test_widget_js_embeds_an_iframe_of_this_event(client: FlaskClient) -> None:
    publish_program()

    response = client.get("/demo/widget.js")

    body = text(response)
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert 'var widgetUrl = "http://localhost/demo/widget";' in body
    assert 'var origin = "http://localhost";' in body
    assert (
        client.get(
            "/demo/widget.js", headers={"If-None-Match": response.headers["ETag"]}
        ).status_code
        == 304
    )


def test_organizer_saves_origins_and_sees_the_embedding_code(app: Flask) -> None:
    p = publish_program()
    organizer = UserFactory()
    MembershipFactory(event=p.event, user=organizer, role="organizer")
    client = login(app.test_client(), organizer)

    saved = client.post("/orga/demo/widget", data={"origins": "https://WWW.demo.example/\n"})
    page = squash(text(client.get("/orga/demo/widget")))

    assert saved.status_code == 303
    assert 'spellcheck="false"> https://www.demo.example</textarea>' in page
    assert (
        '&lt;script src="http://localhost/demo/widget.js" data-view="list" async&gt;'
        "&lt;/script&gt;</textarea>" in page
    )
    assert '<a href="/orga/demo/widget" aria-current="page">Widget</a>' in page


def test_organizer_form_names_the_bad_origin_and_keeps_the_input(app: Flask) -> None:
    p = publish_program()
    organizer = UserFactory()
    MembershipFactory(event=p.event, user=organizer, role="organizer")
    client = login(app.test_client(), organizer)

    response = client.post("/orga/demo/widget", data={"origins": "https://ok.example\n*"})

    html = squash(text(response))
    assert response.status_code == 400
    assert (
        "&#39;*&#39; is not a web origin; write it like https://www.example.org "
        "(scheme, host and optional port, nothing else)." in html
    )
    assert 'spellcheck="false"> https://ok.example *</textarea>' in html
