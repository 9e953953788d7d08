"""Decision mails: their placeholders and default texts, from the event's mail texts.

The texts, their checks and the substitution live in :mod:`podium.mail.emails`, which holds
every editable mail of an event; this module names the two that decisions use.
"""

from __future__ import annotations

from podium.mail.emails import MAIL_TEXTS, fill_placeholders
from podium.mail.emails import PLACEHOLDERS as _ALL
from podium.mail.emails import unknown_placeholders as _unknown

__all__ = ["DEFAULT_TEMPLATES", "PLACEHOLDERS", "fill_placeholders", "unknown_placeholders"]

PLACEHOLDERS: dict[str, str] = {name: _ALL[name] for name in MAIL_TEXTS["accept"].placeholders}

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    kind: (MAIL_TEXTS[kind].subject, MAIL_TEXTS[kind].body) for kind in ("accept", "reject")
}


def unknown_placeholders(text: str) -> list[str]:
    """Names between braces in ``text`` that decision mails do not offer, in order."""
    return _unknown(text, PLACEHOLDERS)
