"""Speakers answer questions about themselves once per event at /<slug>/me/answers, while the
CfP is open; co-speakers who joined by invitation answer there too (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from podium.cfp.models import Submission
from podium.extensions import db
from podium.questions.models import Answer
from tests.questions.helpers import make_question
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    SessionTypeFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)


def _speaker_with_proposal(event, **submission):  # type: ignore[no-untyped-def]
    user = UserFactory(name="Cora Cospeaker")
    profile = SpeakerProfileFactory(user=user)
    SubmissionFactory(event=event, speaker=profile, **submission)
    return user, profile


def test_speaker_answers_questions_about_themselves(app, client) -> None:
    event = EventFactory()
    shirt = make_question(
        event, "T-shirt size", "single_choice", options=("S", "M"), required=True, target="speaker"
    )
    user, profile = _speaker_with_proposal(event)
    login(client, user)
    submission_id = db.session.scalars(select(Submission.id)).one()

    edit_page = client.get(f"/{event.slug}/me/submissions/{submission_id}/edit")
    missing = client.post(f"/{event.slug}/me/answers", data={})
    saved = client.post(
        f"/{event.slug}/me/answers", data={f"question_{shirt.id}": str(shirt.options[1].id)}
    )

    assert f'href="/{event.slug}/me/answers"' in edit_page.get_data(as_text=True)
    assert shirt.label in missing.get_data(as_text=True)  # the question is asked...
    assert missing.status_code == 400
    assert "“T-shirt size”: this question needs an answer." in missing.get_data(as_text=True)
    assert saved.status_code == 302
    rows = db.session.execute(select(Answer.speaker_id, Answer.submission_id, Answer.value)).all()
    assert [tuple(r) for r in rows] == [(profile.id, None, "M")]


def test_speaker_answers_are_closed_with_the_cfp(app, client) -> None:
    event = EventFactory(cfp_closes_at=datetime.now(UTC) - timedelta(minutes=1))
    question = make_question(event, "Pronouns", target="speaker")
    user, _profile = _speaker_with_proposal(event)
    login(client, user)

    page = client.get(f"/{event.slug}/me/answers").get_data(as_text=True)
    refused = client.post(f"/{event.slug}/me/answers", data={f"question_{question.id}": "they"})

    assert "your answers can no longer change" in page
    assert refused.status_code == 403
    assert "answers can no longer change" in refused.get_data(as_text=True)
    assert db.session.scalars(select(Answer)).all() == []


def test_page_is_404_without_a_live_proposal_or_speaker_questions(app, client) -> None:
    event = EventFactory()
    workshop = SessionTypeFactory(event=event, name="Workshop")
    make_question(event, "Laptop OS", target="speaker", session_type_ids=(workshop.id,))
    make_question(event, "About the talk")  # a submission question is not asked here
    user, _profile = _speaker_with_proposal(event)  # a proposal without the session type
    gone, _ = _speaker_with_proposal(event, state="withdrawn", session_type=workshop)
    stranger = UserFactory()

    login(client, user)
    assert client.get(f"/{event.slug}/me/answers").status_code == 404
    login(client, gone)
    assert client.get(f"/{event.slug}/me/answers").status_code == 404
    login(client, stranger)
    assert client.get(f"/{event.slug}/me/answers").status_code == 404
    response = app.test_client().get(f"/{event.slug}/me/answers")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
