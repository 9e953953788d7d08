"""Building questions for the questions tests."""

from __future__ import annotations

from podium.events.models import Event
from podium.questions import services
from podium.questions.models import Question


def make_question(event: Event, label: str, kind: str = "short_text", **fields: object) -> Question:
    """Create a question of ``event`` through the service (as the organizer page does)."""
    return services.create_question(
        event=event, data=services.QuestionInput(label=label, kind=kind, **fields)
    )


def option_id(question: Question, label: str) -> str:
    """The id (as the form posts it) of ``question``'s option ``label``."""
    return str(next(o.id for o in question.options if o.label == label))
