"""The texts an event's organizers edit: every mail the event sends, with ``{placeholders}``.

Each kind has a default text here; an event's own version is a row of
:class:`podium.review.models.DecisionMailTemplate` (the table that first held only the accept
and reject texts; ``kind`` is one of :data:`MAIL_TEXTS`). Deleting the row resets the kind to
its default. Texts are plain text, filled by a regular-expression substitution (never
``str.format``, which would allow attribute access such as ``{speaker_name.__class__}``), and
a text may only use its kind's placeholders, so a sent mail never carries a blank or a raw
``{name}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from podium.extensions import db
from podium.review.models import DecisionMailTemplate

_FIELD = re.compile(r"\{([^{}]*)\}")

PLACEHOLDERS: dict[str, str] = {
    "speaker_name": "the speaker's name",
    "submission_title": "the proposal's title",
    "event_name": "the event's name",
    "event_url": "the event's public page",
    "confirmation_link": "the link an accepted speaker follows to confirm or decline",
    "submission_link": "the page where speakers read (and, while the CfP is open, edit) it",
    "session_type": "the proposal's session type",
    "duration_minutes": "the proposal's length in minutes",
    "cfp_closes": "when the CfP closes, in the event's time zone",
    "session_day": "the session's day in the event's time zone, e.g. Saturday 2031-05-17",
    "session_time": "the session's start and end in the event's time zone, e.g. 10:00 to 10:30",
    "session_room": "the session's room",
    "schedule_change": "what changed, e.g. 'moved from Saturday 2031-05-17 10:00 CEST to …'",
    "inviter_name": "who sent the invitation",
    "invitee_name": "the invited co-speaker's name",
    "invitation_link": "the link that accepts the invitation",
    "valid_days": "how many days the invitation link works",
}

_SESSION = ("session_day", "session_time", "session_room")
_SPEAKER = ("speaker_name", "submission_title", "event_name", "event_url")


@dataclass(frozen=True)
class MailText:
    """One editable kind: its label, default subject and body, and allowed placeholders."""

    kind: str
    label: str
    subject: str
    body: str
    placeholders: tuple[str, ...]
    note: str = ""


MAIL_TEXTS: dict[str, MailText] = {
    t.kind: t
    for t in (
        MailText(
            "receipt",
            "Submission receipt",
            "We received your proposal “{submission_title}” for {event_name}",
            "Hello {speaker_name},\n\n"
            "we received your proposal for {event_name}:\n\n"
            "  Title:        {submission_title}\n"
            "  Session type: {session_type} ({duration_minutes} minutes)\n\n"
            "You and your co-speakers can edit it until the call for proposals closes on "
            "{cfp_closes}:\n{submission_link}\n\n"
            "You will hear from the organizers once they have decided.\n",
            (*_SPEAKER, "submission_link", "session_type", "duration_minutes", "cfp_closes"),
            "Until you change it, Podium's built-in receipt is sent; it also says when the CfP "
            "has already closed.",
        ),
        MailText(
            "co_speaker",
            "Co-speaker invitation",
            "{inviter_name} invites you to co-present “{submission_title}” at {event_name}",
            "Hello {invitee_name},\n\n"
            "{inviter_name} invited you to co-present the proposal “{submission_title}” at "
            "{event_name}.\n\n"
            "Open this link, log in (or sign up with this e-mail address) and accept:\n"
            "{invitation_link}\n\n"
            "The link works for {valid_days} days and only once. Nothing happens unless you "
            "accept.\n",
            (
                "invitee_name",
                "inviter_name",
                "submission_title",
                "event_name",
                "event_url",
                "invitation_link",
                "valid_days",
            ),
            "Until you change it, Podium's built-in invitation is sent; it also tells people "
            "with an account to log in rather than sign up.",
        ),
        MailText(
            "accept",
            "Acceptance",
            "{event_name}: your submission was accepted",
            "Dear {speaker_name},\n\n"
            'we are happy to tell you that "{submission_title}" was accepted for {event_name}.\n\n'
            "Please confirm that you will present it (or let us know that you cannot) here:\n"
            "{confirmation_link}\n\n"
            "Thank you,\nthe {event_name} team\n",
            ("speaker_name", "submission_title", "event_name", "confirmation_link"),
        ),
        MailText(
            "reject",
            "Rejection",
            "{event_name}: about your submission",
            "Dear {speaker_name},\n\n"
            'thank you for submitting "{submission_title}" to {event_name}. We received many '
            "more proposals than we have slots, and unfortunately we could not include yours.\n\n"
            "We hope to see you there anyway,\nthe {event_name} team\n",
            ("speaker_name", "submission_title", "event_name", "confirmation_link"),
        ),
        MailText(
            "reminder",
            "Confirmation reminder",
            "{event_name}: please confirm “{submission_title}”",
            "Dear {speaker_name},\n\n"
            "“{submission_title}” was accepted for {event_name}, and we have not heard from you "
            "yet. Please confirm that you will present it, or tell us that you cannot:\n"
            "{confirmation_link}\n\n"
            "Thank you,\nthe {event_name} team\n",
            (*_SPEAKER, "confirmation_link", *_SESSION),
            "Sent from “Write to speakers” to the group “accepted, not confirmed”.",
        ),
        MailText(
            "schedule_change",
            "Schedule change notice",
            "{event_name}: your session “{submission_title}” changed",
            "Dear {speaker_name},\n\n"
            "the schedule of {event_name} changed for your session “{submission_title}”:\n"
            "{schedule_change}\n\n"
            "The current schedule: {event_url}\n\n"
            "Thank you,\nthe {event_name} team\n",
            (*_SPEAKER, *_SESSION, "schedule_change"),
            "Held for checking after a schedule release, for the speakers whose sessions moved.",
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

    return _FIELD.sub(_replace, text)


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
        raise TextError("The subject is required.", "subject")
    if not body.strip():
        raise TextError("The text is required.", "body")
    for field, text in (("subject", subject), ("body", body)):
        unknown = unknown_placeholders(text, allowed)
        if unknown:
            raise TextError(
                "Unknown placeholder(s): "
                + ", ".join("{" + name + "}" for name in dict.fromkeys(unknown))
                + ". Use "
                + ", ".join("{" + name + "}" for name in allowed)
                + ".",
                field,
            )
    return subject, body


def stored_texts(event_id: int) -> dict[str, tuple[str, str]]:
    """The event's own texts by kind, ``{kind: (subject, body)}`` (one query)."""
    rows = db.session.scalars(
        select(DecisionMailTemplate).where(DecisionMailTemplate.event_id == event_id)
    )
    return {row.kind: (row.subject, row.body) for row in rows if row.kind in MAIL_TEXTS}


