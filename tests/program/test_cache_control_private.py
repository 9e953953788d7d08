"""Attack: a shared cache (reverse proxy, CDN, corporate proxy) storing a private event's
program or a logged-in page and serving it to anyone.

Only the public program of a public event, fetched anonymously, may say ``public`` (with its
ETag); everything else says ``private``.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.schedule import services
from tests.schedule.builders import make_event, make_rooms, make_speaker, place
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory

PRIVATE = "private, no-cache"


def _program(slug: str, *, is_public: bool) -> dict[str, str]:
    event = make_event(slug=slug, is_public=is_public)
    (room,) = make_rooms(event, 1)
    slot = place(event, room, "2030-02-02 10:00", title="Talk", speakers=(make_speaker("Ada"),))
    services.publish_release(event=event, actor=None, comment="First")
    return {"event": event, "guid": slot.submission.guid}


def _urls(client: FlaskClient, slug: str, guid: str) -> list[str]:
    """Every program page and export of the event."""
    session_page = client.get(f"/{slug}/sessions/{guid}").get_data(as_text=True)
    ref = re.search(rf'href="/{slug}/speakers/([^"?.]+)"', session_page).group(1)
    return [
        f"/{slug}/",
        f"/{slug}/schedule/",
        f"/{slug}/schedule/list",
        f"/{slug}/sessions/{guid}",
        f"/{slug}/speakers/{ref}",
        f"/{slug}/search?q=talk",
        f"/{slug}/releases/",
        f"/{slug}/schedule.xml",
        f"/{slug}/schedule.json",
        f"/{slug}/schedule.ics",
        f"/{slug}/sessions/{guid}.ics",
        f"/{slug}/speakers/{ref}.ics",
    ]


def _cache_controls(client: FlaskClient, urls: list[str]) -> list[tuple[str, int, str, str]]:
    """``(url, status, Cache-Control, Cache-Control of the 304 revalidation)`` per URL."""
    rows = []
    for url in urls:
        response = client.get(url)
        again = client.get(url, headers={"If-None-Match": response.headers.get("ETag", "")})
        rows.append(
            (
                url,
                response.status_code,
                response.headers["Cache-Control"],
                again.headers["Cache-Control"],
            )
        )
    return rows


def test_every_page_and_export_of_a_private_event_is_private(app: Flask) -> None:
    program = _program("secret", is_public=False)
    organizer = UserFactory()
    MembershipFactory(event=program["event"], user=organizer)
    client = login(app.test_client(), organizer)
    urls = _urls(client, "secret", program["guid"])
    assert _cache_controls(client, urls) == [(url, 200, PRIVATE, PRIVATE) for url in urls]


def test_a_public_program_stays_public_for_anonymous_visitors(app: Flask) -> None:
    program = _program("open", is_public=True)
    client = app.test_client()
    urls = _urls(client, "open", program["guid"])
    exports = {u for u in urls if u.endswith((".xml", ".json", ".ics"))}
    assert _cache_controls(client, urls) == [
        (
            url,
            200,
            "public, max-age=60" if url in exports else "public, no-cache",
            "public, max-age=60" if url in exports else "public, no-cache",
        )
        for url in urls
    ]


def test_public_program_pages_rendered_for_a_logged_in_user_are_private(app: Flask) -> None:
    program = _program("open", is_public=True)
    client = login(app.test_client(), UserFactory())
    urls = _urls(client, "open", program["guid"])
    exports = {u for u in urls if u.endswith((".xml", ".json", ".ics"))}
    # Exports are the same bytes for everyone: still public.
    assert _cache_controls(client, urls) == [
        (
            url,
            200,
            "public, max-age=60" if url in exports else PRIVATE,
            "public, max-age=60" if url in exports else PRIVATE,
        )
        for url in urls
    ]


@pytest.mark.parametrize("is_public", [True, False])
def test_an_unpublished_program_page_is_private(app: Flask, is_public: bool) -> None:
    event = make_event(slug="early", is_public=is_public)
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer)
    response = login(app.test_client(), organizer).get("/early/")
    assert (response.status_code, response.headers["Cache-Control"]) == (200, PRIVATE)


def test_organizer_pages_and_csv_exports_are_private(app: Flask) -> None:
    program = _program("secret", is_public=False)
    organizer = UserFactory()
    MembershipFactory(event=program["event"], user=organizer)
    client = login(app.test_client(), organizer)
    urls = [
        "/orga/secret/submissions.csv",
        "/orga/secret/ranking.csv",
        "/orga/secret/schedule/",
        "/account/",
    ]
    answers = [(url, client.get(url)) for url in urls]
    assert [(url, r.headers["Cache-Control"]) for url, r in answers] == [
        (url, PRIVATE) for url in urls
    ]
