"""Fixed vocabularies of webhooks: what happened, and where a delivery is in its life."""

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l


class WebhookEventType(StrEnum):
    """What a delivery reports; an endpoint subscribes to any of these but ``ping``.

    ``ping`` is the organizer's "send test" and goes to that one endpoint only.
    """

    RELEASE_PUBLISHED = "release.published"
    SESSION_CHANGED = "session.changed"
    SESSION_CANCELED = "session.canceled"
    SUBMISSION_STATE_CHANGED = "submission.state_changed"
    SPEAKER_CONFIRMED = "speaker.confirmed"
    PING = "ping"


EVENT_LABELS: dict[WebhookEventType, Any] = {
    WebhookEventType.RELEASE_PUBLISHED: _l("A schedule release is published"),
    WebhookEventType.SESSION_CHANGED: _l("A session moved or changed room in a release"),
    WebhookEventType.SESSION_CANCELED: _l("A session was dropped from the schedule in a release"),
    WebhookEventType.SUBMISSION_STATE_CHANGED: _l("A submission's state changed"),
    WebhookEventType.SPEAKER_CONFIRMED: _l("A speaker confirmed their session"),
}


class DeliveryState(StrEnum):
    """``queued`` waits for a worker (from ``next_attempt_at``); ``sending`` is claimed by one
    worker until ``locked_until``; ``delivered`` (a 2xx answer) and ``failed`` are final."""

    QUEUED = "queued"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


# What the pages call each delivery state, in the reader's language (stored values stay).
STATE_LABELS: dict[str, Any] = {
    DeliveryState.QUEUED: _l("queued"),
    DeliveryState.SENDING: _l("sending"),
    DeliveryState.DELIVERED: _l("delivered"),
    DeliveryState.FAILED: _l("failed"),
}
