"""Imports every feature's models so that ``db.metadata`` is complete.

Alembic autogenerate, ``create_all`` in tests and relationship strings need all tables known.
"""

from podium.accounts.models import User
from podium.agenda.models import AgendaFeed, AgendaStar, WidgetSettings
from podium.api.models import ApiToken
from podium.availability.models import SpeakerAvailability
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
from podium.program.changes import register_change_triggers
from podium.questions.models import Answer, Question, QuestionOption
from podium.review.models import (
    Review,
    ReviewBid,
    ReviewConflict,
    ReviewerAssignment,
    ReviewPhase,
    ReviewScore,
    ScoreCategory,
)
from podium.schedule.models import ScheduleRelease, Slot
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint

register_change_triggers(Event.__table__, ScheduleRelease.__table__)  # type: ignore[arg-type]

__all__ = [
    "AgendaFeed",
    "AgendaStar",
    "Answer",
    "ApiToken",
    "CoSpeakerInvitation",
    "Event",
    "EventMembership",
    "FormSubmission",
    "OutboxMail",
    "Question",
    "QuestionOption",
    "Review",
    "ReviewBid",
    "ReviewConflict",
    "ReviewPhase",
    "ReviewScore",
    "ReviewerAssignment",
    "Room",
    "ScheduleRelease",
    "ScoreCategory",
    "SessionType",
    "Slot",
    "SpeakerAvailability",
    "SpeakerProfile",
    "Submission",
    "SubmissionSpeaker",
    "SubmissionStateChange",
    "TeamInvitation",
    "Track",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WidgetSettings",
]
