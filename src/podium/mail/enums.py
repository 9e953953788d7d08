"""Fixed vocabularies of the mail feature."""

from enum import StrEnum


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
