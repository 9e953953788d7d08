"""CfP speaker services: the receipt mail, removing speakers, canceling and limiting
co-speaker invitations, and claiming an invitation once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from podium.cfp import services
from podium.cfp.models import CoSpeakerInvitation, SpeakerProfile, SubmissionSpeaker
from podium.extensions import db
from podium.mail.models import OutboxMail
from tests.support.factories import (
    EventFactory,
    SessionTypeFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)


def _content(**overrides: object) -> services.SubmissionContent:
    values: dict[str, object] = {"title": "Rust for Pythonistas", "abstract": "Why and how."}
    values.update(overrides)
    return services.SubmissionContent(**values)  # type: ignore[arg-type]


def _mails(kind: str) -> list[OutboxMail]:
    return list(
        db.session.scalars(
            select(OutboxMail).where(OutboxMail.kind == kind).order_by(OutboxMail.id)
        )
    )


def _speaker_user_ids(submission_id: int) -> set[int | None]:
    return set(
        db.session.scalars(
            select(SpeakerProfile.user_id)
            .join(SubmissionSpeaker, SubmissionSpeaker.speaker_id == SpeakerProfile.id)
            .where(SubmissionSpeaker.submission_id == submission_id)
        )
    )


# -- "we received your proposal" -------------------------------------------------------------


def test_submitting_mails_receipt_with_type_deadline_in_event_zone_and_link(app) -> None:
    event = EventFactory(
        name="PyCon Kiwi",
        time_zone="Pacific/Auckland",
        cfp_opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        cfp_closes_at=datetime(2026, 12, 1, 10, 59, tzinfo=UTC),
    )
    workshop = SessionTypeFactory(event=event, name="Workshop", default_duration_minutes=90)
    speaker = UserFactory(email="sam@example.org", name="Sam")

    submission = services.create_submission(
        event=event,
        submitter=speaker,
        content=_content(session_type_id=workshop.id),
        now=datetime(2026, 11, 30, tzinfo=UTC),
    )

    [mail] = _mails("cfp_submission_received")
    assert mail.recipients == ["sam@example.org"]
    assert mail.subject == "We received your proposal “Rust for Pythonistas” for PyCon Kiwi"
    for body in (mail.body_text, mail.body_html):
        assert "Workshop (90 minutes)" in body
        assert "2026-12-01 23:59 NZDT (Pacific/Auckland)" in body
        assert f"http://localhost/{event.slug}/me/submissions/{submission.id}/edit" in body
    assert mail.event_id == event.id


def test_draft_sends_no_receipt_and_submitting_it_later_sends_one_per_speaker(app) -> None:
    event = EventFactory()
    submitter = UserFactory(email="first@example.org")
    co_user = UserFactory(email="second@example.org")
    draft = services.create_submission(
        event=event, submitter=submitter, content=_content(duration_minutes=20), submit=False
    )
    invitation, _token = services.invite_co_speaker(
        submission=draft, email=co_user.email, name="Co", invited_by=submitter
    )
    services.accept_co_speaker_invitation(invitation=invitation, user=co_user)
    # Imported speakers have no account and so no address; they are skipped.
    db.session.add(
        SubmissionSpeaker(submission_id=draft.id, speaker_id=SpeakerProfileFactory().id, position=5)
    )
    db.session.commit()
    assert _mails("cfp_submission_received") == []

    services.update_submission(
        submission=draft, actor=co_user, content=_content(duration_minutes=20), submit=True
    )

    mails = _mails("cfp_submission_received")
    assert sorted(m.recipients[0] for m in mails) == ["first@example.org", "second@example.org"]


def test_edits_after_submitting_and_a_reverted_rejection_send_no_second_receipt(app) -> None:
    event = EventFactory()
    speaker, organizer = UserFactory(), UserFactory()
    submission = services.create_submission(
        event=event, submitter=speaker, content=_content(duration_minutes=20)
    )

    services.update_submission(
        submission=submission, actor=speaker, content=_content(duration_minutes=25), submit=True
    )
    services.change_state(submission=submission, to_state="rejected", actor=organizer)
    services.change_state(submission=submission, to_state="submitted", actor=organizer)

    assert len(_mails("cfp_submission_received")) == 1


def test_second_submit_with_stale_draft_sends_no_second_receipt(app: Flask) -> None:
    """Two requests submit one draft: the second loaded it before the first committed."""
    event = EventFactory()
    speaker = UserFactory()
    draft = services.create_submission(
        event=event, submitter=speaker, content=_content(duration_minutes=20), submit=False
    )
    stale = db.session.get(type(draft), draft.id)
    assert stale.submitted_at is None

    with app.app_context():  # another request, another database session
        other = db.session.get(type(draft), draft.id)
        services.change_state(
            submission=other, to_state="submitted", actor=speaker, by_speaker=True
        )
    services.change_state(submission=stale, to_state="submitted", actor=speaker, by_speaker=True)

    assert len(_mails("cfp_submission_received")) == 1


def test_schedule_import_style_changes_send_no_receipt(app) -> None:
    speaker = UserFactory()
    submission = SubmissionFactory(state="draft", speaker=SpeakerProfileFactory(user=speaker))

    services.change_state(submission=submission, to_state="submitted", actor=None)

    assert submission.submitted_at is not None
    assert _mails("cfp_submission_received") == []


def test_co_speaker_joining_submitted_proposal_is_told_what_they_joined(app) -> None:
    event = EventFactory(name="EuroConf")
    submitter = UserFactory()
    joiner = UserFactory(email="joiner@example.org")
    submission = services.create_submission(
        event=event, submitter=submitter, content=_content(duration_minutes=20)
    )
    invitation, _token = services.invite_co_speaker(
        submission=submission, email=joiner.email, name="Jo", invited_by=submitter
    )

    services.accept_co_speaker_invitation(invitation=invitation, user=joiner)

    [mail] = _mails("cfp_co_speaker_joined")
    assert mail.recipients == ["joiner@example.org"]
    assert "Rust for Pythonistas" in mail.subject
    assert "It was submitted, so the organizers have it." in mail.body_text
    assert f"/me/submissions/{submission.id}/edit" in mail.body_text
    assert len(_mails("cfp_submission_received")) == 1  # the submitter's only


def test_co_speaker_joining_a_draft_is_told_it_still_needs_submitting(app) -> None:
    submitter, joiner = UserFactory(), UserFactory()
    draft = services.create_submission(
        event=EventFactory(),
        submitter=submitter,
        content=_content(duration_minutes=20),
        submit=False,
    )
    invitation, _token = services.invite_co_speaker(
        submission=draft, email=joiner.email, name="Jo", invited_by=submitter
    )

    services.accept_co_speaker_invitation(invitation=invitation, user=joiner)

    [mail] = _mails("cfp_co_speaker_joined")
    assert "It is still a draft" in mail.body_text


@pytest.mark.parametrize("state", ["accepted", "rejected"])
def test_co_speaker_joining_a_decided_proposal_is_not_told_they_can_edit_it(
    app, state: str
) -> None:
    # The CfP is still open, but speakers edit only drafts and submitted proposals.
    submitter, joiner = UserFactory(), UserFactory()
    submission = services.create_submission(
        event=EventFactory(), submitter=submitter, content=_content(duration_minutes=20)
    )
    invitation, _token = services.invite_co_speaker(
        submission=submission, email=joiner.email, name="Jo", invited_by=submitter
    )
    services.change_state(submission=submission, to_state=state, actor=None)

    services.accept_co_speaker_invitation(invitation=invitation, user=joiner)

    [mail] = _mails("cfp_co_speaker_joined")
    for body in (mail.body_text, mail.body_html):
        assert "can edit" not in body
        assert "closed on" not in body  # it has not closed
        assert "You can read the proposal here:" in body
        assert f"/me/submissions/{submission.id}/edit" in body


# -- removing speakers and canceling invitations ----------------------------------------------


def _with_co_speaker() -> tuple[object, object, object, SpeakerProfile]:
    submitter, co = UserFactory(), UserFactory(email="co@example.org")
    submission = services.create_submission(
        event=EventFactory(), submitter=submitter, content=_content(duration_minutes=20)
    )
    invitation, _token = services.invite_co_speaker(
        submission=submission, email=co.email, name="Co", invited_by=submitter
    )
    services.accept_co_speaker_invitation(invitation=invitation, user=co)
    profile = db.session.scalar(select(SpeakerProfile).where(SpeakerProfile.user_id == co.id))
    return submission, submitter, co, profile


def test_remove_co_speaker_unlinks_and_mails_them(app) -> None:
    submission, submitter, _co, profile = _with_co_speaker()

    services.remove_speaker(submission=submission, speaker=profile, actor=submitter)

    assert _speaker_user_ids(submission.id) == {submitter.id}
    [mail] = _mails("cfp_speaker_removed")
    assert mail.recipients == ["co@example.org"]


@pytest.mark.parametrize("as_organizer", [False, True])
def test_removed_co_speaker_cannot_rejoin_through_an_invitation_they_sent(
    app, as_organizer: bool
) -> None:
    submission, submitter, co, profile = _with_co_speaker()
    second_account = UserFactory(email="co.alt@example.org")
    sent, _token = services.invite_co_speaker(
        submission=submission, email=second_account.email, name="Co again", invited_by=co
    )
    kept, _token = services.invite_co_speaker(
        submission=submission, email="friend@example.org", name="Friend", invited_by=submitter
    )

    services.remove_speaker(
        submission=submission, speaker=profile, actor=submitter, as_organizer=as_organizer
    )

    db.session.refresh(sent)
    db.session.refresh(kept)
    assert sent.canceled_at is not None
    assert kept.canceled_at is None  # the remaining speakers' invitations stand
    with pytest.raises(services.InvitationUsedError):
        services.accept_co_speaker_invitation(invitation=sent, user=second_account)
    assert _speaker_user_ids(submission.id) == {submitter.id}


def test_co_speaker_leaving_keeps_the_invitations_they_sent(app) -> None:
    # Leaving is their own choice; whoever they invited (a replacement) may still join.
    submission, _submitter, co, profile = _with_co_speaker()
    sent, _token = services.invite_co_speaker(
        submission=submission, email="replacement@example.org", name="Rep", invited_by=co
    )

    services.remove_speaker(submission=submission, speaker=profile, actor=co)

    db.session.refresh(sent)
    assert sent.canceled_at is None


def test_co_speaker_leaving_gets_no_mail(app) -> None:
    submission, submitter, co, profile = _with_co_speaker()

    services.remove_speaker(submission=submission, speaker=profile, actor=co)

    assert _speaker_user_ids(submission.id) == {submitter.id}
    assert _mails("cfp_speaker_removed") == []


def test_submitter_and_last_speaker_are_never_removed(app) -> None:
    submission, submitter, co, _profile = _with_co_speaker()
    submitter_profile = db.session.scalar(
        select(SpeakerProfile).where(SpeakerProfile.user_id == submitter.id)
    )
    with pytest.raises(services.SubmissionError, match="submitter cannot be removed"):
        services.remove_speaker(
            submission=submission, speaker=submitter_profile, actor=co, as_organizer=True
        )
    lonely = SubmissionFactory(speaker=None)
    only = SpeakerProfileFactory()
    db.session.add(SubmissionSpeaker(submission_id=lonely.id, speaker_id=only.id))
    db.session.commit()
    with pytest.raises(services.SubmissionError, match="at least one speaker"):
        services.remove_speaker(submission=lonely, speaker=only, actor=co, as_organizer=True)

    assert _speaker_user_ids(submission.id) == {submitter.id, co.id}


def test_remove_speaker_after_deadline_refused_for_speakers_allowed_for_organizers(app) -> None:
    submission, submitter, _co, profile = _with_co_speaker()
    late = submission.event.cfp_closes_at + timedelta(seconds=1)

    with pytest.raises(services.DeadlineError):
        services.remove_speaker(submission=submission, speaker=profile, actor=submitter, now=late)
    services.remove_speaker(
        submission=submission, speaker=profile, actor=UserFactory(), as_organizer=True, now=late
    )

    assert _speaker_user_ids(submission.id) == {submitter.id}


def test_canceled_invitation_link_stops_working_and_can_be_reissued(app) -> None:
    submitter = UserFactory()
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=submitter))
    invitation, token = services.invite_co_speaker(
        submission=submission, email="co@example.org", name="Co", invited_by=submitter
    )

    services.cancel_co_speaker_invitation(invitation=invitation, actor=submitter)

    assert invitation.canceled_at is not None
    assert services.find_co_speaker_invitation(token) is None
    with pytest.raises(services.InvitationUsedError, match="canceled"):
        services.accept_co_speaker_invitation(invitation=invitation, user=UserFactory())
    with pytest.raises(services.InvitationUsedError):
        services.cancel_co_speaker_invitation(invitation=invitation, actor=submitter)
    # The address is free again for a new invitation.
    services.invite_co_speaker(
        submission=submission, email="co@example.org", name="Co", invited_by=submitter
    )


def test_cancel_after_deadline_refused_for_speakers(app) -> None:
    submitter = UserFactory()
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=submitter))
    invitation, token = services.invite_co_speaker(
        submission=submission, email="co@example.org", name="Co", invited_by=submitter
    )
    late = submission.event.cfp_closes_at + timedelta(minutes=1)

    with pytest.raises(services.DeadlineError):
        services.cancel_co_speaker_invitation(invitation=invitation, actor=submitter, now=late)

    assert services.find_co_speaker_invitation(token) is not None


# -- the invitation limit -----------------------------------------------------------------------


def test_invitation_limit_counts_a_rolling_window_and_names_when(app, monkeypatch) -> None:
    monkeypatch.setattr(services, "CO_SPEAKER_INVITATION_LIMIT", 3)
    event = EventFactory(time_zone="Europe/Brussels")
    inviter = UserFactory()
    submission = SubmissionFactory(event=event, speaker=SpeakerProfileFactory(user=inviter))
    start = datetime(2026, 11, 30, 8, 0, 30, tzinfo=UTC)
    for minutes in (0, 10, 20):
        services.invite_co_speaker(
            submission=submission,
            email=f"co{minutes}@example.org",
            name="Co",
            invited_by=inviter,
            now=start + timedelta(minutes=minutes),
        )
    # Canceling does not give the place back: the mail was sent.
    first = db.session.scalars(select(CoSpeakerInvitation).order_by(CoSpeakerInvitation.id)).first()
    services.cancel_co_speaker_invitation(invitation=first, actor=inviter)

    with pytest.raises(services.SubmissionError) as refused:
        services.invite_co_speaker(
            submission=submission,
            email="more@example.org",
            name="More",
            invited_by=inviter,
            now=start + timedelta(hours=23),
        )
    # Another user is not limited by this one's invitations.
    services.invite_co_speaker(
        submission=submission,
        email="other@example.org",
        name="O",
        invited_by=UserFactory(),
        now=start + timedelta(hours=23),
    )
    # The oldest leaves the window at 08:00:30 UTC the next day, shown as 09:01 in Brussels.
    services.invite_co_speaker(
        submission=submission,
        email="later@example.org",
        name="Later",
        invited_by=inviter,
        now=start + timedelta(hours=24, seconds=1),
    )

    assert refused.value.field == "co_speaker_email"
    assert "You can invite again from 2026-12-01 09:01 CET (Europe/Brussels)." in str(refused.value)
    assert (
        db.session.scalar(
            select(func.count()).where(CoSpeakerInvitation.email == "more@example.org")
        )
        == 0
    )


def test_organizer_invitations_are_not_limited(app, monkeypatch) -> None:
    monkeypatch.setattr(services, "CO_SPEAKER_INVITATION_LIMIT", 1)
    organizer = UserFactory()
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=UserFactory()))
    for n in range(2):
        services.update_submission(
            submission=submission,
            actor=organizer,
            content=_content(duration_minutes=20),
            co_speaker=services.CoSpeakerInput(email=f"o{n}@example.org", name="O"),
            as_organizer=True,
        )

    assert db.session.scalar(select(func.count(CoSpeakerInvitation.id))) == 2


# -- claiming an invitation once ----------------------------------------------------------------


def test_second_account_with_stale_invitation_cannot_also_accept(app: Flask) -> None:
    """Both requests loaded the open invitation; the first commits before the second claims."""
    submitter, first, second = UserFactory(), UserFactory(), UserFactory()
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=submitter))
    _invitation, token = services.invite_co_speaker(
        submission=submission, email="co@example.org", name="Co", invited_by=submitter
    )
    stale = services.find_co_speaker_invitation(token)
    assert stale is not None and stale.accepted_at is None

    with app.app_context():  # the first request, in its own database session
        mine = services.find_co_speaker_invitation(token)
        services.accept_co_speaker_invitation(invitation=mine, user=first)

    with pytest.raises(services.InvitationUsedError, match="already used"):
        services.accept_co_speaker_invitation(invitation=stale, user=second)

    assert _speaker_user_ids(submission.id) == {submitter.id, first.id}
    assert db.session.scalar(select(CoSpeakerInvitation.accepted_by_id)) == first.id


def test_same_account_accepting_twice_is_harmless(app: Flask) -> None:
    submitter, co = UserFactory(), UserFactory()
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=submitter))
    _invitation, token = services.invite_co_speaker(
        submission=submission, email="co@example.org", name="Co", invited_by=submitter
    )
    stale = services.find_co_speaker_invitation(token)
    with app.app_context():
        services.accept_co_speaker_invitation(
            invitation=services.find_co_speaker_invitation(token), user=co
        )

    link = services.accept_co_speaker_invitation(invitation=stale, user=co)

    assert link.submission_id == submission.id
    assert _speaker_user_ids(submission.id) == {submitter.id, co.id}
    assert len(_mails("cfp_co_speaker_joined")) == 1


@pytest.mark.backend("postgresql")  # real concurrency; SQLite allows one writer
def test_two_accounts_accepting_at_once_in_threads_one_wins(app: Flask) -> None:
    submitter = UserFactory()
    users = [UserFactory(), UserFactory()]
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=submitter))
    _invitation, token = services.invite_co_speaker(
        submission=submission, email="co@example.org", name="Co", invited_by=submitter
    )
    user_ids = [u.id for u in users]
    barrier = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []

    def accept(user_id: int) -> None:
        with app.app_context():
            try:
                invitation = services.find_co_speaker_invitation(token)
                user = db.session.get(type(submitter), user_id)
                assert invitation is not None
                barrier.wait()  # both hold the open invitation before either claims it
                services.accept_co_speaker_invitation(invitation=invitation, user=user)
                outcomes.append("accepted")
            except services.InvitationUsedError:
                outcomes.append("used")
            except Exception as exc:
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(t.is_alive() for t in threads)
    assert sorted(outcomes) == ["accepted", "used"]
    db.session.expire_all()
    assert len(_speaker_user_ids(submission.id) & set(user_ids)) == 1
