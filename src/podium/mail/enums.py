"""Fixed vocabularies of the mail feature."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class MailState(StrEnum):
    """Where an outbox mail is in its life.

    ``held`` waits for an organizer's release; ``queued`` waits for a worker (from
    ``next_attempt_at``); ``sending`` is claimed by one worker until ``locked_until``; ``sent``
    and ``failed`` (permanently) are final.
    """

    HELD = "held"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


# What the pages call each state, in the reader's language (the stored value stays English).
STATE_LABELS = {
    MailState.HELD: _l("held"),
    MailState.QUEUED: _l("queued"),
    MailState.SENDING: _l("sending"),
    MailState.SENT: _l("sent"),
    MailState.FAILED: _l("failed"),
}

# Proposal states as the mail pages and mails name them.
SUBMISSION_STATE_LABELS = {
    "draft": _l("draft"),
    "submitted": _l("submitted"),
    "accepted": _l("accepted"),
    "rejected": _l("rejected"),
    "confirmed": _l("confirmed"),
    "declined": _l("declined"),
    "withdrawn": _l("withdrawn"),
    "canceled": _l("canceled"),
}


def state_label(state: str) -> str:
    """The translated name of a mail state (the value itself when unknown)."""
    return str(STATE_LABELS.get(state, state))  # type: ignore[call-overload]


def submission_state_label(state: str) -> str:
    """The translated name of a proposal state (the value itself when unknown)."""
    return str(SUBMISSION_STATE_LABELS.get(state, state))
