"""The schedule editor, its visual grid, releases and the schedule import in German, French and
Spanish (Accept-Language): translated headings, buttons, dates and messages, no English left."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.events.models import Event
from podium.exchange.errors import ScheduleImportError
from podium.exchange.formats import parse_any
from podium.schedule import services
from tests.schedule.builders import make_event, make_rooms, make_speaker, make_submission, place
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory

LANGUAGES = ("de", "fr", "es")


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def editor(app: Flask, client: FlaskClient) -> tuple[FlaskClient, Event]:
    """An organizer's client and an event (Sat 1 Feb - Mon 3 Feb 2030) with conflicts."""
    event = make_event(slug="conf", name="Conf")
    room_a, room_b = make_rooms(event, 2)
    ada = make_speaker("Ada")
    place(event, room_a, "2030-02-02 10:00", title="First", speakers=(ada,))
    place(event, room_a, "2030-02-02 10:15", title="Second")
    place(event, room_b, "2030-02-02 16:00", title="Only accepted", state="accepted")
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    return login(client, organizer), event


def _get(client: FlaskClient, url: str, language: str) -> str:
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200
    return squash(response.get_data(as_text=True))


EDITOR_TEXTS = {
    "de": (
        "Programm-Editor: Conf",
        "Programm veröffentlichen",
        "Beitrag einplanen",
        "Konflikte (",
        "„First“ und „Second“ überschneiden sich in Raum Room A.",
        "„Only accepted“ ist eingeplant, aber angenommen, nicht bestätigt.",
        "Samstag, 2. Februar 2030",
        "Ausplanen",
    ),
    "fr": (
        "Éditeur de programme : Conf",
        "Publier le programme",
        "Programmer une session",
        "Conflits (",
        "« First » et « Second » se chevauchent dans la salle Room A.",
        "« Only accepted » est programmée mais acceptée, non confirmée.",
        "samedi 2 février 2030",
        "Déprogrammer",
    ),
    "es": (
        "Editor del programa: Conf",
        "Publicar programa",
        "Programar una sesión",
        "Conflictos (",
        "«First» y «Second» se solapan en la sala Room A.",
        "«Only accepted» está programada pero aceptada, no confirmada.",
        "sábado, 2 de febrero de 2030",
        "Desprogramar",
    ),
}
ENGLISH_EDITOR = (
    "Schedule editor:",
    "Publish schedule",
    "Place a session",
    "overlap in room",
    "is scheduled but accepted",
    "Saturday 02 February 2030",
    "Unschedule</button>",
    "Nothing scheduled on this day",
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_editor_is_translated(editor: tuple[FlaskClient, Event], language: str) -> None:
    client, _event = editor

    html = _get(client, "/orga/conf/schedule/?day=2030-02-02", language)

    for text in EDITOR_TEXTS[language]:
        assert text in html, text
    for english in ENGLISH_EDITOR:
        assert english not in html, english


GRID_TEXTS = {
    "de": (
        "Visueller Programm-Editor: Conf",
        "Verschieben oder Länge ändern",
        "⚠ 1 Konflikt<",
        "Raster",
    ),
    "fr": (
        "Éditeur visuel du programme : Conf",
        "Déplacer ou redimensionner",
        "⚠ 1 conflit<",
        "Pas de la grille",
    ),
    "es": (
        "Editor visual del programa: Conf",
        "Mover o cambiar duración",
        "⚠ 1 conflicto<",
        "Paso de la cuadrícula",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_visual_grid_is_translated(editor: tuple[FlaskClient, Event], language: str) -> None:
    client, _event = editor

    html = _get(client, "/orga/conf/schedule/grid?day=2030-02-02", language)

    for text in GRID_TEXTS[language]:
        assert text in html, text
    for english in (
        "Visual schedule editor",
        "Move or resize",
        "Undo last change",
        "Title contains",
    ):
        assert english not in html, english
    assert "Sat 02 Feb" not in html  # day tabs through the wall filter


@pytest.mark.parametrize(
    ("language", "heading", "summary"),
    [
        ("de", "Programmversionen: Conf", "Programmversion 1"),
        ("fr", "Versions du programme : Conf", "Version 1"),
        ("es", "Versiones del programa: Conf", "Versión 1"),
    ],
)
def test_releases_page_is_translated(
    editor: tuple[FlaskClient, Event], language: str, heading: str, summary: str
) -> None:
    client, event = editor
    services.publish_release(event=event, actor=None, comment="")

    html = _get(client, "/orga/conf/schedule/releases", language)

    assert heading in html
    assert summary in html
    assert "Schedule releases" not in html
    assert "First release." not in html


def test_placing_a_session_flashes_its_conflict_in_german(
    editor: tuple[FlaskClient, Event],
) -> None:
    client, event = editor
    newcomer = make_submission(event, title="Newcomer", minutes=45)
    room_a = next(room for room in event.rooms if room.name == "Room A")

    response = client.post(
        "/orga/conf/schedule/place",
        data={"submission_id": newcomer.id, "room_id": room_a.id, "start": "2030-02-02T10:20"},
        headers={"Accept-Language": "de"},
        follow_redirects=True,
    )

    html = squash(response.get_data(as_text=True))
    assert "„Newcomer“ eingeplant." in html
    assert "Konflikt: „Second“ und „Newcomer“ überschneiden sich in Raum Room A." in html
    assert "Scheduled “Newcomer”" not in html


IMPORT_TEXTS = {
    "de": ("Programm in Conf importieren", "Programmdatei", "Importieren</button>"),
    "fr": ("Importer un programme dans Conf", "Fichier de programme", "Importer</button>"),
    "es": ("Importar un programa en Conf", "Archivo del programa", "Importar</button>"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_import_page_is_translated(editor: tuple[FlaskClient, Event], language: str) -> None:
    client, _event = editor

    html = _get(client, "/orga/conf/schedule/import/", language)

    for text in IMPORT_TEXTS[language]:
        assert text in html, text
    assert "Import a schedule into" not in html
    assert "Schedule file" not in html


def test_import_error_is_shown_in_german(editor: tuple[FlaskClient, Event]) -> None:
    client, _event = editor

    response = client.post(
        "/orga/conf/schedule/import/",
        data={"file": (io.BytesIO(b'{"schedule": {"conference": 3'), "bad.json"), "time_zone": ""},
        content_type="multipart/form-data",
        headers={"Accept-Language": "de"},
    )

    html = squash(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "document in Zeile 1: kein gültiges JSON:" in html
    assert "on line" not in html
    assert "not valid JSON" not in html


def test_import_errors_outside_a_request_stay_english(app: Flask) -> None:
    """The CLI reads files outside any request: its messages are English."""
    with pytest.raises(ScheduleImportError) as caught:
        parse_any(b"   ")
    assert str(caught.value) == "document: the file is empty"
