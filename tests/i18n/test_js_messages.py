"""The static scripts' messages: each page that loads a script carries them, translated, in
the ``podium-i18n`` JSON data block (podium.i18n.js); the scripts keep English fallbacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.i18n.js import SCRIPTS, messages_for
from tests.agenda.builders import publish_program
from tests.schedule.builders import make_event, make_rooms
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory

STATIC = Path(__file__).resolve().parents[2] / "src" / "podium" / "static"
BLOCK = re.compile(r'<script type="application/json" id="podium-i18n">(.*?)</script>', re.S)


def _messages(html: str) -> dict[str, dict[str, object]]:
    found = BLOCK.findall(html)
    assert len(found) == 1, "exactly one podium-i18n block"
    return json.loads(found[0])


def _get(client: FlaskClient, path: str, language: str) -> str:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


EXPECTED = {
    "de": (
        "In meiner Zeitzone anzeigen (%(zone)s)",
        "Letzte Änderung rückgängig machen",
        "Konflikte",
    ),
    "fr": (
        "Afficher dans mon fuseau horaire (%(zone)s)",
        "Annuler la dernière modification",
        "conflits",
    ),
    "es": ("Mostrar en mi zona horaria (%(zone)s)", "Deshacer el último cambio", "conflictos"),
}


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_program_page_carries_the_scripts_messages_translated(
    client: FlaskClient, language: str
) -> None:
    publish_program()

    html = _get(client, "/demo/schedule/", language)
    messages = _messages(html)

    assert set(messages) == {"program", "agenda"}
    assert messages["program"]["show_my_zone"] == EXPECTED[language][0]
    assert "%(login)s" in messages["agenda"]["stars_local"]
    assert "%(agenda)s" in messages["agenda"]["stars_local"]
    assert "Your stars are kept in this browser only" not in messages["agenda"]["stars_local"]
    assert "Show in my time zone" not in json.dumps(messages, ensure_ascii=False)


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_schedule_editor_carries_its_messages_translated(app: Flask, language: str) -> None:
    event = make_event(slug="conf", name="Conf")
    make_rooms(event, 2)
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    client = login(app.test_client(), organizer)

    html = _get(client, "/orga/conf/schedule/grid", language)
    editor = _messages(html)["schedule-editor"]

    assert editor["undo_last"] == EXPECTED[language][1]
    assert editor["conflicts"]["other"].endswith(EXPECTED[language][2])
    assert "%(num)s" in editor["conflicts"]["one"]
    assert "%(title)s" in editor["moved"] and "moved" not in editor["moved"]
    assert "%(label)s" in editor["saved"] and "Saved" not in editor["saved"]


def test_english_messages_are_the_scripts_own_fallbacks(app: Flask) -> None:
    """Every English message sent to a script is the fallback written in that script, so a
    page without the block (or in English) shows the same text."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        english = messages_for(*SCRIPTS)
    for script, messages in english.items():
        source = (STATIC / f"{script}.js").read_text(encoding="utf-8")
        for key, text in messages.items():
            assert f't("{key}",' in source, (script, key)
            forms = text.values() if isinstance(text, dict) else [text]
            for form in forms:
                assert json.dumps(form, ensure_ascii=False) in source, (script, key, form)


def test_the_block_cannot_be_closed_by_a_translation(app: Flask) -> None:
    from podium.i18n import js

    with app.test_request_context():
        original = js.SCRIPTS["program"]
        js.SCRIPTS["program"] = lambda: {"x": "</script><b>&'"}
        try:
            block = str(js.js_messages("program"))
        finally:
            js.SCRIPTS["program"] = original
    # One closing tag for the data block, one for messages.js that follows it.
    assert block.count("</script>") == 2
    assert block.endswith('<script src="/static/messages.js" defer></script>')
    assert json.loads(BLOCK.findall(block)[0]) == {"program": {"x": "</script><b>&'"}}
