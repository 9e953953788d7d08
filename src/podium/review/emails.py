"""Decision mails: default texts, placeholder checking and substitution.

Organizers edit the texts per event; they are plain text with ``{placeholder}`` fields, filled
by a regular-expression substitution (never ``str.format``, which would allow attribute access
such as ``{speaker_name.__class__}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDERS: dict[str, str] = {
    "speaker_name": "the speaker's name",
    "submission_title": "the submission's title",
    "event_name": "the event's name",
    "confirmation_link": "the link an accepted speaker follows to confirm or decline",
}

_FIELD = re.compile(r"\{([^{}]*)\}")

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "accept": (
        "{event_name}: your submission was accepted",
        "Dear {speaker_name},\n\n"
        'we are happy to tell you that "{submission_title}" was accepted for {event_name}.\n\n'
        "Please confirm that you will present it (or let us know that you cannot) here:\n"
        "{confirmation_link}\n\n"
        "Thank you,\nthe {event_name} team\n",
    ),
    "reject": (
        "{event_name}: about your submission",
        "Dear {speaker_name},\n\n"
        'thank you for submitting "{submission_title}" to {event_name}. We received many more '
        "proposals than we have slots, and unfortunately we could not include yours.\n\n"
        "We hope to see you there anyway,\nthe {event_name} team\n",
    ),
}


def unknown_placeholders(text: str) -> list[str]:
    """Names between braces in ``text`` that are not in :data:`PLACEHOLDERS`, in order."""
    return [name for name in _FIELD.findall(text) if name not in PLACEHOLDERS]


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Replace each known ``{name}`` in ``text`` by ``values[name]``; leave anything else."""

    def _replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return _FIELD.sub(_replace, text)
