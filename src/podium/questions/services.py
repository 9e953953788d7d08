"""All changes to custom questions and answers.

Questions: :func:`create_question`, :func:`update_question`, :func:`move_question`,
:func:`remove_question` (archives a question that has answers, never deletes them).
Answers: :func:`clean_answers` checks what a speaker typed, :func:`save_answers` writes it;
``podium.cfp.services`` calls both inside its own transaction, so a proposal and its answers
are saved together or not at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from podium.db import utcnow
from podium.events.models import Event, SessionType, Track
from podium.events.times import cfp_is_open
from podium.extensions import db
from podium.questions.enums import CHOICE_KINDS, QuestionKind, QuestionTarget
from podium.questions.models import Answer, Question, QuestionOption
from podium.questions.queries import applies_to, current_answers

MAX_SHORT_TEXT = 300
MAX_LONG_TEXT = 5000
MAX_OPTIONS = 50


class QuestionError(ValueError):
    """A question definition the organizer must fix; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class AnswerError(ValueError):
    """An invalid answer; ``field`` is the answer's form field, the message names the question.

    ``podium.cfp.services`` turns it into its ``SubmissionError`` so the form shows it.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def answer_field(question_id: int) -> str:
    """The form field name of the answer to question ``question_id`` (``"question_<id>"``)."""
    return f"question_{question_id}"


@dataclass(frozen=True)
class QuestionInput:
    """A question as an organizer defines it.

    ``options`` are the choice labels in order (choice kinds only); ``min_number`` /
    ``max_number`` bound numbers (inclusive). ``session_type_ids`` / ``track_ids``: ask only
    of proposals of these (empty: of all).
    """

    label: str
    kind: str
    target: str = QuestionTarget.SUBMISSION.value
    help_text: str = ""
    required: bool = False
    options: tuple[str, ...] = ()
    min_number: float | None = None
    max_number: float | None = None
    session_type_ids: tuple[int, ...] = ()
    track_ids: tuple[int, ...] = ()
    hidden_from_reviewers: bool = False
    is_public: bool = False


def _checked(event: Event, data: QuestionInput) -> tuple[str, list[str]]:
    """Check ``data`` against ``event``; return the stripped label and option labels.

    Raises:
        QuestionError: naming the field at fault.
    """
    label = data.label.strip()
    if not label:
        raise QuestionError("label", _("Enter the question."))
    if len(label) > 300:
        raise QuestionError("label", _("At most %(n)s characters.", n=300))
    if data.kind not in {k.value for k in QuestionKind}:
        raise QuestionError("kind", _("Choose a kind of answer from the list."))
    if data.target not in {t.value for t in QuestionTarget}:
        raise QuestionError("target", _("Choose whom the question is about."))
    options = [o.strip() for o in data.options if o.strip()]
    if data.kind in CHOICE_KINDS:
        if len(options) < 2:
            raise QuestionError("options", _("A choice question needs at least two options."))
        if len(options) > MAX_OPTIONS:
            raise QuestionError("options", _("At most %(n)s options.", n=MAX_OPTIONS))
        if len(set(options)) != len(options):
            raise QuestionError("options", _("Each option must be different."))
        if any(len(o) > 200 for o in options):
            raise QuestionError("options", _("Each option has at most %(n)s characters.", n=200))
    else:
        options = []
    if (
        data.min_number is not None
        and data.max_number is not None
        and data.min_number > data.max_number
    ):
        raise QuestionError("max_number", _("The maximum must not be below the minimum."))
    _check_ids(
        event,
        SessionType,
        data.session_type_ids,
        "session_types",
        _l("Choose among this event's session types."),
    )
    _check_ids(event, Track, data.track_ids, "tracks", _l("Choose among this event's tracks."))
    if data.is_public and data.hidden_from_reviewers:
        raise QuestionError(
            "is_public", _("A public answer cannot be hidden from reviewers: choose one.")
        )
    return label, options


def _check_ids(event: Event, model: type, ids: Sequence[int], field: str, message: object) -> None:
    if not ids:
        return
    found = set(
        db.session.scalars(
            select(model.id).where(model.id.in_(ids), model.event_id == event.id)  # type: ignore[attr-defined]
        )
    )
    if found != set(ids):
        raise QuestionError(field, str(message))


def _apply(question: Question, data: QuestionInput, label: str) -> None:
    question.label = label
    question.help_text = data.help_text.strip()
    question.kind = data.kind
    question.target = data.target
    question.required = data.required
    number = data.kind == QuestionKind.NUMBER.value
    question.min_number = data.min_number if number else None
    question.max_number = data.max_number if number else None
    question.session_type_ids = sorted(set(data.session_type_ids))
    question.track_ids = sorted(set(data.track_ids))
    question.hidden_from_reviewers = data.hidden_from_reviewers
    question.is_public = data.is_public


def _sync_options(question: Question, labels: list[str]) -> None:
    """Make the options ``labels`` in order, keeping the rows (and ids) of unchanged labels.

    Answers hold their option's label as text, so an option removed here leaves the answers
    that chose it readable.
    """
    existing = {o.label: o for o in question.options}
    kept = []
    for position, label in enumerate(labels):
        option = existing.pop(label, None) or QuestionOption(label=label)
        option.position = position
        kept.append(option)
    question.options = kept


def create_question(*, event: Event, data: QuestionInput) -> Question:
    """Add a question at the end of ``event``'s form and commit.

    Raises:
        QuestionError: invalid definition (nothing saved).
    """
    label, options = _checked(event, data)
    last = db.session.scalar(
        select(func.max(Question.position)).where(Question.event_id == event.id)
    )
    question = Question(event_id=event.id, position=(last or 0) + 1)
    _apply(question, data, label)
    _sync_options(question, options)
    db.session.add(question)
    db.session.commit()
    return question


def update_question(*, question: Question, data: QuestionInput) -> Question:
    """Change a question's definition and commit; its answers stay as given.

    Changing the kind of a question that has answers is refused: the answers were given to
    another question.

    Raises:
        QuestionError: invalid definition, or a kind change of an answered question.
    """
    event = db.session.get(Event, question.event_id)
    label, options = _checked(event, data)
    if data.kind != question.kind and _has_answers(question):
        raise QuestionError(
            "kind", "This question has answers: its kind cannot change. Add a new question."
        )
    if data.target != question.target and _has_answers(question):
        raise QuestionError("target", "This question has answers: whom it is about cannot change.")
    _apply(question, data, label)
    _sync_options(question, options)
    db.session.commit()
    return question


def _has_answers(question: Question) -> bool:
    return (
        db.session.scalar(select(Answer.id).where(Answer.question_id == question.id).limit(1))
        is not None
    )


def move_question(*, question: Question, offset: int) -> None:
    """Move an asked question ``offset`` places (-1 up, +1 down) in the form and commit.

    Positions are renumbered 1..n, so a move past either end does nothing.
    """
    siblings = list(
        db.session.scalars(
            select(Question)
            .where(Question.event_id == question.event_id, Question.archived_at.is_(None))
            .order_by(Question.position, Question.id)
        )
    )
    index = siblings.index(question)
    target = min(max(index + offset, 0), len(siblings) - 1)
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    db.session.commit()


def remove_question(*, question: Question, now: dt.datetime | None = None) -> bool:
    """Remove a question from the form and commit; True if it was archived, False if deleted.

    A question that has answers is archived (``archived_at`` = ``now``, aware UTC): it is no
    longer asked, reviewers and the public no longer see its answers, organizers still do on
    the submission pages and in the CSV export. A question without answers is deleted.
    """
    if _has_answers(question):
        question.archived_at = now or utcnow()
        db.session.commit()
        return True
    db.session.delete(question)
    db.session.commit()
    return False


def restore_question(*, question: Question) -> None:
    """Ask an archived question again (at the end of the form) and commit."""
    last = db.session.scalar(
        select(func.max(Question.position)).where(Question.event_id == question.event_id)
    )
    question.archived_at = None
    question.position = (last or 0) + 1
    db.session.commit()


# -- answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanAnswer:
    """A checked answer: ``value`` as shown everywhere, ``option_ids`` for choice questions.

    ``value == ""`` means "no answer" (an existing one is removed).
    """

    value: str
    option_ids: tuple[int, ...] = field(default=())


_DECIMAL = re.compile(r"^-?\d{1,15}(\.\d{1,6})?$")


def _clean_one(question: Question, raw: object) -> CleanAnswer:
    """Check one raw form value (str, or list of str for multiple choice).

    Raises:
        AnswerError: the message starts with the question's label.
    """
    name = answer_field(question.id)
    kind = QuestionKind(question.kind)

    def fail(reason: str) -> AnswerError:
        return AnswerError(
            name, _("“%(question)s”: %(reason)s", question=question.label, reason=reason)
        )

    if kind is QuestionKind.MULTIPLE_CHOICE:
        chosen = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw]) if v]
        by_id = {str(o.id): o for o in question.options}
        if any(v not in by_id for v in chosen):
            raise fail(_("choose among the options shown."))
        picked = [o for o in question.options if str(o.id) in chosen]
        return CleanAnswer("; ".join(o.label for o in picked), tuple(o.id for o in picked))
    text = str(raw if raw is not None else "").strip()
    if not text:
        return CleanAnswer("")
    if kind is QuestionKind.SHORT_TEXT:
        if len(text) > MAX_SHORT_TEXT:
            raise fail(_("at most %(n)s characters.", n=MAX_SHORT_TEXT))
        return CleanAnswer(text)
    if kind is QuestionKind.LONG_TEXT:
        text = text.replace("\r\n", "\n")
        if len(text) > MAX_LONG_TEXT:
            raise fail(_("at most %(n)s characters.", n=MAX_LONG_TEXT))
        return CleanAnswer(text)
    if kind is QuestionKind.NUMBER:
        return CleanAnswer(_number(question, text, fail))
    if kind is QuestionKind.BOOLEAN:
        if text not in ("yes", "no"):
            raise fail(_("answer yes or no."))
        return CleanAnswer(text)
    if kind is QuestionKind.SINGLE_CHOICE:
        option = next((o for o in question.options if str(o.id) == text), None)
        if option is None:
            raise fail(_("choose one of the options shown."))
        return CleanAnswer(option.label, (option.id,))
    if kind is QuestionKind.URL:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(text) > 500:
            raise fail(_("enter a web address starting with https:// or http://."))
        return CleanAnswer(text)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise fail(_("enter a date as YYYY-MM-DD.")) from None
    return CleanAnswer(day.isoformat())


def _number(question: Question, text: str, fail: Callable[[str], AnswerError]) -> str:
    if not _DECIMAL.match(text):
        raise fail(_("enter a number, like 12 or 3.5."))
    value = float(text)
    low, high = question.min_number, question.max_number
    if (low is not None and value < low) or (high is not None and value > high):
        raise fail(_bounds(low, high))
    return text


def _bounds(low: float | None, high: float | None) -> str:
    """The refusal of a number outside ``low``..``high`` (either may be None)."""

    def shown(x: float) -> str:
        return f"{x:g}"

    if low is not None and high is not None:
        return _("enter a number between %(low)s and %(high)s.", low=shown(low), high=shown(high))
    if low is not None:
        return _("enter a number of at least %(low)s.", low=shown(low))
    return _("enter a number of at most %(high)s.", high=shown(high or 0.0))


def clean_answers(
    *,
    questions: Iterable[Question],
    raw: Mapping[int, object],
    session_type_id: int | None,
    track_id: int | None,
    enforce_required: bool,
) -> dict[int, CleanAnswer]:
    """Check the answers ``raw`` (``{question id: str | list[str]}``) to the ``questions``
    that apply to a proposal of this session type and track.

    Questions that do not apply are left out of the result (their answers are not touched).
    ``enforce_required``: a required question must be answered (submitting, not drafts).

    Raises:
        AnswerError: the first invalid or missing answer; its message names the question.
    """
    asked = [
        q for q in questions if applies_to(q, session_type_id=session_type_id, track_id=track_id)
    ]
    return _clean_all(asked, raw, enforce_required=enforce_required)


def _clean_all(
    questions: Iterable[Question], raw: Mapping[int, object], *, enforce_required: bool
) -> dict[int, CleanAnswer]:
    cleaned: dict[int, CleanAnswer] = {}
    for question in questions:
        answer = _clean_one(question, raw.get(question.id))
        if enforce_required and question.required and not answer.value:
            raise AnswerError(
                answer_field(question.id),
                _("“%(question)s”: this question needs an answer.", question=question.label),
            )
        cleaned[question.id] = answer
    return cleaned


class AnswersClosedError(AnswerError):
    """A speaker changing answers outside the CfP window (organizers are never refused)."""


def save_speaker_answers(
    *,
    event: Event,
    profile_id: int,
    questions: Sequence[Question],
    raw: Mapping[int, object],
    now: dt.datetime | None = None,
) -> None:
    """Save a speaker's own answers to ``event``'s speaker questions and commit.

    ``questions`` are the speaker questions asked of this speaker
    (:func:`podium.questions.queries.speaker_questions`); all of them are checked and required
    ones must be answered. Speakers change answers while the CfP is open (at ``now``, aware
    UTC), as they change their proposals.

    Raises:
        AnswersClosedError: the CfP is not open at ``now`` (nothing saved).
        AnswerError: an invalid or missing answer, naming the question (nothing saved).
    """
    if not cfp_is_open(event.cfp_opens_at, event.cfp_closes_at, now=now):
        raise AnswersClosedError(
            "", _("The call for proposals is closed: answers can no longer change.")
        )
    cleaned = _clean_all(questions, raw, enforce_required=True)
    save_answers(questions=questions, cleaned=cleaned, submission_id=None, speaker_id=profile_id)
    db.session.commit()


def save_answers(
    *,
    questions: Iterable[Question],
    cleaned: Mapping[int, CleanAnswer],
    submission_id: int | None,
    speaker_id: int | None,
) -> None:
    """Write checked answers (no commit): submission questions' on ``submission_id``,
    speaker questions' on ``speaker_id`` (skipped when ``None``, e.g. an organizer editing).

    An empty answer removes the stored one. Questions absent from ``cleaned`` are untouched.
    """
    asked = {q.id: q for q in questions if q.id in cleaned}
    stored = current_answers(submission_id=submission_id, speaker_id=speaker_id, question_ids=asked)
    for question_id, answer in cleaned.items():
        question = asked[question_id]
        about_speaker = question.target == QuestionTarget.SPEAKER.value
        if (speaker_id if about_speaker else submission_id) is None:
            continue
        row = stored.get(question_id)
        if not answer.value:
            if row is not None:
                db.session.execute(delete(Answer).where(Answer.id == row.id))
            continue
        if row is None:
            row = Answer(
                question_id=question_id,
                submission_id=None if about_speaker else submission_id,
                speaker_id=speaker_id if about_speaker else None,
            )
            db.session.add(row)
        row.value = answer.value
        row.option_ids = list(answer.option_ids)
    db.session.flush()
