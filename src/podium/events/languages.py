"""Languages of an event: the interface language it falls back on and the languages its
sessions may be held in, named for the reader (``Deutsch`` for a German reader, ``German``
for an English one)."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from podium.events.language_names import NAMES
from podium.i18n.dates import current_language
from podium.i18n.locales import LANGUAGES

# Languages organizers are offered for their sessions (ISO 639-1 codes, the order of the
# checkboxes); a stored code outside this list (an import) is still shown and kept.
CONTENT_LANGUAGES: tuple[str, ...] = (
    "en",
    "de",
    "fr",
    "es",
    "it",
    "nl",
    "pt",
    "pl",
    "cs",
    "sv",
    "da",
    "fi",
    "ja",
    "zh",
    "ko",
    "ru",
    "uk",
    "tr",
    "ar",
    "he",
    "hi",
)


def primary_code(code: str | None) -> str:
    """The primary subtag of a language code, lower case ("pt-BR" → "pt"); "" for None."""
    return (code or "").strip().replace("_", "-").split("-")[0].lower()


def language_name(code: str | None, in_language: str | None = None, *, label: bool = True) -> str:
    """``code``'s name in ``in_language`` (default: the request's language), capitalised as
    a label ("Deutsch" / "German" / "Allemand"), or with ``label=False`` as written inside a
    sentence ("allemand"); the code itself when Babel does not know it."""
    if not code:
        return ""
    reader = in_language or current_language()
    name = NAMES.get((code, reader)) or _babel_name(code, reader)
    if not name:
        return code
    return name[:1].upper() + name[1:] if label else name


def _babel_name(code: str, in_language: str) -> str | None:
    # Codes outside the table (an imported "pt-BR"); loads the reader's whole CLDR locale.
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(in_language)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def content_language_choices(stored: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """``(code, name)`` pairs for the event settings' checkboxes: :data:`CONTENT_LANGUAGES`
    then any ``stored`` code not among them, named in the request's language."""
    codes = list(CONTENT_LANGUAGES)
    codes += [c for c in stored if c and c not in codes]
    return [(code, language_name(code)) for code in codes]


def default_language_choices() -> list[tuple[str, str]]:
    """``(code, name)`` pairs of the interface languages, each named in its own language."""
    return list(LANGUAGES.items())


def is_known_content_language(code: str) -> bool:
    """True for a code Babel can name (``CONTENT_LANGUAGES`` and any other CLDR language)."""
    if code in CONTENT_LANGUAGES:
        return True
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True
