"""Withdrawing and leaving: only the submitter withdraws (after a confirmation step, mailing
every speaker); a co-speaker leaves, also after the CfP closed; an organizer reopens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
from sqlalchemy import select

from podium.cfp import services
from podium.cfp.models import Submission, SubmissionStateChange
from podium.extensions import db
from podium.mail.models import OutboxMail
from tests.cfp.test_speaker_views import _Team
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory

CONFIRM = {"confirm": "withdraw"}


def _state(team: _Team) -> str:
    db.session.expire_all()
    return db.session.get(Submission, team.submission.id).state


def _withdrawn_mails() -> list[tuple[list[str], str]]:
    mails = db.session.scalars(
        select(OutboxMail)
        .where(OutboxMail.kind == "cfp_submission_withdrawn")
        .order_by(OutboxMail.id)
    )
    return [(m.recipients, m.subject) for m in mails]


def _links(page: str) -> list[str]:
    return lxml.html.fromstring(page).xpath("//a/@href")


def test_co_speaker_cannot_withdraw_and_is_offered_leaving(app) -> None:
    team = _Team()
    client = login(app.test_client(), team.co_a)

    page = client.get(f"{team.own}/edit").get_data(as_text=True)
    listing = client.get("/spk/me/").get_data(as_text=True)
    asking = client.get(f"{team.own}/withdraw")
    posting = client.post(f"{team.own}/withdraw", data=CONFIRM)

    assert f"{team.own}/withdraw" not in _links(page) + _links(listing)
    assert "Leave this submission" in page
    assert (asking.status_code, posting.status_code) == (403, 403)
    assert "Only the submitter can withdraw this proposal" in posting.get_data(as_text=True)
    assert _state(team) == "submitted"
    assert _withdrawn_mails() == []


def test_submitter_sees_a_confirmation_page_before_anything_happens(app) -> None:
    team = _Team()
    client = login(app.test_client(), team.submitter)

    edit_page = client.get(f"{team.own}/edit").get_data(as_text=True)
    asked = client.get(f"{team.own}/withdraw")
    unconfirmed = client.post(f"{team.own}/withdraw")

    assert f"{team.own}/withdraw" in _links(edit_page)
    for response in (asked, unconfirmed):
        assert response.status_code == 200
        doc = lxml.html.fromstring(response.get_data(as_text=True))
        assert [li.text_content() for li in doc.xpath("//ul[@class='withdraw-speakers']/li")] == [
            f"{team.submission.speakers[0].speaker.name} (you, the submitter)",
            team.profile_a.name,
            team.profile_b.name,
        ]
        assert doc.xpath("//form/input[@name='confirm']/@value") == ["withdraw"]
    assert _state(team) == "submitted"
    assert _withdrawn_mails() == []


def test_confirmed_withdrawal_records_the_change_and_mails_every_speaker(app) -> None:
    team = _Team()
    client = login(app.test_client(), team.submitter)

    response = client.post(f"{team.own}/withdraw", data=CONFIRM)

    assert response.status_code == 302
    assert _state(team) == "withdrawn"
    change = db.session.scalars(
        select(SubmissionStateChange)
        .where(SubmissionStateChange.submission_id == team.submission.id)
        .order_by(SubmissionStateChange.id.desc())
    ).first()
    assert (change.from_state, change.to_state, change.actor_id) == (
        "submitted",
        "withdrawn",
        team.submitter.id,
    )
    subject = f"“{team.submission.title}” was withdrawn from {team.event.name}"
    assert _withdrawn_mails() == [
        ([team.submitter.email], subject),
        ([team.co_a.email], subject),
        ([team.co_b.email], subject),
    ]
    bodies = db.session.scalars(
        select(OutboxMail.body_text)
        .where(OutboxMail.kind == "cfp_submission_withdrawn")
        .order_by(OutboxMail.id)
    ).all()
    assert "you withdrew the proposal" in bodies[0]
    assert "Sub withdrew the proposal" in bodies[1]


def test_co_speaker_leaves_an_accepted_talk_after_the_cfp_closed(app) -> None:
    team = _Team()
    team.event.cfp_closes_at = datetime.now(UTC) - timedelta(days=1)
    team.submission.state = "accepted"
    db.session.commit()
    client = login(app.test_client(), team.co_a)

    page = client.get(f"{team.own}/edit").get_data(as_text=True)
    leaving = client.post(f"{team.own}/speakers/{team.profile_a.id}/remove")
    # Removing someone else stays limited to the CfP window.
    submitter = login(app.test_client(), team.submitter)
    removing = submitter.post(f"{team.own}/speakers/{team.profile_b.id}/remove")

    assert "Leave this submission" in page
    assert leaving.status_code == 302
    assert removing.status_code == 403
    assert team.speaker_names() == {"Sub", "Bob"}
    assert _state(team) == "accepted"


def test_organizer_reopens_a_withdrawn_proposal_with_who_and_when(app) -> None:
    team = _Team()
    organizer = UserFactory(name="Olga Organizer")
    MembershipFactory(event=team.event, user=organizer, role="organizer")
    services.withdraw_submission(submission=team.submission, actor=team.submitter)
    orga = login(app.test_client(), organizer)

    page = orga.get(team.orga).get_data(as_text=True)
    response = orga.post(f"{team.orga}/reopen")
    after = orga.get(team.orga).get_data(as_text=True)

    assert f"{team.orga}/reopen" in lxml.html.fromstring(page).xpath("//form/@action")
    assert response.status_code == 302
    assert _state(team) == "submitted"
    last = db.session.scalars(
        select(SubmissionStateChange)
        .where(SubmissionStateChange.submission_id == team.submission.id)
        .order_by(SubmissionStateChange.id.desc())
    ).first()
    assert (last.from_state, last.to_state, last.actor_id, last.note) == (
        "withdrawn",
        "submitted",
        organizer.id,
        "reopened",
    )
    assert last.created_at is not None
    history = lxml.html.fromstring(after).xpath(
        "//h2[text()='History']/following-sibling::ul[1]/li"
    )
    assert [li.text_content().split(": ", 1)[1] for li in history][-2:] == [
        "submitted → withdrawn by Sub",
        "withdrawn → submitted by Olga Organizer (reopened)",
    ]
    assert f"{team.orga}/reopen" not in lxml.html.fromstring(after).xpath("//form/@action")


def test_reopen_refuses_other_states_and_other_people(app) -> None:
    team = _Team()
    organizer, reviewer = UserFactory(), UserFactory()
    MembershipFactory(event=team.event, user=organizer, role="organizer")
    MembershipFactory(event=team.event, user=reviewer, role="reviewer")

    orga = login(app.test_client(), organizer)
    not_withdrawn = orga.post(f"{team.orga}/reopen")
    assert not_withdrawn.status_code == 302
    assert _state(team) == "submitted"
    assert (
        f"“{team.submission.title}” cannot be reopened: only a withdrawn submission can be "
        "reopened, not a submitted one."
    ) in lxml.html.fromstring(orga.get(team.orga).get_data(as_text=True)).text_content()
    with pytest.raises(services.TransitionError, match="only a withdrawn submission"):
        services.reopen_submission(submission=team.submission, actor=organizer)

    services.withdraw_submission(submission=team.submission, actor=team.submitter)
    for user, status in ((team.submitter, 403), (reviewer, 403), (UserFactory(), 403)):
        assert login(app.test_client(), user).post(f"{team.orga}/reopen").status_code == status
    assert app.test_client().post(f"{team.orga}/reopen").status_code == 302  # to the login
    assert _state(team) == "withdrawn"


def test_reopen_refuses_a_proposal_withdrawn_as_a_draft(app) -> None:
    team = _Team()
    team.submission.state, team.submission.submitted_at = "draft", None
    db.session.commit()
    services.withdraw_submission(submission=team.submission, actor=team.submitter)
    organizer = UserFactory()
    MembershipFactory(event=team.event, user=organizer, role="organizer")

    with pytest.raises(services.TransitionError, match="withdrawn as a draft"):
        services.reopen_submission(submission=team.submission, actor=organizer)
    assert _state(team) == "withdrawn"
