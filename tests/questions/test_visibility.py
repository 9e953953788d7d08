"""Who reads which answer: reviewers (hidden questions, anonymised review), the public
program and the API (public questions, from the release only). SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select, update

from podium.database import READER_KEY
from podium.events.models import Event
from podium.extensions import db
from podium.questions.models import Answer, Question
from podium.questions.permissions import reviewer_may_see
from podium.questions.services import QuestionInput, remove_question
from podium.review.models import ReviewerAssignment
from podium.schedule import services as schedule_services
from tests.questions.helpers import make_question
from tests.schedule.builders import make_event, make_rooms, make_speaker, place
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.support.queries import count_queries

# Answer texts that must not reach a reviewer in the cases below.
HIDDEN = "hidden-answer-5521"
ABOUT_SPEAKER = "speaker-answer-5521"
VISIBLE = "visible-answer-5521"


@pytest.mark.parametrize(
    ("data", "anonymised", "expected"),
    [
        (QuestionInput(label="q", kind="short_text"), False, True),
        (QuestionInput(label="q", kind="short_text"), True, True),
        (QuestionInput(label="q", kind="short_text", hidden_from_reviewers=True), False, False),
        (QuestionInput(label="q", kind="short_text", target="speaker"), False, True),
        (QuestionInput(label="q", kind="short_text", target="speaker"), True, False),
    ],
)
def test_reviewer_may_see_rule(app, data, anonymised, expected) -> None:
    event = EventFactory(anonymised_review=anonymised)
    question = make_question(event, data.label, data.kind, **_rest(data))

    assert reviewer_may_see(question, event) is expected


def _rest(data: QuestionInput) -> dict[str, object]:
    return {"target": data.target, "hidden_from_reviewers": data.hidden_from_reviewers}


def _review_world(anonymised: bool):  # type: ignore[no-untyped-def]
    event = EventFactory(anonymised_review=anonymised)
    reviewer = UserFactory()
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    db.session.add(ReviewerAssignment(event_id=event.id, reviewer_id=reviewer.id))
    profile = SpeakerProfileFactory(user=UserFactory(name="Vera Visible"))
    submission = SubmissionFactory(event=event, speaker=profile)
    visible = make_question(event, "Visible question")
    hidden = make_question(event, "Hidden question", hidden_from_reviewers=True)
    about = make_question(event, "About you", target="speaker")
    archived = make_question(event, "Archived question")
    db.session.add_all(
        [
            Answer(question_id=visible.id, submission_id=submission.id, value=VISIBLE),
            Answer(question_id=hidden.id, submission_id=submission.id, value=HIDDEN),
            Answer(question_id=about.id, speaker_id=profile.id, value=ABOUT_SPEAKER),
            Answer(question_id=archived.id, submission_id=submission.id, value="archived-5521"),
        ]
    )
    db.session.commit()
    remove_question(question=archived)
    return event, reviewer, submission


@pytest.mark.parametrize("anonymised", [False, True])
def test_reviewer_page_and_json_never_show_hidden_answers(app, client, anonymised) -> None:
    event, reviewer, submission = _review_world(anonymised)
    login(client, reviewer)

    page = client.get(f"/review/{event.slug}/{submission.id}").get_data(as_text=True)
    body = json.loads(client.get(f"/review/{event.slug}/submissions.json").get_data(as_text=True))
    listing = client.get(f"/review/{event.slug}/submissions.csv").get_data(as_text=True)

    answers = body["submissions"][0]["answers"]
    if anonymised:
        assert answers == [{"question": "Visible question", "speaker": "", "answer": VISIBLE}]
        assert ABOUT_SPEAKER not in page
    else:
        assert answers == [
            {"question": "Visible question", "speaker": "", "answer": VISIBLE},
            {"question": "About you", "speaker": "Vera Visible", "answer": ABOUT_SPEAKER},
        ]
        assert ABOUT_SPEAKER in page
    assert VISIBLE in page
    for text in (HIDDEN, "archived-5521"):
        assert text not in page
        assert text not in json.dumps(body)
        assert text not in listing


def test_reviewer_list_and_json_run_the_same_queries_whatever_the_size(app) -> None:
    event, reviewer, _submission = _review_world(False)
    client = login(app.test_client(), reviewer)
    visible = db.session.scalars(select(Question).where(Question.label == "Visible question")).one()

    def measure() -> list[int]:
        counts = []
        for url in (f"/review/{event.slug}/", f"/review/{event.slug}/submissions.json"):
            db.session.expire_all()
            with count_queries() as log:
                assert client.get(url).status_code == 200
            counts.append(log.count)
        return counts

    small = measure()
    for n in range(12):
        profile = SpeakerProfileFactory(user=UserFactory())
        extra = SubmissionFactory(event=event, speaker=profile)
        db.session.add(Answer(question_id=visible.id, submission_id=extra.id, value=f"v{n}"))
    db.session.commit()

    assert measure() == small


@pytest.fixture
def published(app):  # type: ignore[no-untyped-def]
    """A session with a public, a private and a public speaker answer, released once."""
    event = make_event(name="Answer Conf", slug="answerconf")
    (room,) = make_rooms(event, 1)
    ada = make_speaker("Ada Lovelace")
    slot = place(event, room, "2030-02-02 10:00", title="Engines", speakers=(ada,))
    public = make_question(event, "Prerequisites", is_public=True)
    private = make_question(event, "Budget needs")
    pronouns = make_question(event, "Pronouns", target="speaker", is_public=True)
    db.session.add_all(
        [
            Answer(question_id=public.id, submission_id=slot.submission_id, value="Basic maths"),
            Answer(question_id=private.id, submission_id=slot.submission_id, value="secret-77"),
            Answer(question_id=pronouns.id, speaker_id=ada.id, value="she/her"),
        ]
    )
    db.session.commit()
    schedule_services.publish_release(event=event, actor=None)
    guid = slot.submission.guid
    return event, guid


def test_session_page_shows_public_answers_from_the_release(app, client, published) -> None:
    event, guid = published

    page = client.get(f"/{event.slug}/sessions/{guid}").get_data(as_text=True)

    assert "Prerequisites" in page
    assert "Basic maths" in page
    assert "Pronouns · Ada Lovelace" in page
    assert "secret-77" not in page
    assert "Budget needs" not in page


def test_public_answers_change_only_with_the_next_release(app, client, published) -> None:
    event, guid = published
    url = f"/{event.slug}/sessions/{guid}"
    client.get(url)
    db.session.execute(update(Answer).where(Answer.value == "Basic maths").values(value="Calculus"))
    db.session.commit()
    on_session: list[str] = []
    on_reader: list[str] = []

    def on(into: list[str]):  # type: ignore[no-untyped-def]
        return lambda *args: into.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", on(on_session))
    sa_event.listen(app.extensions[READER_KEY], "before_cursor_execute", on(on_reader))
    before = app.test_client().get(url).get_data(as_text=True)
    counted = (len(on_session), len(on_reader))
    schedule_services.publish_release(event=db.session.get(Event, event.id), actor=None)
    after = client.get(url).get_data(as_text=True)

    assert "Basic maths" in before and "Calculus" not in before
    assert "Calculus" in after
    # The cached page costs the one head query it always cost (tests/program/test_hot_path.py).
    assert counted == (0, 1)


def test_api_session_lists_public_answers(app, client, published) -> None:
    event, guid = published

    body = client.get(f"/api/v1/events/{event.slug}/sessions/{guid}").get_json()

    assert body["session"]["answers"] == [
        {"question": "Prerequisites", "speaker": None, "answer": "Basic maths"},
        {"question": "Pronouns", "speaker": "Ada Lovelace", "answer": "she/her"},
    ]


def test_release_of_an_event_without_public_answers_has_no_answers_key(app) -> None:
    event = make_event(name="Plain Conf", slug="plainconf")
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-02-02 10:00", title="Plain")
    make_question(event, "Private")

    release = schedule_services.publish_release(event=event, actor=None)

    assert "podium_answers" not in release.snapshot


def test_archived_public_question_leaves_the_next_release(app, client, published) -> None:
    event, guid = published
    public = db.session.scalars(select(Question).where(Question.label == "Prerequisites")).one()

    remove_question(question=public)
    schedule_services.publish_release(event=db.session.get(Event, event.id), actor=None)
    page = client.get(f"/{event.slug}/sessions/{guid}").get_data(as_text=True)

    assert "Basic maths" not in page
    assert "Pronouns · Ada Lovelace" in page
