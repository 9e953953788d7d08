"""Speakers' avatars in the public program: shown once a release includes them, never for
speakers outside the program."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from podium.accounts.models import User
from podium.cfp import services as cfp_services
from podium.cfp.models import SpeakerProfile
from podium.extensions import db
from podium.schedule import services
from tests.schedule.builders import make_event, make_rooms, make_speaker, make_submission, place
from tests.support.factories import UserFactory


def png() -> bytes:
    """A small PNG, as a speaker would upload it."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def uploaded(name: str) -> SpeakerProfile:
    """A speaker with an account who uploaded an avatar through their profile."""
    return cfp_services.update_speaker_profile(
        user=UserFactory(), name=name, biography="Bio", avatar=png()
    )


def speaker_ref(client: FlaskClient, name: str) -> str:
    html = client.get("/demo/schedule/").get_data(as_text=True)
    return re.search(rf'href="/demo/speakers/([^"?]+)">{name}<', html).group(1)


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


@pytest.fixture
def program(app: Flask):  # type: ignore[no-untyped-def]
    """Event ``demo`` with Ada (avatar), Bob (none) in one session, and Eve (avatar) whose
    proposals are rejected or unscheduled; release 1 is published before Ada's upload."""
    event = make_event(name="Demo Conf", slug="demo")
    (room,) = make_rooms(event, 1)
    ada_user = UserFactory()
    ada = cfp_services.update_speaker_profile(user=ada_user, name="Ada Lovelace", biography="Hi")
    bob = make_speaker("Bob Byte")
    opening = place(event, room, "2030-02-02 10:00", title="Opening", speakers=(ada, bob))
    services.publish_release(event=event, actor=None, comment="First")
    cfp_services.update_speaker_profile(
        user=ada_user, name="Ada Lovelace", biography="Hi", avatar=png()
    )
    eve = uploaded("Eve Hidden")
    place(event, room, "2030-02-02 11:00", title="Turned down", state="rejected", speakers=(eve,))
    make_submission(event, title="Not placed", state="accepted", speakers=(eve,))
    return {"event": event, "ada": ada, "bob": bob, "eve": eve, "opening": opening}


def test_avatar_is_shown_only_after_a_release_includes_it(client: FlaskClient, program) -> None:
    ada, bob = program["ada"], program["bob"]
    ada_ref = speaker_ref(client, "Ada Lovelace")
    avatar_path = f"/speaker/avatars/{ada.avatar_filename}"

    # Release 1 was published before the upload (its snapshot, like those of releases made
    # before avatars existed, has no "avatar" key): the public does not see the picture yet.
    assert img_tags(client.get(f"/demo/speakers/{ada_ref}").get_data(as_text=True)) == []

    services.publish_release(event=program["event"], actor=None, comment="Avatars")

    page = client.get(f"/demo/speakers/{ada_ref}").get_data(as_text=True)
    assert img_tags(page) == [
        f'<img class="avatar speaker-avatar" src="{avatar_path}" alt="Ada Lovelace" '
        'width="128" height="128" loading="lazy">'
    ]
    with client.get(avatar_path) as image:  # closes the file the response streams
        assert image.status_code == 200 and image.mimetype in ("image/png", "image/jpeg")
    bob_ref = speaker_ref(client, "Bob Byte")
    assert img_tags(client.get(f"/demo/speakers/{bob_ref}").get_data(as_text=True)) == []
    assert bob.avatar_filename is None


def test_session_page_shows_small_avatars_and_nothing_for_speakers_without(
    client: FlaskClient, program
) -> None:
    services.publish_release(event=program["event"], actor=None, comment="Avatars")
    guid = program["opening"].submission.guid

    html = client.get(f"/demo/sessions/{guid}").get_data(as_text=True)

    assert img_tags(html) == [
        f'<img class="avatar avatar-small" src="/speaker/avatars/{program["ada"].avatar_filename}"'
        ' alt="" width="32" height="32" loading="lazy">'
    ]
    assert re.search(r'href="/demo/speakers/[^"]+">Bob Byte</a>', html)
    # The grid and list pages stay without pictures.
    for url in ("/demo/schedule/", "/demo/schedule/list"):
        assert img_tags(client.get(url).get_data(as_text=True)) == [], url


def test_avatar_of_a_speaker_outside_the_program_is_never_exposed(
    client: FlaskClient, app: Flask, program
) -> None:
    release = services.publish_release(event=program["event"], actor=None, comment="Avatars")
    hidden = program["eve"].avatar_filename

    assert hidden and hidden not in json.dumps(release.snapshot)
    for url in (
        "/demo/schedule.json",
        "/demo/schedule.xml",
        "/demo/schedule/",
        "/api/v1/events/demo/speakers",
        "/api/v1/events/demo/sessions",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert hidden not in body and "Eve Hidden" not in body, url
    # Ada's avatar is in the schedule JSON, absolute on BASE_URL.
    exported = client.get("/demo/schedule.json").get_json()
    rooms = exported["schedule"]["conference"]["days"][0]["rooms"]
    persons = {p["name"]: p for talks in rooms.values() for t in talks for p in t["persons"]}
    ada_url = f"http://localhost/speaker/avatars/{program['ada'].avatar_filename}"
    assert persons["Ada Lovelace"]["avatar"] == ada_url
    assert "avatar" not in persons["Bob Byte"]


def test_a_replaced_avatar_stays_while_the_current_release_shows_it(
    client: FlaskClient, app: Flask, program
) -> None:
    services.publish_release(event=program["event"], actor=None, comment="Avatars")
    ada_user = program["ada"].user_id
    shown = program["ada"].avatar_filename
    user = db.session.get(User, ada_user)

    cfp_services.update_speaker_profile(
        user=user, name="Ada Lovelace", biography="Hi", avatar=png()
    )

    # Release 2 still shows the old picture: it must keep loading until the next release.
    with client.get(f"/speaker/avatars/{shown}") as image:
        assert image.status_code == 200
    newer = program["ada"].avatar_filename
    assert newer != shown
    services.publish_release(event=program["event"], actor=None, comment="New picture")
    folder = Path(app.config["UPLOAD_FOLDER"]) / "avatars"

    def upload_again() -> str:
        cfp_services.update_speaker_profile(
            user=user, name="Ada Lovelace", biography="Hi", avatar=png()
        )
        return program["ada"].avatar_filename

    third = upload_again()
    assert (folder / newer).exists()  # release 3 shows it
    fourth = upload_again()
    assert not (folder / third).exists()  # no release ever showed it
    # An explicit removal deletes at once, even a picture the current release shows.
    services.publish_release(event=program["event"], actor=None, comment="Fourth picture")
    cfp_services.update_speaker_profile(
        user=user, name="Ada Lovelace", biography="Hi", remove_avatar=True
    )
    assert not (folder / fourth).exists()
