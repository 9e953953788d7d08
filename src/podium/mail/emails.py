"""The texts an event's organizers edit: every mail the event sends, with ``{placeholders}``.

Each kind has a default text here, translated into every interface language; an event's own
version is a row of :class:`podium.review.models.DecisionMailTemplate` (the table that first
held only the accept and reject texts; ``kind`` is one of :data:`MAIL_TEXTS`) per language the
organizers wrote it in. A mail uses the event's text in its recipient's language, else the
event's text in the event's default language, else the default text in the recipient's
language. Deleting the row resets the kind to its default. Texts are plain text, filled by a
regular-expression substitution (never ``str.format``, which would allow attribute access
such as ``{speaker_name.__class__}``), and a text may only use its kind's placeholders, so a
sent mail never carries a blank or a raw ``{name}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from podium.extensions import db
from podium.i18n.locales import DEFAULT_LANGUAGE, normalise_language
from podium.review.models import DecisionMailTemplate

_FIELD = re.compile(r"\{([^{}]*)\}")

PLACEHOLDERS: dict[str, object] = {
    "speaker_name": _l("the speaker's name"),
    "submission_title": _l("the proposal's title"),
    "event_name": _l("the event's name"),
    "event_url": _l("the event's public page"),
    "confirmation_link": _l("the link an accepted speaker follows to confirm or decline"),
    "submission_link": _l("the page where speakers read (and, while the CfP is open, edit) it"),
    "session_type": _l("the proposal's session type"),
    "duration_minutes": _l("the proposal's length in minutes"),
    "cfp_closes": _l("when the CfP closes, in the event's time zone"),
    "session_day": _l("the session's day in the event's time zone, e.g. Saturday 2031-05-17"),
    "session_time": _l("the session's start and end in the event's time zone, e.g. 10:00 to 10:30"),
    "session_room": _l("the session's room"),
    "schedule_change": _l("what changed, e.g. 'moved from Saturday 2031-05-17 10:00 CEST to …'"),
    "inviter_name": _l("who sent the invitation"),
    "invitee_name": _l("the invited co-speaker's name"),
    "invitation_link": _l("the link that accepts the invitation"),
    "valid_days": _l("how many days the invitation link works"),
}

_SESSION = ("session_day", "session_time", "session_room")
_SPEAKER = ("speaker_name", "submission_title", "event_name", "event_url")


@dataclass(frozen=True)
class MailText:
    """One editable kind: its label, default subject and body, and allowed placeholders.

    ``label``, ``subject``, ``body`` and ``note`` are lazy strings: they are read in the
    language of the page or mail that uses them (see :func:`default_text`).
    """

    kind: str
    label: Any
    subject: Any
    body: Any
    placeholders: tuple[str, ...]
    note: Any = ""


MAIL_TEXTS: dict[str, MailText] = {
    t.kind: t
    for t in (
        MailText(
            "receipt",
            _l("Submission receipt"),
            _l("We received your proposal “{submission_title}” for {event_name}"),
            _l(
                "Hello {speaker_name},\n\n"
                "we received your proposal for {event_name}:\n\n"
                "  Title:        {submission_title}\n"
                "  Session type: {session_type} ({duration_minutes} minutes)\n\n"
                "You and your co-speakers can edit it until the call for proposals closes on "
                "{cfp_closes}:\n{submission_link}\n\n"
                "You will hear from the organizers once they have decided.\n"
            ),
            (*_SPEAKER, "submission_link", "session_type", "duration_minutes", "cfp_closes"),
            _l(
                "Until you change it, Podium's built-in receipt is sent; it also says when the "
                "CfP has already closed."
            ),
        ),
        MailText(
            "co_speaker",
            _l("Co-speaker invitation"),
            _l("{inviter_name} invites you to co-present “{submission_title}” at {event_name}"),
            _l(
                "Hello {invitee_name},\n\n"
                "{inviter_name} invited you to co-present the proposal “{submission_title}” at "
                "{event_name}.\n\n"
                "Open this link, log in (or sign up with this e-mail address) and accept:\n"
                "{invitation_link}\n\n"
                "The link works for {valid_days} days and only once. Nothing happens unless you "
                "accept.\n"
            ),
            (
                "invitee_name",
                "inviter_name",
                "submission_title",
                "event_name",
                "event_url",
                "invitation_link",
                "valid_days",
            ),
            _l(
                "Until you change it, Podium's built-in invitation is sent; it also tells people "
                "with an account to log in rather than sign up."
            ),
        ),
        MailText(
            "accept",
            _l("Acceptance"),
            _l("{event_name}: your submission was accepted"),
            _l(
                "Dear {speaker_name},\n\n"
                'we are happy to tell you that "{submission_title}" was accepted for '
                "{event_name}.\n\n"
                "Please confirm that you will present it (or let us know that you cannot) here:\n"
                "{confirmation_link}\n\n"
                "Thank you,\nthe {event_name} team\n"
            ),
            ("speaker_name", "submission_title", "event_name", "confirmation_link"),
        ),
        MailText(
            "reject",
            _l("Rejection"),
            _l("{event_name}: about your submission"),
            _l(
                "Dear {speaker_name},\n\n"
                'thank you for submitting "{submission_title}" to {event_name}. We received many '
                "more proposals than we have slots, and unfortunately we could not include "
                "yours.\n\n"
                "We hope to see you there anyway,\nthe {event_name} team\n"
            ),
            ("speaker_name", "submission_title", "event_name", "confirmation_link"),
        ),
        MailText(
            "reminder",
            _l("Confirmation reminder"),
            _l("{event_name}: please confirm “{submission_title}”"),
            _l(
                "Dear {speaker_name},\n\n"
                "“{submission_title}” was accepted for {event_name}, and we have not heard from "
                "you yet. Please confirm that you will present it, or tell us that you cannot:\n"
                "{confirmation_link}\n\n"
                "Thank you,\nthe {event_name} team\n"
            ),
            (*_SPEAKER, "confirmation_link", *_SESSION),
            _l("Sent from “Write to speakers” to the group “accepted, not confirmed”."),
        ),
        MailText(
            "schedule_change",
            _l("Schedule change notice"),
            _l("{event_name}: your session “{submission_title}” changed"),
            _l(
                "Dear {speaker_name},\n\n"
                "the schedule of {event_name} changed for your session “{submission_title}”:\n"
                "{schedule_change}\n\n"
                "The current schedule: {event_url}\n\n"
                "Thank you,\nthe {event_name} team\n"
            ),
            (*_SPEAKER, *_SESSION, "schedule_change"),
            _l(
                "Held for checking after a schedule release, for the speakers whose sessions moved."
            ),
        ),
    )
}


class TextError(ValueError):
    """A text the event cannot use; ``field`` is ``subject`` or ``body``."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def unknown_placeholders(text: str, allowed: object = PLACEHOLDERS) -> list[str]:
    """Names between braces in ``text`` that are not in ``allowed``, in order of appearance."""
    return [name for name in _FIELD.findall(text) if name not in allowed]  # type: ignore[operator]


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Replace each known ``{name}`` in ``text`` by ``values[name]``; leave anything else."""

    def _replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return _FIELD.sub(_replace, str(text))


def check_text(subject: str, body: str, allowed: tuple[str, ...] | list[str]) -> tuple[str, str]:
    """Validate an organizer's subject and body against ``allowed`` placeholders.

    Returns:
        ``(subject on one line, body)``.

    Raises:
        TextError: empty subject or body, or a placeholder not in ``allowed`` (the message
            names every unknown one and lists the allowed ones).
    """
    subject = " ".join(subject.split())
    if not subject:
        raise TextError(_("The subject is required."), "subject")
    if not body.strip():
        raise TextError(_("The text is required."), "body")
    for field, text in (("subject", subject), ("body", body)):
        unknown = unknown_placeholders(text, allowed)
        if unknown:
            raise TextError(
                _(
                    "Unknown placeholder(s): %(unknown)s. Use %(allowed)s.",
                    unknown=", ".join("{" + name + "}" for name in dict.fromkeys(unknown)),
                    allowed=", ".join("{" + name + "}" for name in allowed),
                ),
                field,
            )
    return subject, body


def text_language(event: Any, language: str | None = None) -> str:
    """``language`` if the event may have texts in it (its default language or one of its
    content languages), else the event's default language."""
    default = normalise_language(event.default_language) or DEFAULT_LANGUAGE
    if language and language in text_languages(event):
        return language
    return default


