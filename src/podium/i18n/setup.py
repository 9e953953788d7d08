"""Bind Flask-Babel to an application and give templates what the language switch needs."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from podium.i18n.catalogues import TRANSLATIONS_DIR
from podium.i18n.locales import DEFAULT_LANGUAGE, LANGUAGES, select_locale, text_direction


def init_i18n(app: Flask) -> None:
    """Install Flask-Babel (``_``, ``gettext``, ``ngettext`` and ``{% trans %}`` in templates)
    with :func:`podium.i18n.locales.select_locale`, and the template globals
    ``current_language`` (code), ``text_direction`` ("ltr"/"rtl") and ``language_choices``
    ((code, name) pairs for the switch)."""
    from podium.extensions import babel

    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT_LANGUAGE
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=select_locale)
    # {% trans %} blocks are extracted with their whitespace collapsed (babel.cfg's trimmed),
    # so they must be looked up the same way.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # The static scripts' messages, as a JSON data block (see podium.i18n.js).
    from podium.i18n.js import js_messages

    app.jinja_env.globals["js_messages"] = js_messages

    @app.context_processor
    def _language() -> dict[str, object]:
        locale = get_locale()
        code = locale.language if locale is not None else DEFAULT_LANGUAGE
        return {
            "current_language": code,
            "text_direction": text_direction(code),
            "language_choices": tuple(LANGUAGES.items()),
        }