def custom_text(event_id: int, kind: str) -> tuple[str, str] | None:
    """The event's own ``(subject, body)`` for ``kind``, or None when it uses the default."""
    row = db.session.scalar(
        select(DecisionMailTemplate).where(
            DecisionMailTemplate.event_id == event_id, DecisionMailTemplate.kind == kind
        )
    )
    return (row.subject, row.body) if row is not None else None


def event_text(event_id: int, kind: str) -> tuple[str, str]:
    """The ``(subject, body)`` the event sends for ``kind``: its own, else the default."""
    text = MAIL_TEXTS[kind]
    return custom_text(event_id, kind) or (text.subject, text.body)


def save_event_text(*, event_id: int, kind: str, subject: str, body: str) -> None:
    """Store the event's own text for ``kind`` (replacing an earlier one) and commit.

    Raises:
        TextError: unknown kind (field ``kind``), empty subject or body, or a placeholder that
            ``kind`` does not offer.
    """
    if kind not in MAIL_TEXTS:
        raise TextError(f"There is no mail text {kind!r}.", "kind")
    subject, body = check_text(subject, body, MAIL_TEXTS[kind].placeholders)
    row = db.session.scalar(
        select(DecisionMailTemplate).where(
            DecisionMailTemplate.event_id == event_id, DecisionMailTemplate.kind == kind
        )
    )
    if row is None:
        row = DecisionMailTemplate(event_id=event_id, kind=kind)
        db.session.add(row)
    row.subject = subject[:300]
    row.body = body
    db.session.commit()


def reset_event_text(*, event_id: int, kind: str) -> bool:
    """Drop the event's own text for ``kind`` so the default is sent again; commits.

    Returns:
        True if the event had its own text.
    """
    row = db.session.scalar(
        select(DecisionMailTemplate).where(
            DecisionMailTemplate.event_id == event_id, DecisionMailTemplate.kind == kind
        )
    )
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True
