"""Content languages are named for the reader, from a table that must equal Babel's names."""

from __future__ import annotations

from babel import Locale
from flask import Flask

from podium.events.language_names import NAMES
from podium.events.languages import CONTENT_LANGUAGES, language_name
from podium.i18n.locales import LANGUAGES


def test_language_names_table_is_babels_for_every_content_and_interface_language() -> None:
    expected = {
        (code, reader): Locale.parse(code).get_display_name(reader)
        for reader in LANGUAGES
        for code in CONTENT_LANGUAGES
    }
    wrong = [
        f"    ({code!r}, {reader!r}): {name!r},"
        for (code, reader), name in expected.items()
        if NAMES.get((code, reader)) != name
    ]
    assert not wrong, "podium/events/language_names.py needs:\n" + "\n".join(wrong)
    assert set(NAMES) == set(expected)


def test_language_name_labels_sentences_and_codes_outside_the_table(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert language_name("fr", "fr") == "Français"
        assert language_name("fr", "fr", label=False) == "français"
        assert language_name("de", "es") == "Alemán"
        # Outside the table: asked from Babel, in the reader's language.
        assert ("pt-BR", "en") not in NAMES
        assert language_name("pt-BR", "en") == "Portuguese (Brazil)"
        assert language_name("pt-BR", "de") == "Portugiesisch (Brasilien)"
        # Unknown to Babel: the code itself.
        assert language_name("xq", "en") == "xq"
        assert language_name(None) == ""
