"""Keep the message catalogues in step with the source, and compile them.

Layout (GNU gettext, as Flask-Babel reads it): ``src/podium/translations/messages.pot`` is
extracted from the Python code and the Jinja templates (mapping in ``babel.cfg``);
``src/podium/translations/<lang>/LC_MESSAGES/messages.po`` holds each language's
translations and ``messages.mo`` its compiled form, built (never committed) by
``make compile-messages``, ``make run``, ``make test`` and the image build.

Command line (used by the Makefile)::

    python -m podium.i18n.catalogues update    # extract, then merge into every .po
    python -m podium.i18n.catalogues compile   # .po -> .mo where the .mo is missing or older
    python -m podium.i18n.catalogues check     # exit 1 when a catalogue lacks a source message
    python -m podium.i18n.catalogues stats     # translated share per language
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE_DIR = Path(__file__).resolve().parents[1]
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
TEMPLATE_PATH = TRANSLATIONS_DIR / "messages.pot"
# Same keywords as pybabel's defaults plus Flask-Babel's lazy forms.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
METHOD_MAP = [
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
    ("**.py", "python"),
]
OPTIONS_MAP = {
    "**/templates/**.html": {"trimmed": "true"},
    "**/templates/**.txt": {"trimmed": "true"},
}


@dataclass(frozen=True)
class Coverage:
    """How much of one language's catalogue is translated (fuzzy entries do not count)."""

    language: str
    translated: int
    total: int

    @property
    def share(self) -> float:
        """Translated messages / all messages, 0.0 to 1.0 (1.0 for an empty catalogue)."""
        return self.translated / self.total if self.total else 1.0


def extract() -> Catalog:
    """Every translatable message in ``src/podium`` (Python and templates), as a catalogue."""
    catalog = Catalog(project="Podium", msgid_bugs_address="", charset="utf-8")
    for filename, _lineno, message, comments, context in extract_from_dir(
        str(PACKAGE_DIR),
        method_map=METHOD_MAP,
        options_map=OPTIONS_MAP,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        catalog.add(
            message,
            None,
            [(f"podium/{filename}", None)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def languages() -> list[str]:
    """Languages with a catalogue, by code, sorted."""
    return sorted(p.name for p in TRANSLATIONS_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())


def po_path(language: str) -> Path:
    """Where ``language``'s catalogue lives."""
    return TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"


def read_catalogue(language: str) -> Catalog:
    """``language``'s catalogue as Babel reads it."""
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def update() -> None:
    """Extract the messages, write ``messages.pot`` and merge it into every catalogue
    (new messages untranslated, vanished ones dropped, changed ones marked fuzzy)."""
    template = extract()
    with TEMPLATE_PATH.open("wb") as handle:
        write_po(handle, template, width=100, sort_output=True, include_lineno=False)
    for language in languages():
        catalog = read_catalogue(language)
        catalog.update(template, update_header_comment=False)
        with po_path(language).open("wb") as handle:
            write_po(
                handle,
                catalog,
                width=100,
                sort_output=True,
                include_lineno=False,
                ignore_obsolete=True,
            )


def compile_all(force: bool = False) -> list[str]:
    """Write ``messages.mo`` beside each ``messages.po`` that is newer (or every one when
    ``force``); returns the languages compiled. Fuzzy entries are left out, as msgfmt does."""
    compiled = []
    for language in languages():
        po = po_path(language)
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalog = read_catalogue(language)
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        compiled.append(language)
    return compiled


def missing_messages() -> dict[str, list[str]]:
    """Source messages absent from each catalogue, by language (empty lists when in step)."""
    source = {_key(m) for m in extract() if m.id}
    missing = {}
    for language in languages():
        present = {_key(m) for m in read_catalogue(language) if m.id}
        missing[language] = sorted(str(k) for k in source - present)
    return missing


def coverage() -> list[Coverage]:
    """Translated share of every catalogue, measured against the extracted source messages."""
    source = {_key(m) for m in extract() if m.id}
    result = []
    for language in languages():
        translated = {
            _key(m)
            for m in read_catalogue(language)
            if m.id and not m.fuzzy and _is_translated(m.string)
        }
        result.append(Coverage(language, len(source & translated), len(source)))
    return result


def _key(message):  # type: ignore[no-untyped-def]
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context or "", msgid)


def _is_translated(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def main(argv: list[str]) -> int:
    """Run one command (update, compile, check, stats); returns the exit status."""
    command = argv[0] if argv else ""
    if command == "update":
        update()
        return 0
    if command == "compile":
        compiled = compile_all(force="--force" in argv)
        print(f"compiled: {', '.join(compiled) or 'nothing (all up to date)'}")
        return 0
    if command == "check":
        missing = missing_messages()
        bad = {lang: ids for lang, ids in missing.items() if ids}
        for language, ids in bad.items():
            print(f"{language}: {len(ids)} source messages missing, e.g. {ids[:3]}")
        if bad:
            print("run `make messages`, translate, and commit the catalogues")
            return 1
        print("catalogues are up to date with the source")
        return 0
    if command == "stats":
        for item in coverage():
            print(f"{item.language}: {item.translated}/{item.total} ({item.share:.1%})")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
