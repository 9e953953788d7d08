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


def reviewer_may_see(
    question: _Asked, event: Event, *, speaker_names_visible: bool | None = None
) -> bool:
    """True if ``event``'s reviewers may read answers to ``question``.

    Never when the organizers hid the question from reviewers. While speaker names are hidden
    from reviewers (anonymised review, or a review phase that hides them), also never for
    questions about the speaker: their answers describe the person. ``speaker_names_visible``
    is :func:`podium.review.permissions.speaker_names_visible` for now; pass it when already
    known (it costs a query), otherwise it is looked up.
    """
    if question.hidden_from_reviewers:
        return False
    if question.target != QuestionTarget.SPEAKER.value:
        return True
    if speaker_names_visible is None:
        # Imported here: review.permissions imports review.queries, which imports this module.
        from podium.review.permissions import speaker_names_visible as names_visible

        speaker_names_visible = names_visible(event)
    return speaker_names_visible


def publicly_visible(question: _Asked) -> bool:
    """True if answers to ``question`` go into schedule releases (program page, API)."""
    return bool(question.is_public)


def event_question_or_404(event: Event, question_id: int) -> Question:
    """Question ``question_id`` of ``event`` (archived or not); 404 for any other id."""
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    return question
