"""Event languages: the organizer picks the default language and the languages of sessions;
the public program filters by the language sessions are held in and names it for the reader."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.events import services
from podium.events.models import Event
from podium.extensions import db
from podium.schedule import services as schedule_services
from tests.schedule.builders import make_event, make_rooms, place
from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, UserFactory

SETTINGS = {
    "name": "Lingua Conf",
    "time_zone": "Europe/Brussels",
    "start_date": "2030-02-02",
    "end_date": "2030-02-03",
    "is_public": "y",
}


@pytest.fixture
def organizer_client(app: Flask, client: FlaskClient):  # type: ignore[no-untyped-def]
    organizer = UserFactory()
    event = EventFactory(slug="lingua", name="Lingua Conf")
    MembershipFactory(event=event, user=organizer)
    login(client, organizer)
    return client, event


def _stored(event_id: int) -> Event:
    db.session.expire_all()
    return db.session.get(Event, event_id)


def test_settings_save_default_and_session_languages(organizer_client) -> None:  # type: ignore[no-untyped-def]
    client, event = organizer_client
    response = client.post(
        "/orga/lingua/settings",
        data={**SETTINGS, "default_language": "de", "content_languages": ["fr", "de", "en"]},
    )
    assert response.status_code == 302
    stored = _stored(event.id)
    assert stored.default_language == "de"
    assert stored.content_languages == ["en", "de", "fr"]  # the order of the checkboxes

    html = client.get("/orga/lingua/settings").get_data(as_text=True)
    assert re.search(r'<option selected value="de">|<option value="de" selected>', html)
    assert re.search(r'checked[^>]*value="fr"|value="fr"[^>]*checked', html)


def test_settings_name_languages_in_the_readers_language(organizer_client) -> None:  # type: ignore[no-untyped-def]
    client, _event = organizer_client
    german = client.get("/orga/lingua/settings", headers={"Accept-Language": "de"})
    html = german.get_data(as_text=True)
    assert "Sprachen der Beiträge" in html and "Standardsprache" in html
    assert ">Englisch</label>" in html and ">Japanisch</label>" in html
    french = client.get("/orga/lingua/settings", headers={"Accept-Language": "fr"})
    assert ">Allemand</label>" in french.get_data(as_text=True)
    english = client.get("/orga/lingua/settings").get_data(as_text=True)
    assert ">German</label>" in english and "Languages of sessions" in english


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("default_language", "xx", "Default language: “xx” is not one of the listed languages."),
        (
            "content_languages",
            "klingon",
            "Languages of sessions: “klingon” is not one of the listed languages.",
        ),
    ],
)
def test_settings_refuse_unknown_languages_naming_the_field(
    organizer_client, field: str, value: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    client, event = organizer_client
    response = client.post("/orga/lingua/settings", data={**SETTINGS, field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    stored = _stored(event.id)
    assert stored.default_language == "en"
    assert stored.content_languages == []


def test_refusal_is_written_in_the_readers_language(organizer_client) -> None:  # type: ignore[no-untyped-def]
    client, _event = organizer_client
    response = client.post(
        "/orga/lingua/settings",
        data={**SETTINGS, "default_language": "xx"},
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 400
    assert "Standardsprache: „xx“ ist keine der aufgeführten Sprachen." in response.get_data(
        as_text=True
    )


def test_settings_without_language_fields_keep_the_stored_default(organizer_client) -> None:  # type: ignore[no-untyped-def]
    client, event = organizer_client
    event.default_language = "fr"
    db.session.commit()
    assert client.post("/orga/lingua/settings", data=SETTINGS).status_code == 302
    assert _stored(event.id).default_language == "fr"


def test_service_refuses_unknown_codes(app: Flask) -> None:
    event = EventFactory()
    details = services.EventDetails(
        name="X",
        time_zone="Europe/Brussels",
        start_date=event.start_date,
        end_date=event.end_date,
        cfp_opens_at=None,
        cfp_closes_at=None,
        is_public=True,
        default_language="tlh",
    )
    with pytest.raises(services.EventError) as caught:
        services.update_event(event=event, details=details)
    assert caught.value.field == "default_language"
    with pytest.raises(services.EventError) as caught:
        services.update_event(
            event=event,
            details=services.EventDetails(
                **{**details.__dict__, "default_language": "de", "content_languages": ("zz9",)}
            ),
        )
    assert caught.value.field == "content_languages"


# --------------------------------------------------------------------------- public program


@pytest.fixture
def bilingual(app: Flask):  # type: ignore[no-untyped-def]
    """A release with one English and one German session (and a break for every room)."""
    event = make_event(name="Bilingual Conf", slug="bi")
    room_a, room_b = make_rooms(event, 2)
    english = place(event, room_a, "2030-02-02 10:00", title="Rust in space")
    german = place(event, room_b, "2030-02-02 10:00", title="Datenschutz heute")
    german.submission.language = "de"
    db.session.commit()
    schedule_services.add_block(
        event=event,
        title="Lunch",
        kind="break",
        room=None,
        start_at=english.end_at,
        duration_minutes=60,
    )
    schedule_services.publish_release(event=event, actor=None)
    return {"english": english, "german": german}


def test_list_offers_the_languages_of_the_release_and_filters(
    client: FlaskClient, bilingual
) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/bi/schedule/list").get_data(as_text=True)
    assert 'class="language-filter"' in html
    assert 'href="/bi/schedule/list?language=de" hreflang="de">German</a>' in html
    assert 'href="/bi/schedule/list?language=en" hreflang="en">English</a>' in html
    assert "Rust in space" in html and "Datenschutz heute" in html

    german = client.get("/bi/schedule/list?language=de").get_data(as_text=True)
    assert "Datenschutz heute" in german and "Rust in space" not in german
    assert "Only sessions held in German are shown." in german
    assert "Lunch" in german  # breaks concern everyone
    # The time zone form keeps the filter.
    assert '<input type="hidden" name="language" value="de">' in german


def test_grid_filters_by_language_too(client: FlaskClient, bilingual) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/bi/schedule/?language=en").get_data(as_text=True)
    assert "Rust in space" in html and "Datenschutz heute" not in html
    assert "day=2030-02-02&amp;language=en" in html or "language=en&amp;day" in html


def test_filter_names_languages_in_the_readers_language(client: FlaskClient, bilingual) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/bi/schedule/list", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert 'hreflang="de">Deutsch</a>' in html and 'hreflang="en">Englisch</a>' in html
    assert "Alle Sprachen" in html
    french = client.get("/bi/schedule/list?language=de", headers={"Accept-Language": "fr"})
    assert "Seules les sessions en allemand sont affichées." in french.get_data(as_text=True)


def test_unknown_or_malformed_language_is_404_or_400(client: FlaskClient, bilingual) -> None:  # type: ignore[no-untyped-def]
    missing = client.get("/bi/schedule/list?language=it")
    assert missing.status_code == 404
    assert "held in the language “it”" in missing.get_data(as_text=True)
    assert client.get("/bi/schedule/?language=it").status_code == 404
    malformed = client.get("/bi/schedule/list?language=%3Cscript%3E")
    assert malformed.status_code == 400
    assert "<script>" not in malformed.get_data(as_text=True)


def test_one_language_release_shows_no_filter(client: FlaskClient, app: Flask) -> None:
    event = make_event(slug="mono")
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-02-02 10:00", title="Only talk")
    schedule_services.publish_release(event=event, actor=None)
    assert 'class="language-filter"' not in client.get("/mono/schedule/list").get_data(as_text=True)


def test_session_page_names_its_language_for_the_reader(client: FlaskClient, bilingual) -> None:  # type: ignore[no-untyped-def]
    guid = bilingual["german"].submission.guid
    english = client.get(f"/bi/sessions/{guid}").get_data(as_text=True)
    assert "<dt>Language</dt>" in english and ">German</dd>" in english
    german = client.get(f"/bi/sessions/{guid}", headers={"Accept-Language": "de"})
    html = german.get_data(as_text=True)
    assert "<dt>Sprache</dt>" in html and ">Deutsch</dd>" in html
    spanish = client.get(f"/bi/sessions/{guid}", headers={"Accept-Language": "es"})
    assert ">Alemán</dd>" in spanish.get_data(as_text=True)
