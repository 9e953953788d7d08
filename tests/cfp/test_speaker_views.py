"""CfP speaker pages: removing speakers, canceling invitations, the invitation limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lxml.html
from sqlalchemy import func, select

from podium.cfp import services
from podium.cfp.models import CoSpeakerInvitation, SpeakerProfile, Submission, SubmissionSpeaker
from podium.extensions import db
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.support.permissions import Route, check_matrix


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Typed title",
        "abstract": "Typed abstract",
        "description": "Typed description",
        "notes": "Typed private notes",
        "session_type": "",
        "track": "",
        "duration_minutes": "30",
        "language": "en",
        "audience_level": "all",
        "action": "submit",
    }
    data.update(overrides)
    return data


class _Team:
    """A submission with its submitter, two co-speakers (A, B) and a pending invitation each
    from the submitter and from B."""

    def __init__(self, slug: str = "spk") -> None:
        self.event = EventFactory(slug=slug)
        self.submitter = UserFactory(name="Sub")
        self.co_a = UserFactory(name="Ann")
        self.co_b = UserFactory(name="Bob")
        self.submission = SubmissionFactory(
            event=self.event, speaker=SpeakerProfileFactory(user=self.submitter)
        )
        self.profile_a = SpeakerProfileFactory(user=self.co_a)
        self.profile_b = SpeakerProfileFactory(user=self.co_b)
        for position, profile in enumerate((self.profile_a, self.profile_b), start=1):
            db.session.add(
                SubmissionSpeaker(
                    submission_id=self.submission.id, speaker_id=profile.id, position=position
                )
            )
        db.session.commit()
        self.by_submitter, self.token = services.invite_co_speaker(
            submission=self.submission, email="x@example.org", name="X", invited_by=self.submitter
        )
        self.by_b, _ = services.invite_co_speaker(
            submission=self.submission, email="y@example.org", name="Y", invited_by=self.co_b
        )

    @property
    def own(self) -> str:
        return f"/{self.event.slug}/me/submissions/{self.submission.id}"

    @property
    def orga(self) -> str:
        return f"/orga/{self.event.slug}/submissions/{self.submission.id}"

    def restore(self) -> None:
        """Put co-speaker A back and reopen both invitations (each matrix cell changes them)."""
        present = db.session.scalar(
            select(SubmissionSpeaker.id).where(
                SubmissionSpeaker.submission_id == self.submission.id,
                SubmissionSpeaker.speaker_id == self.profile_a.id,
            )
        )
        if present is None:
            db.session.add(
                SubmissionSpeaker(
                    submission_id=self.submission.id, speaker_id=self.profile_a.id, position=1
                )
            )
        db.session.execute(
            CoSpeakerInvitation.__table__.update()
            .where(CoSpeakerInvitation.submission_id == self.submission.id)
            .values(canceled_at=None)
        )
        db.session.commit()
        db.session.expire_all()

    def speaker_names(self) -> set[str]:
        db.session.expire_all()
        return set(
            db.session.scalars(
                select(SpeakerProfile.name)
                .join(SubmissionSpeaker, SubmissionSpeaker.speaker_id == SpeakerProfile.id)
                .where(SubmissionSpeaker.submission_id == self.submission.id)
            )
        )


def test_permission_matrix_removing_speakers_and_canceling_invitations(app) -> None:
    team = _Team(slug="spkmatrix")
    reviewer, organizer, user = UserFactory(), UserFactory(), UserFactory()
    admin = UserFactory(is_admin=True)
    MembershipFactory(event=team.event, user=organizer, role="organizer")
    MembershipFactory(event=team.event, user=reviewer, role="reviewer")
    users = {
        "anonymous": None,
        "user": user,
        "submitter": team.submitter,
        "co_speaker_a": team.co_a,
        "co_speaker_b": team.co_b,
        "reviewer": reviewer,
        "organizer": organizer,
        "admin": admin,
    }
    # Speakers of the submission see it, so a refusal is 403; everyone else gets 404.
    hidden_or_forbidden = (403, 404)
    routes = [
        Route(
            "POST",
            f"{team.own}/speakers/{team.profile_a.id}/remove",
            allowed={"submitter", "co_speaker_a"},
            denied_status=hidden_or_forbidden,
            setup=team.restore,
        ),
        Route(
            "POST",
            f"{team.own}/speakers/{team.submission.speakers[0].speaker_id}/remove",
            allowed=set(),
            denied_status=hidden_or_forbidden,
            setup=team.restore,
        ),
        Route(
            "POST",
            f"{team.own}/invitations/{team.by_submitter.id}/cancel",
            allowed={"submitter"},
            denied_status=hidden_or_forbidden,
            setup=team.restore,
        ),
        Route(
            "POST",
            f"{team.own}/invitations/{team.by_b.id}/cancel",
            allowed={"submitter", "co_speaker_b"},
            denied_status=hidden_or_forbidden,
            setup=team.restore,
        ),
        Route(
            "POST",
            f"{team.orga}/speakers/{team.profile_a.id}/remove",
            allowed={"organizer", "admin"},
            setup=team.restore,
        ),
        Route(
            "POST",
            f"{team.orga}/invitations/{team.by_b.id}/cancel",
            allowed={"organizer", "admin"},
            setup=team.restore,
        ),
    ]

    check_matrix(app, users, routes)


def test_co_speaker_cannot_remove_another_co_speaker_or_cancel_others_invitations(app) -> None:
    team = _Team()
    client = login(app.test_client(), team.co_a)

    removing_b = client.post(f"{team.own}/speakers/{team.profile_b.id}/remove")
    canceling = client.post(f"{team.own}/invitations/{team.by_submitter.id}/cancel")

    assert (removing_b.status_code, canceling.status_code) == (403, 403)
    assert team.speaker_names() == {"Sub", "Ann", "Bob"}


def test_removed_speaker_loses_the_submission_and_submitter_sees_the_change(app) -> None:
    team = _Team()
    submitter = login(app.test_client(), team.submitter)
    removed = login(app.test_client(), team.co_a)
    assert removed.get(f"{team.own}/edit").status_code == 200

    response = submitter.post(f"{team.own}/speakers/{team.profile_a.id}/remove")
    page = submitter.get(f"{team.own}/edit").get_data(as_text=True)

    assert response.status_code == 302
    assert "Ann is no longer a speaker" in page
    assert team.speaker_names() == {"Sub", "Bob"}
    assert removed.get(f"{team.own}/edit").status_code == 404
    assert removed.post(f"{team.own}/withdraw").status_code == 404
    assert team.submission.title not in removed.get("/spk/me/").get_data(as_text=True)


def test_co_speaker_leaves_and_lands_on_their_list(app) -> None:
    team = _Team()
    client = login(app.test_client(), team.co_b)

    response = client.post(f"{team.own}/speakers/{team.profile_b.id}/remove")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/spk/me/")
    assert "You are no longer a speaker" in client.get("/spk/me/").get_data(as_text=True)
    assert team.speaker_names() == {"Sub", "Ann"}


def test_edit_page_offers_only_allowed_buttons(app) -> None:
    team = _Team()

    def buttons(user) -> list[str]:  # type: ignore[no-untyped-def]
        page = login(app.test_client(), user).get(f"{team.own}/edit").get_data(as_text=True)
        return sorted(
            action.rsplit("/", 3)[-3] + "/" + action.rsplit("/", 3)[-2]
            for action in lxml.html.fromstring(page).xpath("//form/@action")
            if action.endswith(("/remove", "/cancel"))
        )

    assert buttons(team.submitter) == sorted(
        [
            f"speakers/{team.profile_a.id}",
            f"speakers/{team.profile_b.id}",
            f"invitations/{team.by_submitter.id}",
            f"invitations/{team.by_b.id}",
        ]
    )
    assert buttons(team.co_b) == sorted(
        [f"speakers/{team.profile_b.id}", f"invitations/{team.by_b.id}"]
    )


def test_canceled_invitation_link_answers_404(app) -> None:
    team = _Team()
    submitter = login(app.test_client(), team.submitter)
    invitee = login(app.test_client(), UserFactory())
    assert invitee.get(f"/invite/speaker/{team.token}").status_code == 200

    response = submitter.post(f"{team.own}/invitations/{team.by_submitter.id}/cancel")

    assert response.status_code == 302
    assert invitee.get(f"/invite/speaker/{team.token}").status_code == 404
    assert invitee.post(f"/invite/speaker/{team.token}").status_code == 404
    page = submitter.get(f"{team.own}/edit").get_data(as_text=True)
    assert "The invitation to x@example.org is canceled" in page
    assert "&lt;x@example.org&gt;" not in page  # no longer listed as waiting


def test_removing_and_canceling_after_deadline_refused_for_speakers_not_organizers(app) -> None:
    team = _Team()
    organizer = UserFactory()
    MembershipFactory(event=team.event, user=organizer, role="organizer")
    team.event.cfp_closes_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    submitter = login(app.test_client(), team.submitter)

    removing = submitter.post(f"{team.own}/speakers/{team.profile_a.id}/remove")
    canceling = submitter.post(f"{team.own}/invitations/{team.by_submitter.id}/cancel")
    orga = login(app.test_client(), organizer)
    orga_removing = orga.post(f"{team.orga}/speakers/{team.profile_a.id}/remove")
    orga_canceling = orga.post(f"{team.orga}/invitations/{team.by_submitter.id}/cancel")

    assert (removing.status_code, canceling.status_code) == (403, 403)
    assert "The call for proposals closed on" in removing.get_data(as_text=True)
    assert (orga_removing.status_code, orga_canceling.status_code) == (302, 302)
    assert team.speaker_names() == {"Sub", "Bob"}


def test_organizer_cannot_remove_the_submitter(app) -> None:
    team = _Team()
    organizer = UserFactory()
    MembershipFactory(event=team.event, user=organizer, role="organizer")
    submitter_profile = team.submission.speakers[0].speaker_id

    response = login(app.test_client(), organizer).post(
        f"{team.orga}/speakers/{submitter_profile}/remove"
    )

    assert response.status_code == 400
    assert "submitter cannot be removed" in response.get_data(as_text=True)
    assert team.speaker_names() == {"Sub", "Ann", "Bob"}


def _csrf_token(page: str) -> str:
    return lxml.html.fromstring(page).xpath("//input[@name='csrf_token']/@value")[0]


def test_remove_and_cancel_need_the_csrf_token(app) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    team = _Team()
    client = login(app.test_client(), team.submitter)
    remove = f"{team.own}/speakers/{team.profile_a.id}/remove"
    cancel = f"{team.own}/invitations/{team.by_submitter.id}/cancel"

    forged = [client.post(remove).status_code, client.post(cancel).status_code]
    token = _csrf_token(client.get(f"{team.own}/edit").get_data(as_text=True))
    real = [
        client.post(remove, data={"csrf_token": token}).status_code,
        client.post(cancel, data={"csrf_token": token}).status_code,
    ]

    assert forged == [400, 400]
    assert real == [302, 302]


def test_invitation_limit_is_a_field_error_and_keeps_what_was_typed(app, monkeypatch) -> None:
    monkeypatch.setattr(services, "CO_SPEAKER_INVITATION_LIMIT", 2)
    event = EventFactory(slug="limit", time_zone="Europe/Brussels")
    speaker = UserFactory()
    other = SubmissionFactory(event=event, speaker=SpeakerProfileFactory(user=speaker))
    for n in range(2):
        services.invite_co_speaker(
            submission=other, email=f"c{n}@example.org", name="C", invited_by=speaker
        )
    client = login(app.test_client(), speaker)

    response = client.post(
        "/limit/submit",
        data=_form(
            title="My typed title",
            co_speaker_email="third@example.org",
            co_speaker_name="Third Person",
        ),
    )
    page = lxml.html.fromstring(response.get_data(as_text=True))

    assert response.status_code == 400
    [error] = page.xpath("//p[@id='co_speaker_email-error']/text()")
    assert error.startswith("You sent 2 co-speaker invitations in the last 24 hours")
    assert "You can invite again from" in error and "(Europe/Brussels)" in error
    assert page.xpath("//input[@name='title']/@value") == ["My typed title"]
    assert page.xpath("//input[@name='co_speaker_email']/@value") == ["third@example.org"]
    assert page.xpath("//input[@name='co_speaker_name']/@value") == ["Third Person"]
    assert [t.strip() for t in page.xpath("//textarea[@name='notes']/text()")] == [
        "Typed private notes"
    ]
    assert db.session.scalar(select(func.count(Submission.id))) == 1  # only the earlier one
