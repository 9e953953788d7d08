"""Imports every feature's models so that ``db.metadata`` is complete.

Alembic autogenerate, ``create_all`` in tests and relationship strings need all tables known.
"""

from podium.accounts.models import User
from podium.api.models import ApiToken
from podium.cfp.models import (
    CoSpeakerInvitation,
    SpeakerProfile,
    Submission,
    SubmissionSpeaker,
    SubmissionStateChange,
)
from podium.events.models import Event, EventMembership, Room, SessionType, TeamInvitation, Track
from podium.mail.models import OutboxMail
from podium.once import FormSubmission
from podium.review.models import Review, ReviewConflict, ReviewerAssignment
from podium.schedule.models import ScheduleRelease, Slot
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiToken",
    "CoSpeakerInvitation",
    "Event",
    "EventMembership",
    "FormSubmission",
    "OutboxMail",
    "Review",
    "ReviewConflict",
    "ReviewerAssignment",
    "Room",
    "ScheduleRelease",
    "SessionType",
    "Slot",
    "SpeakerProfile",
    "Submission",
    "SubmissionSpeaker",
    "SubmissionStateChange",
    "TeamInvitation",
    "Track",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
