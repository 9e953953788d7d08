"""The application shell: health endpoints, error pages, security headers, Markdown."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.cfp.models import Submission
from podium.extensions import db
from podium.text import render_markdown
from tests.support.auth import login
from tests.support.factories import EventFactory, SessionTypeFactory, UserFactory


def test_healthz_answers_without_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_reports_current_schema_state(client: FlaskClient) -> None:
    # The test schema is made with create_all, not migrations: readyz must notice.
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["reason"] == (
        "the database has no tables yet; run `podium db upgrade`"
    )


def test_404_is_an_html_page(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<h1>Page not found</h1>" in response.get_data(as_text=True)


def test_api_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_405_keeps_allow_header(client: FlaskClient) -> None:
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "<h1>Method not allowed</h1>" in response.get_data(as_text=True)


def test_500_page_hides_the_traceback(app: Flask) -> None:
    app.testing = False
    from podium.errors import register_error_handlers

    register_error_handlers(app)

    @app.get("/boom")
    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "<h1>Something went wrong</h1>" in body
    assert "secret internals" not in body


def test_security_headers_on_every_page(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_stylesheet_is_served_from_the_package(client: FlaskClient) -> None:
    response = client.get("/static/podium.css")
    assert response.status_code == 200
    assert b"--accent" in response.data
    response.close()


def test_markdown_drops_script_handlers_and_javascript_links() -> None:
    html = render_markdown(
        "**bold** <script>alert(1)</script> [x](javascript:alert(1)) "
        '<img src=x onerror="alert(1)"> [ok](https://example.org)'
    )
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<img" not in html  # raw HTML is escaped text, so its onerror never runs
    assert '<a href="https://example.org" rel="nofollow noopener">ok</a>' in html


@pytest.mark.parametrize(
    "url",
    ["/a%00b/", "/a%00b/cfp", "/orga/a%00b/", "/invite/team/a%00b", "/account/reset?x=%00"],
)
def test_nul_in_url_is_400_not_a_database_error(client: FlaskClient, url: str) -> None:
    # PostgreSQL refuses NUL in text parameters: without this check these were 500s there.
    response = client.get(url)
    assert response.status_code == 400
    assert "The address contains a NUL character (%00)." in response.get_data(as_text=True)


def test_nul_in_form_fields_is_dropped_and_the_rest_saved(client: FlaskClient) -> None:
    event = EventFactory()
    session_type = SessionTypeFactory(event=event)
    login(client, UserFactory())
    response = client.post(
        f"/{event.slug}/submit",
        data={
            "title": "Null\x00 island",
            "abstract": "A\x00B",
            "session_type": str(session_type.id),
            "duration_minutes": "30",
            "language": "en",
            "audience_level": "all",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    submission = db.session.scalars(select(Submission)).one()
    assert (submission.title, submission.abstract) == ("Null island", "AB")


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/orga/{slug}/submissions/" + HUGE, 404),
        ("/orga/{slug}/submissions/3000000000", 404),
        ("/orga/{slug}/schedule/slots/" + HUGE, 404),
        ("/mail/outbox/" + HUGE, 404),
        ("/orga/{slug}/submissions?track=" + HUGE, 200),
        ("/orga/{slug}/submissions?session_type=%C2%B2", 200),
        ("/orga/{slug}/submissions.csv?track=" + HUGE, 200),
        ("/orga/{slug}/ranking?track=%C2%B2&min_reviews=" + HUGE, 200),
        ("/orga/{slug}/decisions?track=" + HUGE, 200),
        ("/mail/outbox?page=" + HUGE, 400),
    ],
)
def test_huge_or_unicode_digit_ids_are_no_ids_not_a_500(
    client: FlaskClient, path: str, status: int
) -> None:
    # These overflowed the database driver, or int("²") raised: 500 before.
    event = EventFactory()
    login(client, UserFactory(is_admin=True))
    response = client.get(path.format(slug=event.slug))
    assert response.status_code == status
