"""The languages Podium is translated into and how a request's language is chosen."""

from __future__ import annotations

import os

from flask import g, has_request_context, request
from flask_login import current_user

# Interface languages with a complete catalogue, by code, each named in its own language so a
# reader who does not understand the current page still finds theirs.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
}
DEFAULT_LANGUAGE = "en"
# Written right to left; the layout follows ``dir`` (no catalogue in these yet).
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "yi", "ps", "sd", "ug"})
# Set by the language switch (podium.i18n.views); read before Accept-Language.
LANGUAGE_COOKIE = "podium_language"
SLUG_MAX_LENGTH = 80  # events.slug's length


def normalise_language(code: str | None) -> str | None:
    """``code`` ("de", "de-AT", "de_AT") as one of :data:`LANGUAGES`, or None."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def select_locale() -> str:
    """The language of this request, first that applies: the logged-in user's saved
    preference, the language switch's cookie, the best ``Accept-Language`` match, the event's
    default language (pages under ``/<slug>/…``), English.

    Flask-Babel calls this at most once per request, on the first translated string or
    formatted date.
    """
    if not has_request_context():
        return command_line_language()
    chosen = (
        normalise_language(_user_language())
        or normalise_language(request.cookies.get(LANGUAGE_COOKIE))
        or request.accept_languages.best_match(tuple(LANGUAGES))
        or event_default_language()
        or DEFAULT_LANGUAGE
    )
    return chosen


def _user_language() -> str | None:
    # Loading the user can itself translate a message (Flask-Login's "please log in", a
    # session refused while loading), which asks for the language again: that inner question
    # is answered without the user, or the two would recurse forever.
    if g.get("_podium_loading_user_language"):
        return None
    g._podium_loading_user_language = True
    try:
        return getattr(current_user, "language", None)
    finally:
        g._podium_loading_user_language = False


def command_line_language() -> str:
    """The language of the ``podium`` command's messages: the POSIX locale variables
    (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``, e.g. ``de_DE.UTF-8``) when they name a
    translated language, else English. Mail workers are unaffected: a mail is written in its
    recipient's language when it is queued."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return normalise_language(value.split(".")[0]) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def event_default_language() -> str | None:
    """The default language of the event this request is about, or None.

    Costs no query when the view has loaded the event already: the public program records its
    language in ``g.event_language``, and an ``Event`` in the database session is read from
    there. Otherwise the ``slug`` of the URL is looked up once.
    """
    if "event_language" in g:
        return normalise_language(g.event_language)
    slug = (request.view_args or {}).get("slug")
    # An error page for a malformed address (a NUL, an absurd length) must not query with it.
    if not isinstance(slug, str) or "\x00" in slug or len(slug) > SLUG_MAX_LENGTH:
        return None
    from sqlalchemy import select

    from podium.events.models import Event
    from podium.extensions import db

    for loaded in db.session.identity_map.values():
        # The loaded state only: reading an expired attribute would be a query per event.
        state = loaded.__dict__ if isinstance(loaded, Event) else {}
        if state.get("slug") == slug and "default_language" in state:
            return normalise_language(state["default_language"])
    language = db.session.execute(
        select(Event.default_language).where(Event.slug == slug)
    ).scalar_one_or_none()
    g.event_language = language
    return normalise_language(language)


def text_direction(language: str) -> str:
    """``"rtl"`` for languages written right to left, else ``"ltr"`` (for ``<html dir>``)."""
    return "rtl" if normalise_language_any(language) in RTL_LANGUAGES else "ltr"


def normalise_language_any(code: str) -> str:
    """The primary subtag of any language code, lower case ("pt-BR" → "pt")."""
    return code.replace("_", "-").split("-")[0].lower()
