"""Messages the static scripts show to people, translated on the server.

The scripts under ``static/`` hold no English of their own that a person reads: the page
that loads a script puts its messages, in the request's language, in a data block
``<script type="application/json" id="podium-i18n">`` (not executed, so the CSP's
``script-src 'self'`` allows it) through the template global ``js_messages("name", ...)``.
Each script reads that block and falls back to its built-in English when a message is
missing (an old cached page, a page that did not include the block).

Placeholders keep the catalogue's ``%(name)s`` form; the scripts substitute them. A message
with a count is a pair ``{"one": ..., "other": ...}`` (``ngettext`` for 1 and for 2); the
script picks the form with ``Intl.PluralRules`` of the page's language, which is enough for
every language Podium has (German, French and Spanish have these two forms).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from flask_babel import get_translations
from flask_babel import gettext as _
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup


def ngettext(singular: str, plural: str, num: int) -> str:
    """The plural form for ``num``, unformatted (Flask-Babel's ``ngettext`` would fill in
    ``%(num)s``, which the script does)."""
    return get_translations().ngettext(singular, plural, num)


def _agenda() -> dict[str, object]:
    return {
        "stars_local": _(
            "Your stars are kept in this browser only. %(login)s to keep them on every "
            "device. See %(agenda)s."
        ),
        "log_in": _("Log in"),
        "my_agenda": _("My agenda"),
    }


def _availability() -> dict[str, object]:
    return {
        "grid_label": _("Paint the hours you can present (whole hours)"),
        "range": _("Range %(n)s"),
    }


def _program() -> dict[str, object]:
    return {"show_my_zone": _("Show in my time zone (%(zone)s)")}


def _schedule_editor() -> dict[str, object]:
    return {
        "server_answered": _("The server answered %(status)s."),
        "conflicts": {
            "one": ngettext("⚠ %(num)s conflict", "⚠ %(num)s conflicts", 1),
            "other": ngettext("⚠ %(num)s conflict", "⚠ %(num)s conflicts", 2),
        },
        "undo_label": _("Undo: %(label)s"),
        "undo_last": _("Undo last change"),
        "stale": _("Someone else changed this slot."),
        "not_saved": _("The change was not saved."),
        "saved": _("Saved: %(label)s."),
        "undone": _("Undone."),
        "unreachable": _("The server could not be reached; nothing was saved."),
        "the_session": _("the session"),
        "resized": {
            "one": ngettext(
                "resized “%(title)s” to %(num)s minute", "resized “%(title)s” to %(num)s minutes", 1
            ),
            "other": ngettext(
                "resized “%(title)s” to %(num)s minute", "resized “%(title)s” to %(num)s minutes", 2
            ),
        },
        "placed": _("placed “%(title)s”"),
        "moved": _("moved “%(title)s”"),
        "unscheduled": _("unscheduled “%(title)s”"),
    }


SCRIPTS: dict[str, Callable[[], dict[str, object]]] = {
    "agenda": _agenda,
    "availability": _availability,
    "program": _program,
    "schedule-editor": _schedule_editor,
}


def messages_for(*scripts: str) -> dict[str, dict[str, object]]:
    """The messages of the named scripts in the request's language, by script."""
    return {name: SCRIPTS[name]() for name in scripts}


def js_messages(*scripts: str) -> Markup:
    """The ``podium-i18n`` data block with the named scripts' messages, then ``messages.js``
    which reads it for them (template global; put it before the scripts, which are deferred
    and so run in document order)."""
    # Jinja's tojson escaping: nothing in the block can close the element.
    data = htmlsafe_json_dumps(messages_for(*scripts), ensure_ascii=False, sort_keys=True)
    return Markup(
        '<script type="application/json" id="podium-i18n">{}</script>'
        '<script src="{}" defer></script>'
    ).format(data, url_for("static", filename="messages.js"))