def text_languages(event: Any) -> list[str]:
    """The languages organizers may write the event's mail texts in: its default language
    first, then its content languages that Podium also has a translation for."""
    default = normalise_language(event.default_language) or DEFAULT_LANGUAGE
    codes = [default]
    for code in event.content_languages or []:
        code = normalise_language(code)
        if code and code not in codes:
            codes.append(code)
    return codes


def default_text(kind: str, language: str | None = None) -> tuple[str, str]:
    """Podium's built-in ``(subject, body)`` for ``kind`` in ``language`` (else the current)."""
    text = MAIL_TEXTS[kind]
    if language:
        with force_locale(language):
            return str(text.subject), str(text.body)
    return str(text.subject), str(text.body)


def _default_language(event_id: int) -> str:
    from podium.events.models import Event

    event = db.session.get(Event, event_id)
    return (normalise_language(event.default_language) if event else None) or DEFAULT_LANGUAGE


class EventTexts:
    """All of one event's own texts (one query), to choose from for many mails."""

    def __init__(self, event_id: int, default_language: str | None = None) -> None:
        self.default_language = normalise_language(default_language) or _default_language(event_id)
        rows = db.session.scalars(
            select(DecisionMailTemplate).where(DecisionMailTemplate.event_id == event_id)
        )
        self.own = {(row.kind, row.language): (row.subject, row.body) for row in rows}

    def choose(self, kind: str, language: str | None) -> tuple[str, str, str, bool]:
        """``(language, subject, body, own)`` of the text a mail of ``kind`` to a reader of
        ``language`` uses: the event's own text in that language, else its own text in the
        default language, else the built-in text in ``language`` (``own`` False)."""
        language = normalise_language(language) or self.default_language
        for candidate in (language, self.default_language):
            if (kind, candidate) in self.own:
                return (candidate, *self.own[(kind, candidate)], True)
        return (language, *default_text(kind, language), False)


