"""Reads of questions and answers; every function runs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.extensions import db
from podium.questions.enums import QuestionTarget
from podium.questions.models import Answer, Question
from podium.questions.permissions import publicly_visible


def event_questions(event_id: int, *, archived: bool = False) -> list[Question]:
    """The event's questions in form order with their options (2 queries).

    ``archived=False`` gives the questions still asked; ``True`` also the archived ones.
    """
    stmt = (
        select(Question)
        .where(Question.event_id == event_id)
        .options(selectinload(Question.options))
        .order_by(Question.position, Question.id)
    )
    if not archived:
        stmt = stmt.where(Question.archived_at.is_(None))
    return list(db.session.scalars(stmt))


def applies_to(question: Question, *, session_type_id: int | None, track_id: int | None) -> bool:
    """Whether ``question`` is asked of a proposal of this session type and track.

    A question limited to session types (or tracks) is not asked of a proposal that has none
    of them chosen yet.
    """
    if question.session_type_ids and session_type_id not in question.session_type_ids:
        return False
    return not (question.track_ids and track_id not in question.track_ids)


# A speaker of a proposal in one of these states is no longer asked about themselves.
_GONE_STATES = ("withdrawn", "canceled", "rejected", "declined")


def speaker_questions(event_id: int, profile_id: int) -> list[Question]:
    """The event's speaker questions that apply to any of the speaker's live proposals in it,
    in form order (3 queries); empty when they have none."""
    scopes = db.session.execute(
        select(Submission.session_type_id, Submission.track_id)
        .join(SubmissionSpeaker, SubmissionSpeaker.submission_id == Submission.id)
        .where(
            Submission.event_id == event_id,
            SubmissionSpeaker.speaker_id == profile_id,
            Submission.state.not_in(_GONE_STATES),
        )
    ).all()
    if not scopes:
        return []
    return [
        q
        for q in event_questions(event_id)
        if q.target == QuestionTarget.SPEAKER.value
        and any(applies_to(q, session_type_id=t, track_id=k) for t, k in scopes)
    ]


def answer_counts(event_id: int) -> dict[int, int]:
    """``{question id: number of answers}`` for the event's questions that have any (1 query)."""
    rows = db.session.execute(
        select(Answer.question_id, func.count())
        .join(Question, Question.id == Answer.question_id)
        .where(Question.event_id == event_id)
        .group_by(Answer.question_id)
    )
    return {question_id: count for question_id, count in rows}


@dataclass(frozen=True)
class AnswerView:
    """One answer as pages and exports show it.

    ``speaker`` is the speaker's name for speaker questions (``""`` for submission ones);
    ``archived`` tells that the question is no longer asked. ``target``,
    ``hidden_from_reviewers`` and ``is_public`` are the question's, for the permission checks.
    """

    question_id: int
    label: str
    value: str
    target: str
    speaker: str
    archived: bool
    hidden_from_reviewers: bool
    is_public: bool
    position: int


def _view(question: Question, value: str, speaker: str) -> AnswerView:
    return AnswerView(
        question_id=question.id,
        label=question.label,
        value=value,
        target=question.target,
        speaker=speaker,
        archived=question.archived_at is not None,
        hidden_from_reviewers=question.hidden_from_reviewers,
        is_public=question.is_public,
        position=question.position,
    )


def answers_by_submission(
    event_id: int, submission_ids: Iterable[int]
) -> dict[int, list[AnswerView]]:
    """``{submission id: its answers}``: its own and its speakers' (at most 4 queries).

    Answers are in question order, speaker answers after the submission's for the same
    question, in speaker order. Includes answers to archived questions; callers filter with
    :mod:`podium.questions.permissions` for anyone but organizers.
    """
    ids = list(submission_ids)
    if not ids:
        return {}
    # Answers are read as plain columns, questions once: loading thousands of Answer objects
    # cost more than the rest of an export.
    questions = {
        q.id: q for q in db.session.scalars(select(Question).where(Question.event_id == event_id))
    }
    if not questions:
        return {}
    found: dict[int, list[tuple[tuple[int, int, int], AnswerView]]] = defaultdict(list)
    for question_id, submission_id, value in db.session.execute(
        select(Answer.question_id, Answer.submission_id, Answer.value).where(
            Answer.question_id.in_(list(questions)), Answer.submission_id.in_(ids)
        )
    ):
        question = questions[question_id]
        key = (question.position, question.id, -1)
        found[submission_id].append((key, _view(question, value, "")))
    # Speakers first, then their answers: one join of both made SQLite probe every answer
    # against the whole id list (4.6 s for 1000 proposals instead of milliseconds).
    about_speakers = [q.id for q in questions.values() if q.target == QuestionTarget.SPEAKER]
    links: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    if about_speakers:
        for submission_id, speaker_id, position, name in db.session.execute(
            select(
                SubmissionSpeaker.submission_id,
                SubmissionSpeaker.speaker_id,
                SubmissionSpeaker.position,
                SpeakerProfile.name,
            )
            .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
            .where(SubmissionSpeaker.submission_id.in_(ids))
        ):
            links[speaker_id].append((submission_id, position, name))
    if links:
        for question_id, speaker_id, value in db.session.execute(
            select(Answer.question_id, Answer.speaker_id, Answer.value).where(
                Answer.question_id.in_(about_speakers), Answer.speaker_id.in_(list(links))
            )
        ):
            question = questions[question_id]
            for submission_id, position, name in links[speaker_id]:
                key = (question.position, question.id, position)
                found[submission_id].append((key, _view(question, value, name)))
    return {
        sub_id: [view for _, view in sorted(rows, key=lambda r: r[0])]
        for sub_id, rows in found.items()
    }


def current_answers(
    *, submission_id: int | None, speaker_id: int | None, question_ids: Iterable[int]
) -> dict[int, Answer]:
    """``{question id: Answer}`` for one submission's and one speaker's answers (1 query)."""
    ids = list(question_ids)
    if not ids:
        return {}
    conditions = []
    if submission_id is not None:
        conditions.append(Answer.submission_id == submission_id)
    if speaker_id is not None:
        conditions.append(Answer.speaker_id == speaker_id)
    if not conditions:
        return {}
    rows = db.session.scalars(select(Answer).where(Answer.question_id.in_(ids), or_(*conditions)))
    return {answer.question_id: answer for answer in rows}


# The snapshot key of a release holding public answers (see public_answers).
PUBLIC_ANSWERS_KEY = "podium_answers"


def public_answers(event_id: int, guids: Iterable[str]) -> dict[str, list[list[str]]]:
    """``{session guid: [[question, answer, speaker name or ""], ...]}`` of public questions
    still asked, for the sessions ``guids`` (3 queries; sessions without any are left out).

    Publishing a schedule release stores this in its snapshot under
    :data:`PUBLIC_ANSWERS_KEY`, so public pages and the API read it from the release without
    a query, and a changed answer appears with the next release like any other text.
    """
    wanted = list(guids)
    if not wanted:
        return {}
    ids = dict(
        db.session.execute(
            select(Submission.id, Submission.guid).where(
                Submission.event_id == event_id, Submission.guid.in_(wanted)
            )
        ).all()
    )
    found = answers_by_submission(event_id, ids)
    shown: dict[str, list[list[str]]] = {}
    for submission_id, views in found.items():
        public = [
            [a.label, a.value, a.speaker] for a in views if publicly_visible(a) and not a.archived
        ]
        if public:
            shown[ids[submission_id]] = public
    return shown
