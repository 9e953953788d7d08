"""The shared layout: what every page links to exists, so browsers log no 404 on each page."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_layout_links_an_icon_that_is_served(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page

    icon = client.get("/static/favicon.svg")

    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    assert icon.get_data(as_text=True).startswith("<svg ")
    icon.close()  # static files are streamed: close, or the open file is a ResourceWarning
