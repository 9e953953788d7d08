"""Who may see and change custom questions and their answers (the one place for these rules).

Organizers manage questions and see every answer. Reviewers see answers through
:func:`reviewer_may_see` only; the public sees :func:`publicly_visible` ones, and only from a
schedule release.
"""

from __future__ import annotations

from typing import Protocol

from flask import abort

from podium.events.models import Event
from podium.extensions import db
from podium.questions.enums import QuestionTarget
from podium.questions.models import Question


class _Asked(Protocol):
    """Anything carrying a question's visibility flags (a Question or an answer's view)."""

    target: str
    hidden_from_reviewers: bool
    is_public: bool


def reviewer_may_see(question: _Asked, event: Event) -> bool:
    """True if ``event``'s reviewers may read answers to ``question``.

    Never when the organizers hid the question from reviewers. Under anonymised review, also
    never for questions about the speaker: their answers describe the person, which is exactly
    what anonymised review keeps from reviewers. (Review phases may later decide anonymity per
    phase: change this function only.)
    """
    if question.hidden_from_reviewers:
        return False
    return not (event.anonymised_review and question.target == QuestionTarget.SPEAKER.value)


def publicly_visible(question: _Asked) -> bool:
    """True if answers to ``question`` go into schedule releases (program page, API)."""
    return bool(question.is_public)


def event_question_or_404(event: Event, question_id: int) -> Question:
    """Question ``question_id`` of ``event`` (archived or not); 404 for any other id."""
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    return question
