"""Questions end to end over HTTP: organizer pages, answering in the submission form, the
organizer's submission page and CSV export (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io

import lxml.html
import pytest
from sqlalchemy import select

from podium.cfp.models import SpeakerProfile, Submission
from podium.extensions import db
from podium.questions.models import Answer, Question
from tests.questions.helpers import make_question, option_id
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries


def _submission_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Typed title",
        "abstract": "Typed abstract",
        "session_type": "",
        "track": "",
        "duration_minutes": "30",
        "language": "en",
        "audience_level": "all",
        "action": "submit",
    }
    data.update(overrides)
    return data


@pytest.fixture
def asked(app):  # type: ignore[no-untyped-def]
    """An event asking a required single choice (submission) and an optional speaker question."""
    event = EventFactory()
    level = make_question(event, "Level", "single_choice", options=("Intro", "Deep"), required=True)
    pronouns = make_question(event, "Pronouns", target="speaker")
    speaker = UserFactory(name="Sally Speaker")
    return event, level, pronouns, speaker


def test_organizer_pages_permission_matrix(app) -> None:
    event = EventFactory()
    question = make_question(event, "Q")
    organizer, other_organizer = UserFactory(), UserFactory()
    reviewer, speaker = UserFactory(), UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    MembershipFactory(event=EventFactory(), user=other_organizer, role="organizer")
    users = {
        "anonymous": None,
        "speaker": speaker,
        "reviewer": reviewer,
        "other_organizer": other_organizer,
        "organizer": organizer,
    }
    base = f"/orga/{event.slug}/questions"
    allowed = {"organizer"}
    check_matrix(
        app,
        users,
        [
            Route("GET", f"{base}/", allowed),
            Route("GET", f"{base}/new", allowed),
            Route("GET", f"{base}/{question.id}", allowed),
            Route("POST", f"{base}/{question.id}/move", allowed, data={"direction": "down"}),
            Route("POST", f"{base}/{question.id}/restore", allowed),
            Route(
                "POST",
                f"{base}/{question.id}",
                allowed,
                data={"label": "Q2", "kind": "short_text", "target": "submission"},
            ),
            Route(
                "POST",
                f"{base}/new",
                allowed,
                data={"label": "New", "kind": "short_text", "target": "submission"},
            ),
            # Last: the organizer's request deletes the (unanswered) question.
            Route("POST", f"{base}/{question.id}/remove", allowed),
        ],
    )


def test_organizer_adds_a_choice_question_through_the_form(app, client) -> None:
    event = EventFactory()
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    login(client, organizer)

    response = client.post(
        f"/orga/{event.slug}/questions/new",
        data={
            "label": "T-shirt size",
            "kind": "single_choice",
            "options": "S\r\nM\r\nL",
            "target": "speaker",
            "required": "y",
            "hidden_from_reviewers": "y",
        },
    )

    assert response.status_code == 302
    question = db.session.scalars(select(Question)).one()
    assert (question.label, question.kind, question.target) == (
        "T-shirt size",
        "single_choice",
        "speaker",
    )
    assert (question.required, question.hidden_from_reviewers, question.is_public) == (
        True,
        True,
        False,
    )
    assert [o.label for o in question.options] == ["S", "M", "L"]
    page = client.get(f"/orga/{event.slug}/questions/").get_data(as_text=True)
    assert "T-shirt size" in page
    assert 'aria-current="page"' in page  # the menu entry of this page is marked


def test_organizer_form_error_names_the_field(app, client) -> None:
    event = EventFactory()
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    login(client, organizer)

    response = client.post(
        f"/orga/{event.slug}/questions/new",
        data={"label": "Pick", "kind": "single_choice", "options": "Only", "target": "submission"},
    )

    assert response.status_code == 400
    assert "A choice question needs at least two options." in response.get_data(as_text=True)
    assert db.session.scalars(select(Question)).all() == []


def test_speaker_must_answer_required_question_and_keeps_typed_text(app, client, asked) -> None:
    event, _level, pronouns, speaker = asked
    login(client, speaker)

    response = client.post(
        f"/{event.slug}/submit",
        data=_submission_form(**{f"question_{pronouns.id}": "she/her"}),
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "“Level”: this question needs an answer." in page
    assert 'value="she/her"' in page  # nothing typed is lost
    assert db.session.scalars(select(Submission)).all() == []


def test_speaker_answers_are_saved_with_the_submission(app, client, asked) -> None:
    event, level, pronouns, speaker = asked
    login(client, speaker)

    response = client.post(
        f"/{event.slug}/submit",
        data=_submission_form(
            **{f"question_{level.id}": option_id(level, "Deep"), f"question_{pronouns.id}": "they"}
        ),
    )

    assert response.status_code == 302
    submission = db.session.scalars(select(Submission)).one()
    profile = db.session.scalars(select(SpeakerProfile)).one()
    rows = db.session.execute(
        select(Answer.question_id, Answer.submission_id, Answer.speaker_id, Answer.value).order_by(
            Answer.question_id
        )
    ).all()
    assert [tuple(r) for r in rows] == [
        (level.id, submission.id, None, "Deep"),
        (pronouns.id, None, profile.id, "they"),
    ]
    edit = lxml.html.fromstring(
        client.get(f"/{event.slug}/me/submissions/{submission.id}/edit").get_data(as_text=True)
    )
    assert edit.xpath(f'//input[@name="question_{level.id}"][@checked]/@value') == [
        option_id(level, "Deep")
    ]
    assert edit.xpath(f'//input[@name="question_{pronouns.id}"]/@value') == ["they"]


def test_draft_may_leave_required_answers_empty_until_submitted(app, client, asked) -> None:
    event, _level, _pronouns, speaker = asked
    login(client, speaker)

    saved = client.post(f"/{event.slug}/submit", data=_submission_form(action="draft"))
    assert saved.status_code == 302
    submission = db.session.scalars(select(Submission)).one()

    refused = client.post(
        f"/{event.slug}/me/submissions/{submission.id}/edit", data=_submission_form()
    )
    assert refused.status_code == 400
    assert "“Level”: this question needs an answer." in refused.get_data(as_text=True)
    db.session.refresh(submission)
    assert submission.state == "draft"


def test_invalid_answer_message_names_the_question(app, client) -> None:
    event = EventFactory()
    make_question(event, "Years of experience", "number", min_number=0, max_number=60)
    speaker = UserFactory()
    login(client, speaker)
    question = db.session.scalars(select(Question)).one()

    response = client.post(
        f"/{event.slug}/submit", data=_submission_form(**{f"question_{question.id}": "99"})
    )

    assert response.status_code == 400
    assert "“Years of experience”: enter a number between 0 and 60." in response.get_data(
        as_text=True
    )


def _answered_submission(event, level, pronouns):  # type: ignore[no-untyped-def]
    profile = SpeakerProfileFactory(user=UserFactory(name="Sally Speaker"))
    submission = SubmissionFactory(event=event, speaker=profile, title="Answered talk")
    db.session.add_all(
        [
            Answer(question_id=level.id, submission_id=submission.id, value="Deep"),
            Answer(question_id=pronouns.id, speaker_id=profile.id, value="she/her"),
        ]
    )
    db.session.commit()
    return submission


def test_organizer_sees_answers_also_of_archived_questions_on_page_and_csv(app, client) -> None:
    event = EventFactory()
    level = make_question(event, "Level", "single_choice", options=("Intro", "Deep"))
    pronouns = make_question(event, "Pronouns", target="speaker")
    submission = _answered_submission(event, level, pronouns)
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    login(client, organizer)
    client.post(f"/orga/{event.slug}/questions/{pronouns.id}/remove")

    page = client.get(f"/orga/{event.slug}/submissions/{submission.id}").get_data(as_text=True)
    csv_body = client.get(f"/orga/{event.slug}/submissions.csv").get_data(as_text=True)

    assert pronouns.archived_at is not None
    assert "Pronouns · Sally Speaker" in page
    assert "archived question" in page
    rows = list(csv.reader(io.StringIO(csv_body)))
    assert rows[0][-2:] == ["question: Level", "question: Pronouns (archived)"]
    assert rows[1][-2:] == ["Deep", "Sally Speaker: she/her"]


def test_organizer_edits_submission_answers_but_not_speaker_answers(app, client) -> None:
    event = EventFactory()
    level = make_question(event, "Level", "single_choice", options=("Intro", "Deep"))
    pronouns = make_question(event, "Pronouns", target="speaker")
    submission = _answered_submission(event, level, pronouns)
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    login(client, organizer)

    form_page = client.get(f"/orga/{event.slug}/submissions/{submission.id}").get_data(as_text=True)
    response = client.post(
        f"/orga/{event.slug}/submissions/{submission.id}",
        data=_submission_form(
            title="Answered talk", **{f"question_{level.id}": option_id(level, "Intro")}
        ),
    )

    assert f'name="question_{pronouns.id}"' not in form_page
    assert response.status_code == 302
    values = db.session.scalars(select(Answer.value).order_by(Answer.question_id)).all()
    assert values == ["Intro", "she/her"]


def _bulk_answered(event, level, pronouns, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        _answered_submission(event, level, pronouns)


def test_lists_and_exports_run_the_same_queries_whatever_the_size(app) -> None:
    event = EventFactory()
    level = make_question(event, "Level", "single_choice", options=("Intro", "Deep"))
    pronouns = make_question(event, "Pronouns", target="speaker")
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    client = login(app.test_client(), organizer)
    urls = (f"/orga/{event.slug}/questions/", f"/orga/{event.slug}/submissions.csv")

    def measure() -> list[int]:
        counts = []
        for url in urls:
            db.session.expire_all()
            with count_queries() as log:
                assert client.get(url).status_code == 200
            counts.append(log.count)
        return counts

    _bulk_answered(event, level, pronouns, 2)
    small = measure()
    _bulk_answered(event, level, pronouns, 15)
    for n in range(8):
        make_question(event, f"Extra {n}", "multiple_choice", options=("A", "B"))

    assert measure() == small


def test_organizer_edits_and_removes_a_question_over_http(app, client) -> None:
    event = EventFactory()
    question = make_question(event, "Old wording", "number", min_number=1)
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    login(client, organizer)

    form = lxml.html.fromstring(
        client.get(f"/orga/{event.slug}/questions/{question.id}").get_data(as_text=True)
    )
    saved = client.post(
        f"/orga/{event.slug}/questions/{question.id}",
        data={"label": "New wording", "kind": "number", "target": "submission", "max_number": "9"},
    )
    removed = client.post(
        f"/orga/{event.slug}/questions/{question.id}/remove", follow_redirects=True
    )

    assert form.xpath('//input[@name="label"]/@value') == ["Old wording"]
    assert form.xpath('//input[@name="min_number"]/@value') == ["1.0"]
    assert saved.status_code == 302
    assert "“New wording” deleted; nobody had answered it." in removed.get_data(as_text=True)
    assert db.session.scalars(select(Question)).all() == []
