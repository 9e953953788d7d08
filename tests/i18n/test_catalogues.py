"""The message catalogues: in step with the source (the CI check), complete enough, and
well-formed (a translation keeps the message's placeholders and markup)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from podium.i18n import catalogues
from podium.i18n.locales import LANGUAGES

TRANSLATED = sorted(set(LANGUAGES) - {"en"})
MIN_SHARE = 0.95
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def test_every_interface_language_has_a_catalogue() -> None:
    assert catalogues.languages() == TRANSLATED


def test_every_source_message_is_in_every_catalogue() -> None:
    # A message marked in the code but missing from a catalogue: `make messages` was not run
    # (or its result not committed), so the message would silently stay English.
    assert catalogues.missing_messages() == {language: [] for language in TRANSLATED}


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_translated_almost_completely(language: str) -> None:
    (coverage,) = [c for c in catalogues.coverage() if c.language == language]

    assert coverage.total > 0
    assert coverage.share >= MIN_SHARE, f"{coverage.translated}/{coverage.total}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_placeholders_and_markup(language: str) -> None:
    problems = []
    for message in catalogues.read_catalogue(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted_tags = Counter(_TAG.findall(ids[0]))
        for string in strings:
            if not string:
                continue
            # Plural forms may drop the count ("one session" for n == 1), never add a name.
            names = set(_PLACEHOLDER.findall(string))
            allowed = set().union(*(_PLACEHOLDER.findall(i) for i in ids))
            if not names <= allowed or (len(ids) == 1 and names != allowed):
                problems.append(f"{ids[0]!r}: placeholders {sorted(names)} ≠ {sorted(allowed)}")
            if Counter(_TAG.findall(string)) != wanted_tags:
                problems.append(f"{ids[0]!r}: markup differs")
    assert problems == []


def test_compiled_catalogues_are_current() -> None:
    catalogues.compile_all()
    for language in TRANSLATED:
        po = catalogues.po_path(language)
        assert po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime
