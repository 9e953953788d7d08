"""The public program, the organizer pages and the token page in German, French and Spanish;
cached public pages are kept per language."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.schedule import services as schedule_services
from tests.schedule.builders import make_event, make_rooms, make_speaker, place
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory

LANGUAGES = ("de", "fr", "es")


def _get(client: FlaskClient, url: str, language: str) -> str:
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200, (url, language)
    assert f'<html lang="{language}"' in response.get_data(as_text=True)
    return response.get_data(as_text=True).replace("&#39;", "'")


@pytest.fixture
def published(app: Flask):  # type: ignore[no-untyped-def]
    event = make_event(name="Demo Conf", slug="demo")
    room_a, room_b = make_rooms(event, 2)
    ada = make_speaker("Ada Lovelace")
    opening = place(event, room_a, "2030-02-02 10:00", title="Opening", speakers=(ada,))
    place(event, room_b, "2030-02-03 11:00", title="Closing")
    schedule_services.publish_release(event=event, actor=None)
    return {"event": event, "opening": opening}


# Per language: (event page, grid, list, session page, speakers, search) texts.
PUBLIC = {
    "de": {
        "event": ["<h2>Programm</h2>", "Das Programm zum Mitnehmen", "Samstag, 2. Februar 2030"],
        "grid": ["<h1>Programm: Samstag, 2. Februar 2030</h1>", "Listenansicht", "Zeitzone"],
        "list": ['<th scope="col">Raum</th>', "Tag 1: Samstag, 2. Februar 2030"],
        "session": ["<dt>Wann</dt>", "Zum Kalender hinzufügen (.ics)", "Samstag, 2. Februar 2030"],
        "speakers": ["Vortragende suchen", "1 Vortragende(r)."],
        "search": ["1 Beitrag gefunden.", "Titel, Vortragende(r) oder Track"],
    },
    "fr": {
        "event": ["<h2>Programme</h2>", "Emportez le programme", "samedi 2 février 2030"],
        "grid": ["<h1>Programme : samedi 2 février 2030</h1>", "Vue en liste", "Fuseau horaire"],
        "list": ['<th scope="col">Salle</th>', "Jour 1 : samedi 2 février 2030"],
        "session": ["<dt>Quand</dt>", "Ajouter au calendrier (.ics)", "samedi 2 février 2030"],
        "speakers": ["Chercher des intervenant·e·s", "1 intervenant·e."],
        "search": ["1 session trouvée.", "Titre, intervenant·e ou thématique"],
    },
    "es": {
        "event": ["<h2>Programa</h2>", "Llévese el programa", "sábado, 2 de febrero de 2030"],
        "grid": ["<h1>Programa: sábado, 2 de febrero de 2030</h1>", "Vista de lista"],
        "list": ['<th scope="col">Sala</th>', "Día 1: sábado, 2 de febrero de 2030"],
        "session": ["<dt>Cuándo</dt>", "Añadir al calendario (.ics)"],
        "speakers": ["Buscar ponentes", "1 ponente."],
        "search": ["1 sesión encontrada.", "Título, ponente o track"],
    },
}
ENGLISH = {
    "event": ["Take the schedule with you", "All sessions as a list", "Saturday"],
    "grid": ["List view", "Times are shown in", "No sessions on this day."],
    "list": ['<th scope="col">Room</th>', "Times are shown in"],
    "session": ["<dt>When</dt>", "Add to calendar (.ics)", "Saturday"],
    "speakers": ["Find speakers", "1 speaker."],
    "search": ["1 session found.", "Title, speaker or track"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_are_translated(client: FlaskClient, published, language: str) -> None:  # type: ignore[no-untyped-def]
    guid = published["opening"].submission.guid
    urls = {
        "event": "/demo/",
        "grid": "/demo/schedule/",
        "list": "/demo/schedule/list",
        "session": f"/demo/sessions/{guid}",
        "speakers": "/demo/speakers/",
        "search": "/demo/search?q=opening",
    }
    for page, url in urls.items():
        html = _get(client, url, language)
        for expected in PUBLIC[language][page]:
            assert expected in html, (language, page, expected)
        for english in ENGLISH[page]:
            assert english not in html, (language, page, english)


@pytest.mark.parametrize("language", LANGUAGES)
def test_unpublished_and_error_pages_are_translated(
    client: FlaskClient, app: Flask, language: str
) -> None:
    make_event(slug="early")
    html = _get(client, "/early/", language)
    assert "The schedule has not been published yet." not in html
    expected = {
        "de": "Das Programm wurde noch nicht veröffentlicht.",
        "fr": "Le programme n\u2019a pas encore été publié.",
        "es": "El programa todavía no se ha publicado.",
    }[language]
    assert expected.replace("'", "&#39;") in html or expected in html


def test_cached_page_is_kept_per_language(client: FlaskClient, published) -> None:  # type: ignore[no-untyped-def]
    german = client.get("/demo/schedule/list", headers={"Accept-Language": "de"})
    french = client.get("/demo/schedule/list", headers={"Accept-Language": "fr"})
    again = client.get("/demo/schedule/list", headers={"Accept-Language": "de"})
    for response in (german, french):
        assert response.status_code == 200
        assert "Accept-Language" in response.headers["Vary"]
        assert response.headers["Cache-Control"] == "public, no-cache"
    assert german.headers["Content-Language"] == "de"
    assert french.headers["Content-Language"] == "fr"
    assert german.headers["ETag"] != french.headers["ETag"]
    assert german.get_data() != french.get_data()
    assert "Programme (liste)" in french.get_data(as_text=True)
    assert "Programm (Liste)" not in french.get_data(as_text=True)
    assert again.headers["ETag"] == german.headers["ETag"]
    assert again.get_data() == german.get_data()
    # The German copy's validator never revalidates the French page.
    revalidated = client.get(
        "/demo/schedule/list",
        headers={"Accept-Language": "fr", "If-None-Match": german.headers["ETag"]},
    )
    assert revalidated.status_code == 200
    assert "Programme (liste)" in revalidated.get_data(as_text=True)


# --------------------------------------------------------------------------- organizer pages

ORGANIZER = {
    "de": {
        "/orga/demo/": [
            "Erste Schritte",
            "Nächste Schritte",
            "Organisationsmenü",
            "Das Programm ist als Programmversion 1 veröffentlicht</a>; seitdem keine Änderung",
        ],
        "/orga/demo/settings": ["Einstellungen von Demo Conf", "Erster Tag", "Speichern"],
        "/orga/demo/team": ["<h1>Team</h1>", "Einladung senden", "Organisator(in)"],
        "/orga/demo/tracks": ["<h1>Tracks</h1>", "Hinzufügen", "Farbe"],
        "/orga/demo/rooms": ["<h1>Räume</h1>", "Plätze", "Reihenfolge"],
        "/orga/demo/session-types": ["<h1>Beitragsarten</h1>", "Standarddauer (Minuten)"],
        "/orga/demo/api-tokens/": ["API-Tokens: Demo Conf", "Token erstellen"],
        "/orga/": ["Neue Veranstaltung"],
    },
    "fr": {
        "/orga/demo/": ["Pour commencer", "Prochaines étapes", "Tableau de bord"],
        "/orga/demo/settings": ["Paramètres de Demo Conf", "Premier jour", "Enregistrer"],
        "/orga/demo/team": ["<h1>Équipe</h1>", "Envoyer l\u2019invitation", "organisateur·rice"],
        "/orga/demo/tracks": ["<h1>Thématiques</h1>", "Ajouter", "Couleur"],
        "/orga/demo/rooms": ["<h1>Salles</h1>", "Capacité", "Ordre"],
        "/orga/demo/session-types": ["<h1>Types de session</h1>", "Durée par défaut (minutes)"],
        "/orga/demo/api-tokens/": ["Jetons d\u2019API : Demo Conf", "Créer le jeton"],
        "/orga/": ["Nouvel événement"],
    },
    "es": {
        "/orga/demo/": ["Primeros pasos", "Próximos pasos", "Panel"],
        "/orga/demo/settings": ["Ajustes de Demo Conf", "Primer día", "Guardar"],
        "/orga/demo/team": ["<h1>Equipo</h1>", "Enviar invitación", "organizador(a)"],
        "/orga/demo/tracks": ["<h1>Tracks</h1>", "Añadir", "Color"],
        "/orga/demo/rooms": ["<h1>Salas</h1>", "Aforo", "Orden"],
        "/orga/demo/session-types": ["<h1>Tipos de sesión</h1>", "Duración predeterminada"],
        "/orga/demo/api-tokens/": ["Tokens de API: Demo Conf", "Crear token"],
        "/orga/": ["Nuevo evento"],
    },
}
ORGANIZER_ENGLISH = {
    "/orga/demo/": ["Getting started", "What to do next", "Organizer menu", "no change since"],
    "/orga/demo/settings": ["Settings of Demo Conf", "First day", "Call for proposals"],
    "/orga/demo/team": ["Send invitation", "Pending invitations"],
    "/orga/demo/tracks": ["None yet.", ">Add</button>"],
    "/orga/demo/rooms": ["Capacity", ">Add</button>"],
    "/orga/demo/session-types": ["Default duration (minutes)"],
    "/orga/demo/api-tokens/": ["This event has no API tokens yet.", "Create token"],
    "/orga/": ["New event"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_organizer_pages_are_translated(app: Flask, published, language: str) -> None:  # type: ignore[no-untyped-def]
    organizer = UserFactory(is_admin=True)
    MembershipFactory(event=published["event"], user=organizer)
    client = login(app.test_client(), organizer)
    for url, texts in ORGANIZER[language].items():
        html = _get(client, url, language)
        for expected in texts:
            assert expected in html, (language, url, expected)
        for english in ORGANIZER_ENGLISH[url]:
            assert english not in html, (language, url, english)


def test_flash_and_field_errors_follow_the_language(app: Flask, published) -> None:  # type: ignore[no-untyped-def]
    organizer = UserFactory()
    MembershipFactory(event=published["event"], user=organizer)
    client = login(app.test_client(), organizer)
    headers = {"Accept-Language": "es"}
    refused = client.post(
        "/orga/demo/session-types",
        data={"name": "Talk", "default_duration_minutes": "0"},
        headers=headers,
    )
    assert refused.status_code == 400
    assert "Entre 1 y 1440 minutos." in refused.get_data(as_text=True)
    added = client.post(
        "/orga/demo/tracks",
        data={"name": "Web", "color": "#aa0000"},
        headers=headers,
        follow_redirects=True,
    )
    assert "Añadido." in added.get_data(as_text=True)
