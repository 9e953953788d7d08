"""Question definitions and the checks every answer goes through, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from podium.extensions import db
from podium.questions import services
from podium.questions.models import Answer, Question
from podium.questions.services import AnswerError, QuestionError, QuestionInput
from tests.questions.helpers import make_question, option_id
from tests.support.factories import (
    EventFactory,
    SessionTypeFactory,
    SubmissionFactory,
    TrackFactory,
)


def _clean(question: Question, raw: object, **kw: object) -> services.CleanAnswer:
    args = {"session_type_id": None, "track_id": None, "enforce_required": True} | kw
    return services.clean_answers(questions=[question], raw={question.id: raw}, **args)[question.id]


def _error(question: Question, raw: object) -> str:
    with pytest.raises(AnswerError) as caught:
        _clean(question, raw)
    assert caught.value.field == f"question_{question.id}"
    return caught.value.message


def test_create_question_appends_at_the_end_with_its_options(app) -> None:
    event = EventFactory()
    first = make_question(event, "First")
    second = make_question(event, "Shirt size", "single_choice", options=("S", " M ", "", "L"))

    assert (first.position, second.position) == (1, 2)
    assert [o.label for o in second.options] == ["S", "M", "L"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (QuestionInput(label=" ", kind="short_text"), "label", "Enter the question."),
        (QuestionInput(label="Q", kind="essay"), "kind", "Choose a kind of answer from the list."),
        (
            QuestionInput(label="Q", kind="single_choice", options=("Only",)),
            "options",
            "A choice question needs at least two options.",
        ),
        (
            QuestionInput(label="Q", kind="multiple_choice", options=("A", "A")),
            "options",
            "Each option must be different.",
        ),
        (
            QuestionInput(label="Q", kind="number", min_number=5, max_number=1),
            "max_number",
            "The maximum must not be below the minimum.",
        ),
        (
            QuestionInput(label="Q", kind="short_text", is_public=True, hidden_from_reviewers=True),
            "is_public",
            "A public answer cannot be hidden from reviewers: choose one.",
        ),
    ],
)
def test_create_question_refuses_bad_definitions(app, data, field, message) -> None:
    event = EventFactory()

    with pytest.raises(QuestionError) as caught:
        services.create_question(event=event, data=data)

    assert (caught.value.field, caught.value.message) == (field, message)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_create_question_refuses_another_events_session_type(app) -> None:
    event = EventFactory()
    foreign = SessionTypeFactory(event=EventFactory())

    with pytest.raises(QuestionError) as caught:
        make_question(event, "Q", session_type_ids=(foreign.id,))

    assert caught.value.field == "session_types"


def test_each_kind_checks_its_answer_with_a_message_naming_the_question(app) -> None:
    event = EventFactory()
    number = make_question(event, "Years of experience", "number", min_number=0, max_number=50)
    url = make_question(event, "Slides", "url")
    date = make_question(event, "Available from", "date")
    yes_no = make_question(event, "First talk?", "boolean")
    single = make_question(event, "Level", "single_choice", options=("Low", "High"))
    multi = make_question(event, "Topics", "multiple_choice", options=("Web", "DB", "Ops"))
    short = make_question(event, "Pronouns", "short_text")

    assert _error(number, "lots") == "“Years of experience”: enter a number, like 12 or 3.5."
    assert _error(number, "51") == "“Years of experience”: enter a number between 0 and 50."
    assert _error(url, "javascript:alert(1)") == (
        "“Slides”: enter a web address starting with https:// or http://."
    )
    assert _error(date, "31/12/2030") == "“Available from”: enter a date as YYYY-MM-DD."
    assert _error(yes_no, "maybe") == "“First talk?”: answer yes or no."
    assert _error(single, "999999") == "“Level”: choose one of the options shown."
    assert _error(multi, ["999999"]) == "“Topics”: choose among the options shown."
    assert _error(short, "x" * 301) == "“Pronouns”: at most 300 characters."

    assert _clean(number, "3.5") == services.CleanAnswer("3.5")
    assert _clean(url, " https://example.org/s ") == services.CleanAnswer("https://example.org/s")
    assert _clean(date, "2030-12-31") == services.CleanAnswer("2030-12-31")
    assert _clean(yes_no, "no") == services.CleanAnswer("no")
    high = int(option_id(single, "High"))
    assert _clean(single, str(high)) == services.CleanAnswer("High", (high,))
    web, ops = int(option_id(multi, "Web")), int(option_id(multi, "Ops"))
    # Options come back in the question's order, whatever order the form sent.
    assert _clean(multi, [str(ops), str(web)]) == services.CleanAnswer("Web; Ops", (web, ops))


def test_required_answer_is_enforced_only_when_asked_to(app) -> None:
    event = EventFactory()
    question = make_question(event, "Why you?", required=True)

    assert _error(question, "  ") == "“Why you?”: this question needs an answer."
    assert _clean(question, "", enforce_required=False) == services.CleanAnswer("")


def test_questions_limited_to_a_session_type_or_track_are_asked_only_of_those(app) -> None:
    event = EventFactory()
    workshop = SessionTypeFactory(event=event, name="Workshop")
    talk = SessionTypeFactory(event=event, name="Talk")
    track = TrackFactory(event=event)
    laptops = make_question(event, "Laptops needed", required=True, session_type_ids=(workshop.id,))
    in_track = make_question(event, "Track question", required=True, track_ids=(track.id,))

    cleaned = services.clean_answers(
        questions=[laptops, in_track],
        raw={},
        session_type_id=talk.id,
        track_id=None,
        enforce_required=True,
    )
    assert cleaned == {}
    with pytest.raises(AnswerError) as caught:
        services.clean_answers(
            questions=[laptops, in_track],
            raw={in_track.id: "fine"},
            session_type_id=workshop.id,
            track_id=track.id,
            enforce_required=True,
        )
    assert caught.value.message == "“Laptops needed”: this question needs an answer."


def test_update_keeps_answers_of_a_removed_option_readable(app) -> None:
    event = EventFactory()
    question = make_question(event, "Level", "single_choice", options=("Low", "High"))
    submission = SubmissionFactory(event=event)
    cleaned = {question.id: _clean(question, option_id(question, "Low"))}
    services.save_answers(
        questions=[question], cleaned=cleaned, submission_id=submission.id, speaker_id=None
    )
    db.session.commit()
    high_id = option_id(question, "High")

    services.update_question(
        question=question,
        data=QuestionInput(label="Level", kind="single_choice", options=("High", "Expert")),
    )

    assert [o.label for o in question.options] == ["High", "Expert"]
    assert option_id(question, "High") == high_id  # unchanged options keep their id
    assert db.session.scalars(select(Answer.value)).all() == ["Low"]


def test_update_refuses_to_change_the_kind_of_an_answered_question(app) -> None:
    event = EventFactory()
    question = make_question(event, "Age", "number")
    submission = SubmissionFactory(event=event)
    services.save_answers(
        questions=[question],
        cleaned={question.id: services.CleanAnswer("40")},
        submission_id=submission.id,
        speaker_id=None,
    )
    db.session.commit()

    with pytest.raises(QuestionError) as caught:
        services.update_question(question=question, data=QuestionInput(label="Age", kind="date"))

    assert caught.value.field == "kind"


def test_removing_an_answered_question_archives_it_and_keeps_the_answers(app) -> None:
    event = EventFactory()
    answered = make_question(event, "Answered")
    unanswered = make_question(event, "Unanswered")
    submission = SubmissionFactory(event=event)
    services.save_answers(
        questions=[answered],
        cleaned={answered.id: services.CleanAnswer("kept")},
        submission_id=submission.id,
        speaker_id=None,
    )
    db.session.commit()

    assert services.remove_question(question=answered) is True
    assert services.remove_question(question=unanswered) is False

    assert db.session.scalars(select(Question.label)).all() == ["Answered"]
    assert answered.archived_at is not None
    assert db.session.scalars(select(Answer.value)).all() == ["kept"]
    services.restore_question(question=answered)
    assert answered.archived_at is None


def test_move_question_reorders_and_stops_at_the_ends(app) -> None:
    event = EventFactory()
    a, _b, c = (make_question(event, label) for label in "ABC")

    services.move_question(question=c, offset=-1)
    services.move_question(question=a, offset=-1)

    order = db.session.scalars(select(Question.label).order_by(Question.position)).all()
    assert order == ["A", "C", "B"]
