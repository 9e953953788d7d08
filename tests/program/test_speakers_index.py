"""The public speakers index (/<slug>/speakers/): names, avatars, sessions, a server-side
name search, from the latest release only, cached per release with bounded queries."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from podium.cfp import services as cfp_services
from podium.schedule import services
from tests.program.test_queries import build, queries_for
from tests.schedule.builders import make_event, make_rooms, make_speaker, place
from tests.support.factories import UserFactory
from tests.support.queries import flask_path_config as app_config  # noqa: F401


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 20, 20)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def demo(app: Flask) -> None:
    """Release 1: Émile (avatar, two sessions), Ada, Zoë Bob; then an unpublished session by
    Carol added after the release."""
    event = make_event(name="Demo Conf", slug="demo")
    room_a, room_b = make_rooms(event, 2)
    emile = cfp_services.update_speaker_profile(
        user=UserFactory(), name="Émile Zola", biography="Writer", avatar=_png()
    )
    ada, zoe = make_speaker("Ada Lovelace"), make_speaker("Zoë Bob")
    place(event, room_a, "2030-02-02 10:00", title="Opening", speakers=(emile, ada))
    place(event, room_b, "2030-02-02 11:00", title="Rust in space", speakers=(zoe,))
    place(event, room_a, "2030-02-02 09:00", title="Early words", speakers=(emile,))
    services.publish_release(event=event, actor=None)
    place(event, room_b, "2030-02-02 15:00", title="Unpublished", speakers=(make_speaker("Carol"),))


def _index(html: str) -> list[tuple[str, list[str]]]:
    """(speaker name, [session titles]) in page order."""
    listing = html.split('<ul class="speaker-index">', 1)[1] if "speaker-index" in html else ""
    result = []
    for block in listing.split('<a class="speaker-link"')[1:]:
        name = re.search(r">([^<>]+)</a>", block).group(1)
        titles = re.findall(r'href="/demo/sessions/[^"]+">([^<]+)</a>', block)
        result.append((name, titles))
    return result


def _status(html: str) -> str:
    return re.search(r'<p role="status">([^<]*)</p>', html).group(1)


def test_index_lists_published_speakers_by_name_with_sessions(
    client: FlaskClient, demo: None
) -> None:
    html = client.get("/demo/speakers/").get_data(as_text=True)

    assert _index(html) == [
        ("Ada Lovelace", ["Opening"]),
        ("Émile Zola", ["Early words", "Opening"]),
        ("Zoë Bob", ["Rust in space"]),
    ]
    assert _status(html) == "3 speakers."
    assert "Carol" not in html  # added after the release: not public yet
    avatars = re.findall(r'<img class="avatar avatar-index" src="([^"]+)"', html)
    assert len(avatars) == 1 and avatars[0].startswith("/speaker/avatars/")
    with client.get(avatars[0]) as image:
        assert (image.status_code, image.mimetype) == (200, "image/jpeg")


def test_index_search_is_server_side_by_name_word_prefix(client: FlaskClient, demo: None) -> None:
    html = client.get("/demo/speakers/?q=emil").get_data(as_text=True)
    assert _index(html) == [("Émile Zola", ["Early words", "Opening"])]
    assert _status(html) == "1 of 3 speakers match “emil”."
    assert 'value="emil"' in html
    assert _index(client.get("/demo/speakers/?q=BOB zo").get_data(as_text=True)) == [
        ("Zoë Bob", ["Rust in space"])
    ]
    assert _index(client.get("/demo/speakers/?q=ola").get_data(as_text=True)) == []
    response = client.get("/demo/speakers/?q=" + "x" * 201)
    assert response.status_code == 400
    assert "The q parameter is longer than 200 characters." in response.get_data(as_text=True)


def test_index_is_linked_from_event_page_and_program_nav(client: FlaskClient, demo: None) -> None:
    event_html = client.get("/demo/").get_data(as_text=True)
    schedule_html = client.get("/demo/schedule/list").get_data(as_text=True)
    assert '<li><a href="/demo/speakers/">Speakers</a></li>' in event_html
    assert '<a href="/demo/speakers/">Speakers</a>' in schedule_html


def test_index_revalidates_with_etag_and_shows_a_new_release(
    client: FlaskClient, app: Flask, demo: None
) -> None:
    first = client.get("/demo/speakers/")
    etag = first.headers["ETag"]
    again = client.get("/demo/speakers/", headers={"If-None-Match": etag})
    assert again.status_code == 304

    from podium.events.models import Event
    from podium.extensions import db

    services.publish_release(event=db.session.query(Event).filter_by(slug="demo").one(), actor=None)
    after = client.get("/demo/speakers/", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert [name for name, _ in _index(after.get_data(as_text=True))] == [
        "Ada Lovelace",
        "Carol",
        "Émile Zola",
        "Zoë Bob",
    ]


def test_index_before_any_release_says_unpublished(client: FlaskClient, app: Flask) -> None:
    make_event(slug="early")
    html = client.get("/early/speakers/").get_data(as_text=True)
    assert "The schedule has not been published yet." in html


@pytest.mark.parametrize("url", ["/{slug}/speakers/", "/{slug}/speakers/?q=speaker"])
def test_index_runs_bounded_queries(app: Flask, url: str) -> None:
    small, large = build("small", 2, 2), build("large", 40, 8)
    counts = []
    for values in (small, large):
        app.extensions.pop("podium_program_cache", None)  # the cold (uncached) path
        counts.append(queries_for(app, url.format(**values)))
    assert counts[0] == counts[1]
    assert counts[0] <= 3
    assert queries_for(app, url.format(**large)) == 1  # cached: the event and its release
