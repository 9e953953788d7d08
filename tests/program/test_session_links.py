"""The public session page lists a session's links and attachments, and only web ones."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from podium.schedule import services
from podium.schedule.models import ScheduleRelease
from tests.schedule.builders import make_event, make_rooms, place


def _session_with_links(links: list[dict[str, str]]) -> str:
    event = make_event(name="Demo Conf", slug="demo")
    (room,) = make_rooms(event, 1)
    slot = place(event, room, "2030-02-02 10:00", title="Opening")
    slot.submission.links = links
    db.session.commit()
    services.publish_release(event=event, actor=None, comment="First")
    return slot.submission.guid


def _html(client: FlaskClient, guid: str) -> str:
    return re.sub(r"\s+", " ", client.get(f"/demo/sessions/{guid}").get_data(as_text=True))


def test_session_page_lists_links_and_attachments_in_order(app: Flask, client: FlaskClient) -> None:
    guid = _session_with_links(
        [
            {"kind": "link", "title": "Video", "url": "https://video.example/1.webm"},
            {"kind": "attachment", "title": "Slides", "url": "https://example.org/s.pdf"},
            {"kind": "link", "title": "Chat <room>", "url": "https://chat.example/#/room:x"},
        ]
    )

    html = _html(client, guid)

    assert (
        '<section class="session-links"><h2>Links</h2><ul>'
        '<li><a href="https://video.example/1.webm" rel="nofollow noopener">Video</a></li>'
        '<li><a href="https://chat.example/#/room:x" rel="nofollow noopener">'
        "Chat &lt;room&gt;</a></li></ul></section>"
    ) in html
    assert (
        '<section class="session-attachments"><h2>Attachments</h2><ul>'
        '<li><a href="https://example.org/s.pdf" rel="nofollow noopener">Slides</a></li>'
        "</ul></section>"
    ) in html
    assert "<script>" not in html and "style=" not in html  # CSP: nothing inline


def test_session_page_without_links_has_no_headings(app: Flask, client: FlaskClient) -> None:
    guid = _session_with_links([])

    html = _html(client, guid)

    assert "<h1>Opening</h1>" in html
    assert "<h2>Links</h2>" not in html and "<h2>Attachments</h2>" not in html


def test_hostile_stored_or_snapshot_urls_never_reach_the_page(
    app: Flask, client: FlaskClient
) -> None:
    # A row written around the importer: building the release drops the script URL.
    guid = _session_with_links(
        [
            {"kind": "link", "title": "Bad", "url": "javascript:alert(1)"},
            {"kind": "link", "title": "Good", "url": "https://example.org/"},
        ]
    )
    release = db.session.query(ScheduleRelease).one()
    assert release.snapshot["sessions"][0]["links"] == [["Good", "https://example.org/"]]
    # A snapshot edited by hand (or by an older Podium): the page still shows web links only.
    snapshot = dict(release.snapshot)
    session = dict(snapshot["sessions"][0])
    session["links"] = [["Bad", "JavaScript:alert(1)"], ["Good", "https://example.org/"]]
    session["attachments"] = [["Data", "data:text/html,x"]]
    snapshot["sessions"] = [session]
    release.snapshot = snapshot
    db.session.commit()

    html = _html(client, guid)

    assert "javascript:" not in html.lower() and "data:text" not in html
    assert '<a href="https://example.org/" rel="nofollow noopener">Good</a>' in html
    assert "<h2>Attachments</h2>" not in html