def stored_texts(event_id: int, language: str | None = None) -> dict[str, tuple[str, str]]:
    """The event's own texts in ``language`` (default: the event's default language) by kind,
    ``{kind: (subject, body)}``."""
    language = normalise_language(language) or _default_language(event_id)
    rows = db.session.scalars(
        select(DecisionMailTemplate).where(
            DecisionMailTemplate.event_id == event_id, DecisionMailTemplate.language == language
        )
    )
    return {row.kind: (row.subject, row.body) for row in rows if row.kind in MAIL_TEXTS}


def custom_text(event_id: int, kind: str, language: str | None = None) -> tuple[str, str] | None:
    """The event's own ``(subject, body)`` for ``kind`` that a reader of ``language`` gets
    (their language's, else the default language's), or None when the default is sent."""
    chosen = EventTexts(event_id).choose(kind, language)
    return (chosen[1], chosen[2]) if chosen[3] else None


def event_text(event_id: int, kind: str, language: str | None = None) -> tuple[str, str]:
    """The ``(subject, body)`` the event sends for ``kind`` to a reader of ``language``
    (default: the event's default language): its own, else the default, translated."""
    _language, subject, body, _own = EventTexts(event_id).choose(kind, language)
    return subject, body


def _row(event_id: int, kind: str, language: str) -> DecisionMailTemplate | None:
    return db.session.scalar(
        select(DecisionMailTemplate).where(
            DecisionMailTemplate.event_id == event_id,
            DecisionMailTemplate.kind == kind,
            DecisionMailTemplate.language == language,
        )
    )


def save_event_text(
    *, event_id: int, kind: str, subject: str, body: str, language: str | None = None
) -> None:
    """Store the event's own text for ``kind`` in ``language`` (default: the event's default
    language), replacing an earlier one, and commit.

    Raises:
        TextError: unknown kind (field ``kind``), empty subject or body, or a placeholder that
            ``kind`` does not offer.
    """
    if kind not in MAIL_TEXTS:
        raise TextError(_("There is no mail text %(kind)s.", kind=repr(kind)), "kind")
    subject, body = check_text(subject, body, MAIL_TEXTS[kind].placeholders)
    language = normalise_language(language) or _default_language(event_id)
    row = _row(event_id, kind, language)
    if row is None:
        row = DecisionMailTemplate(event_id=event_id, kind=kind, language=language)
        db.session.add(row)
    row.subject = subject[:300]
    row.body = body
    db.session.commit()


def reset_event_text(*, event_id: int, kind: str, language: str | None = None) -> bool:
    """Drop the event's own text for ``kind`` in ``language`` (default: the event's default
    language) so the default is sent again; commits.

    Returns:
        True if the event had its own text.
    """
    language = normalise_language(language) or _default_language(event_id)
    row = _row(event_id, kind, language)
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True
