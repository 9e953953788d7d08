"""The application shell: health endpoints, error pages, security headers, Markdown."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from podium.text import render_markdown


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
