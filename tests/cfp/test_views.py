"""CfP pages: submitting, editing, withdrawing, co-speakers, profile, organizer list."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime

import lxml.html
import pytest
from PIL import Image
from sqlalchemy import select

from podium.cfp import services
from podium.cfp.models import CoSpeakerInvitation, SpeakerProfile, Submission, SubmissionSpeaker
from podium.extensions import db
from podium.mail.models import OutboxMail
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SessionTypeFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    TrackFactory,
    UserFactory,
)
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries

EVIL_MARKDOWN = (
    "Hello <script>alert(1)</script> "
    '<img src=x onerror="alert(2)"> '
    "[click](javascript:alert(3)) "
    '<a href="javascript:alert(4)" onclick="alert(5)">x</a>'
)


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Typed title",
        "abstract": "Typed abstract",
        "description": "Typed description",
        "notes": "Typed private notes",
        "session_type": "",
        "track": "",
        "duration_minutes": "",
        "language": "en",
        "audience_level": "all",
        "action": "submit",
    }
    data.update(overrides)
    return data


def _assert_clean(html: str) -> None:
    """No script element, no on* handler attribute, no javascript: URL in the parsed page.

    The attack text may still appear escaped as visible text; what matters is the markup.
    """
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//script[not(@src)]") == []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{element.tag} has {name}"
            assert "javascript:" not in value.lower(), f"{element.tag} {name}={value}"


def test_cfp_page_shows_window_in_event_zone(app, client) -> None:
    event = EventFactory(
        time_zone="Pacific/Auckland",
        cfp_opens_at=datetime(2026, 9, 30, 20, 0, tzinfo=UTC),
        cfp_closes_at=datetime(2026, 12, 1, 10, 59, tzinfo=UTC),
        description=EVIL_MARKDOWN,
    )

    page = client.get(f"/{event.slug}/cfp").get_data(as_text=True)

    assert "2026-12-01 23:59 NZDT (Pacific/Auckland)" in page
    assert "2026-10-01 09:00 NZDT (Pacific/Auckland)" in page
    _assert_clean(page)


def test_cfp_page_of_private_event_is_404_for_public(app, client) -> None:
    event = EventFactory(is_public=False)

    assert client.get(f"/{event.slug}/cfp").status_code == 404
    assert client.get("/no-such-event/cfp").status_code == 404


def test_submit_uses_session_type_duration_and_lists_under_me(app, client, db_session) -> None:
    event = EventFactory()
    talk = SessionTypeFactory(event=event, name="Talk", default_duration_minutes=25)
    track = TrackFactory(event=event, name="Web")
    login(client, UserFactory(name="Sam"))

    response = client.post(
        f"/{event.slug}/submit", data=_form(session_type=str(talk.id), track=str(track.id))
    )

    submission = db_session.scalar(select(Submission))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/{event.slug}/me/"
    assert (submission.state, submission.duration_minutes, submission.track_id) == (
        "submitted",
        25,
        track.id,
    )
    page = client.get(f"/{event.slug}/me/").get_data(as_text=True)
    assert "Typed title" in page
    assert 'class="badge state-submitted">submitted<' in page


def test_submit_save_as_draft_keeps_draft(app, client, db_session) -> None:
    event = EventFactory()
    login(client, UserFactory())

    client.post(f"/{event.slug}/submit", data=_form(duration_minutes="30", action="draft"))

    assert db_session.scalar(select(Submission.state)) == "draft"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 301}, "Field cannot be longer than 300 characters."),
        ({"abstract": "a" * 2001}, "Field cannot be longer than 2000 characters."),
        ({"duration_minutes": "0"}, "Between 1 and 1440 minutes."),
        ({"duration_minutes": ""}, "Enter the duration in minutes."),
        ({"co_speaker_email": "a@example.org"}, "Enter the co-speaker&#39;s name."),
        ({"co_speaker_email": "bad-address", "co_speaker_name": "B"}, "Invalid email address."),
    ],
)
def test_submit_bad_input_field_message_and_values_kept(
    app, client, db_session, overrides, message
) -> None:
    event = EventFactory()
    login(client, UserFactory())

    response = client.post(f"/{event.slug}/submit", data=_form(**overrides))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "Typed private notes" in page
    assert "Typed description" in page
    assert db_session.scalar(select(Submission)) is None


def test_submit_after_deadline_refused_with_text_kept(app, client, db_session) -> None:
    event = EventFactory(
        time_zone="America/Los_Angeles",
        cfp_opens_at=datetime(2020, 1, 1, tzinfo=UTC),
        cfp_closes_at=datetime(2020, 7, 16, 6, 59, tzinfo=UTC),
    )
    login(client, UserFactory())

    form_page = client.get(f"/{event.slug}/submit").get_data(as_text=True)
    response = client.post(f"/{event.slug}/submit", data=_form(duration_minutes="30"))

    page = response.get_data(as_text=True)
    assert "<form" not in form_page.split("</header>")[1].split("</main>")[0]
    assert response.status_code == 403
    assert "closed on 2020-07-15 23:59 PDT (America/Los_Angeles)" in page
    assert "Typed abstract" in page
    assert db_session.scalar(select(Submission)) is None


def _two_speakers() -> tuple:  # type: ignore[type-arg]
    event = EventFactory()
    owner, intruder = UserFactory(name="Owner"), UserFactory(name="Intruder")
    submission = SubmissionFactory(
        event=event, title="Owner's talk", speaker=SpeakerProfileFactory(user=owner)
    )
    SubmissionFactory(event=event, speaker=SpeakerProfileFactory(user=intruder))
    return event, owner, intruder, submission


def test_speaker_cannot_read_edit_or_withdraw_anothers_submission(app, client, db_session) -> None:
    event, _owner, intruder, submission = _two_speakers()
    login(client, intruder)
    url = f"/{event.slug}/me/submissions/{submission.id}"

    read = client.get(f"{url}/edit")
    edit = client.post(f"{url}/edit", data=_form(title="Hijacked", duration_minutes="30"))
    withdraw = client.post(f"{url}/withdraw")
    listing = client.get(f"/{event.slug}/me/").get_data(as_text=True)

    assert (read.status_code, edit.status_code, withdraw.status_code) == (404, 404, 404)
    assert "Owner&#39;s talk" not in read.get_data(as_text=True)
    assert "Owner&#39;s talk" not in listing
    db_session.expire_all()
    stored = db_session.get(Submission, submission.id)
    assert (stored.title, stored.state) == ("Owner's talk", "submitted")


def test_speaker_submission_under_other_event_slug_is_404(app, client) -> None:
    event, owner, _intruder, submission = _two_speakers()
    other = EventFactory()
    login(client, owner)

    assert client.get(f"/{other.slug}/me/submissions/{submission.id}/edit").status_code == 404
    assert client.get(f"/{event.slug}/me/submissions/{submission.id}/edit").status_code == 200


def test_edit_own_submission_saves_and_shows_pending_invitation(app, client, db_session) -> None:
    event, owner, _intruder, submission = _two_speakers()
    login(client, owner)

    response = client.post(
        f"/{event.slug}/me/submissions/{submission.id}/edit",
        data=_form(
            title="New title",
            duration_minutes="45",
            action="save",
            co_speaker_email="co@example.org",
            co_speaker_name="Co Typed",
        ),
    )

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Co Typed &lt;co@example.org&gt;" in page
    db_session.expire_all()
    stored = db_session.get(Submission, submission.id)
    assert (stored.title, stored.duration_minutes, stored.state) == ("New title", 45, "submitted")


def test_edit_after_deadline_read_only_and_post_refused(app, client, db_session) -> None:
    owner = UserFactory()
    event = EventFactory(
        cfp_opens_at=datetime(2020, 1, 1, tzinfo=UTC),
        cfp_closes_at=datetime(2020, 2, 1, tzinfo=UTC),
    )
    submission = SubmissionFactory(
        event=event, speaker=SpeakerProfileFactory(user=owner), abstract=EVIL_MARKDOWN
    )
    login(client, owner)
    url = f"/{event.slug}/me/submissions/{submission.id}/edit"

    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data=_form(title="Too late", duration_minutes="30"))

    assert "This submission can no longer be edited." in page
    _assert_clean(page)
    assert response.status_code == 403
    assert "Too late" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Submission, submission.id).title != "Too late"


def test_withdraw_own_submission(app, client, db_session) -> None:
    event, owner, _intruder, submission = _two_speakers()
    login(client, owner)

    confirmed = {"confirm": "withdraw"}  # the confirmation step (tests/cfp/test_withdraw.py)
    response = client.post(f"/{event.slug}/me/submissions/{submission.id}/withdraw", data=confirmed)
    again = client.post(f"/{event.slug}/me/submissions/{submission.id}/withdraw", data=confirmed)

    assert response.status_code == 302
    assert again.status_code == 302
    db_session.expire_all()
    assert db_session.get(Submission, submission.id).state == "withdrawn"
    assert "A withdrawn submission cannot be withdrawn." in client.get(
        f"/{event.slug}/me/"
    ).get_data(as_text=True)


def test_withdraw_get_only_asks_for_confirmation(app, client, db_session) -> None:
    event, owner, _intruder, submission = _two_speakers()
    login(client, owner)

    page = client.get(f"/{event.slug}/me/submissions/{submission.id}/withdraw")

    assert page.status_code == 200
    assert "Yes, withdraw it" in page.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Submission, submission.id).state == "submitted"


def test_co_speaker_invitation_link_existing_account_accepts(app, client, db_session) -> None:
    event = EventFactory()
    submitter = UserFactory(name="Sue")
    invitee = UserFactory(email="alice@example.org", name="Alice Account")
    login(client, submitter)
    client.post(
        f"/{event.slug}/submit",
        data=_form(
            duration_minutes="30", co_speaker_email="alice@example.org", co_speaker_name="Ally"
        ),
    )
    mail = db_session.scalar(select(OutboxMail))
    path = next(
        line for line in mail.body_text.splitlines() if "/invite/speaker/" in line
    ).removeprefix("http://localhost")

    anonymous = app.test_client().get(path)
    invited = login(app.test_client(), invitee)
    page = invited.get(path).get_data(as_text=True)
    accepted = invited.post(path)

    assert "log in with your account" in mail.body_text
    assert anonymous.status_code == 302
    assert "/account/login" in anonymous.headers["Location"]
    assert "You will appear as <strong>Alice Account</strong>" in page
    assert accepted.status_code == 302
    names = invited.get(f"/{event.slug}/me/").get_data(as_text=True)
    assert "Sue, Alice Account" in names
    assert db_session.scalar(select(CoSpeakerInvitation.name)) == "Ally"
    assert invited.get(path).status_code == 404


def test_profile_saves_bio_and_avatar_served_by_route(app, client, db_session) -> None:
    user = UserFactory(name="Account Name")
    login(client, user)
    image = io.BytesIO()
    Image.new("RGB", (64, 64), (0, 128, 0)).save(image, format="PNG")
    image.seek(0)

    form_page = client.get("/speaker/profile").get_data(as_text=True)
    response = client.post(
        "/speaker/profile",
        data={"name": "Stage Name", "biography": EVIL_MARKDOWN, "avatar": (image, "me.png")},
        content_type="multipart/form-data",
    )

    profile = db_session.scalar(select(SpeakerProfile))
    assert 'value="Account Name"' in form_page
    assert response.status_code == 302
    assert profile.name == "Stage Name"
    avatar = client.get(f"/speaker/avatars/{profile.avatar_filename}")
    assert avatar.status_code == 200
    assert avatar.mimetype == "image/jpeg"
    assert avatar.data[:3] == b"\xff\xd8\xff"
    avatar.close()
    page = client.get("/speaker/profile").get_data(as_text=True)
    _assert_clean(page)
    assert "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_profile_bad_avatar_field_error_and_values_kept(app, client, db_session) -> None:
    login(client, UserFactory())

    response = client.post(
        "/speaker/profile",
        data={
            "name": "Typed",
            "biography": "Typed bio",
            "avatar": (io.BytesIO(b"%PDF-1.4"), "cv.pdf"),
        },
        content_type="multipart/form-data",
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Upload a JPEG, PNG, GIF or WebP image." in page
    assert 'value="Typed"' in page
    assert "Typed bio" in page
    assert db_session.scalar(select(SpeakerProfile)) is None


def test_profile_missing_name_field_error(app, client) -> None:
    login(client, UserFactory())

    response = client.post("/speaker/profile", data={"name": "", "biography": "kept"})

    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["../secret.txt", "abc.png", "0" * 32 + ".svg"])
def test_avatar_route_rejects_other_names(app, client, name) -> None:
    assert client.get(f"/speaker/avatars/{name}").status_code == 404


def _organizer_event():  # type: ignore[no-untyped-def]
    organizer = UserFactory()
    event = EventFactory()
    MembershipFactory(event=event, user=organizer)
    return organizer, event


def _populate(event, count: int) -> None:  # type: ignore[no-untyped-def]
    track = TrackFactory(event=event)
    session_type = SessionTypeFactory(event=event)
    for index in range(count):
        user = UserFactory()
        submission = SubmissionFactory(
            event=event,
            track=track,
            session_type=session_type,
            speaker=SpeakerProfileFactory(user=user),
            state="submitted" if index % 2 else "draft",
        )
        SubmissionFactory(event=event, speaker=SpeakerProfileFactory(), state="accepted")
        db.session.add(
            CoSpeakerInvitation(
                submission_id=submission.id, email="x@example.org", token=uuid.uuid4().hex
            )
        )
    db.session.commit()


def test_orga_submissions_filters_and_counts(app, client) -> None:
    organizer, event = _organizer_event()
    web = TrackFactory(event=event, name="Web")
    talk = SessionTypeFactory(event=event, name="Talk")
    alice = SpeakerProfileFactory(user=UserFactory(name="Alice Zed", email="alice@example.org"))
    SubmissionFactory(event=event, title="Web talk", track=web, session_type=talk, speaker=alice)
    SubmissionFactory(event=event, title="Other", state="accepted", speaker=SpeakerProfileFactory())
    SubmissionFactory(event=EventFactory(), title="Foreign")
    login(client, organizer)
    base = f"/orga/{event.slug}/submissions"

    everything = client.get(base).get_data(as_text=True)
    by_state = client.get(f"{base}?state=accepted").get_data(as_text=True)
    by_track = client.get(f"{base}?track={web.id}").get_data(as_text=True)
    by_type = client.get(f"{base}?session_type={talk.id}").get_data(as_text=True)
    by_speaker = client.get(f"{base}?speaker=ALICE").get_data(as_text=True)

    assert "Submissions (2)" in everything
    assert 'class="count-submitted">1<' in everything
    assert 'class="count-accepted">1<' in everything
    assert "Foreign" not in everything
    assert ("Web talk" in by_state, "Other" in by_state) == (False, True)
    assert ("Web talk" in by_track, "Other" in by_track) == (True, False)
    assert ("Web talk" in by_type, "Other" in by_type) == (True, False)
    assert ("Web talk" in by_speaker, "Other" in by_speaker) == (True, False)
    assert "&lt;alice@example.org&gt;" in by_speaker


def test_orga_submissions_csv_export_escapes_formulas(app, client) -> None:
    organizer, event = _organizer_event()
    speaker = SpeakerProfileFactory(user=UserFactory(name="Ann", email="ann@example.org"))
    SubmissionFactory(event=event, title='=HYPERLINK("http://evil")', speaker=speaker)
    login(client, organizer)

    response = client.get(f"/orga/{event.slug}/submissions.csv")

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv"
    assert rows[0][:4] == ["id", "guid", "title", "state"]
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    assert rows[1][9:11] == ["Ann", "ann@example.org"]
    assert len(rows) == 2


def test_orga_submissions_csv_quotes_every_cell_against_semicolon_split(app, client) -> None:
    # Excel with ";" as list separator splits an unquoted x;=cmd into a formula cell.
    organizer, event = _organizer_event()
    submission = SubmissionFactory(event=event, title="x;=cmd|' /C calc'!A0")
    login(client, organizer)

    body = client.get(f"/orga/{event.slug}/submissions.csv").get_data(as_text=True)

    lines = body.splitlines()
    assert lines[0].startswith('"id","guid","title","state",')
    # Quoting alone is not enough: LibreOffice splitting on ";" starts a cell after the ";"
    # inside the quotes too (tests/core/test_csv_in_spreadsheets.py), so that part is escaped.
    assert lines[1].startswith(f'"{submission.id}","{submission.guid}","x;\'=cmd|\' /C calc\'!A0",')


def test_orga_submission_page_sanitises_and_shows_notes(app, client) -> None:
    organizer, event = _organizer_event()
    submission = SubmissionFactory(
        event=event,
        abstract=EVIL_MARKDOWN,
        notes="Private **note**",
        speaker=SpeakerProfileFactory(),
    )
    login(client, organizer)

    page = client.get(f"/orga/{event.slug}/submissions/{submission.id}").get_data(as_text=True)

    _assert_clean(page)
    assert "<strong>note</strong>" in page
    assert '<a href="javascript' not in page


def test_orga_can_edit_any_submission_after_deadline(app, client, db_session) -> None:
    organizer = UserFactory()
    event = EventFactory(
        cfp_opens_at=datetime(2020, 1, 1, tzinfo=UTC),
        cfp_closes_at=datetime(2020, 2, 1, tzinfo=UTC),
    )
    MembershipFactory(event=event, user=organizer)
    submission = SubmissionFactory(event=event, state="accepted", speaker=SpeakerProfileFactory())
    login(client, organizer)

    response = client.post(
        f"/orga/{event.slug}/submissions/{submission.id}",
        data=_form(title="Organizer fix", duration_minutes="50"),
    )

    assert response.status_code == 302
    db_session.expire_all()
    stored = db_session.get(Submission, submission.id)
    assert (stored.title, stored.duration_minutes, stored.state) == (
        "Organizer fix",
        50,
        "accepted",
    )


def test_orga_submission_of_other_event_is_404(app, client) -> None:
    organizer, event = _organizer_event()
    foreign = SubmissionFactory(event=EventFactory())
    login(client, organizer)

    assert client.get(f"/orga/{event.slug}/submissions/{foreign.id}").status_code == 404


@pytest.mark.parametrize("path", ["/orga/{slug}/submissions", "/orga/{slug}/submissions.csv"])
def test_orga_submissions_query_count_bounded(app, client, path: str) -> None:
    organizer, event = _organizer_event()
    login(client, organizer)
    url = path.format(slug=event.slug)
    _populate(event, 2)
    client.get(url)  # first-request work (template compilation) stays out of the count
    db.session.expire_all()  # the test shares the requests' session; start each count cold
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _populate(event, 12)
    db.session.expire_all()
    with count_queries() as large:
        assert client.get(url).status_code == 200

    assert small.count == large.count
    assert large.count <= 13


def test_my_submissions_query_count_bounded(app, client) -> None:
    user = UserFactory()
    profile = SpeakerProfileFactory(user=user)
    event = EventFactory()
    login(client, user)

    def add_submissions(count: int) -> None:
        for _ in range(count):
            SubmissionFactory(
                event=event,
                speaker=profile,
                track=TrackFactory(event=event),
                session_type=SessionTypeFactory(event=event),
            )

    url = f"/{event.slug}/me/"
    add_submissions(1)
    client.get(url)
    db.session.expire_all()  # the test shares the requests' session; start each count cold
    with count_queries() as small:
        client.get(url)
    add_submissions(10)
    db.session.expire_all()
    with count_queries() as large:
        page = client.get(url).get_data(as_text=True)

    assert page.count('class="badge state-submitted"') == 11
    assert small.count == large.count
    assert large.count <= 8


def test_permission_matrix_cfp_pages(app, tmp_path) -> None:
    event = EventFactory(slug="cfpmatrix")
    owner, other, user, reviewer, organizer = (UserFactory() for _ in range(5))
    admin = UserFactory(is_admin=True)
    MembershipFactory(event=event, user=organizer, role="organizer")
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    owner_profile = SpeakerProfileFactory(user=owner)
    submission = SubmissionFactory(event=event, speaker=owner_profile)
    SubmissionFactory(event=event, speaker=SpeakerProfileFactory(user=other))
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, format="PNG")
    profile = services.update_speaker_profile(
        user=owner, name="Owner", biography="", avatar=image.getvalue()
    )

    co_profile = SpeakerProfileFactory()
    invitation, _token = services.invite_co_speaker(
        submission=submission, email="co@example.org", name="Co", invited_by=owner
    )

    def resubmit() -> None:
        db.session.execute(
            Submission.__table__.update()
            .where(Submission.id == submission.id)
            .values(state="submitted")
        )
        db.session.commit()

    def with_co_speaker() -> None:
        """Every cell removes the co-speaker or cancels the invitation; put both back."""
        resubmit()
        db.session.execute(
            SubmissionSpeaker.__table__.delete().where(
                SubmissionSpeaker.speaker_id == co_profile.id
            )
        )
        db.session.add(
            SubmissionSpeaker(submission_id=submission.id, speaker_id=co_profile.id, position=1)
        )
        db.session.execute(
            CoSpeakerInvitation.__table__.update()
            .where(CoSpeakerInvitation.id == invitation.id)
            .values(canceled_at=None)
        )
        db.session.commit()
        db.session.expire_all()

    users = {
        "anonymous": None,
        "user": user,
        "speaker": owner,
        "other_speaker": other,
        "reviewer": reviewer,
        "organizer": organizer,
        "admin": admin,
    }
    everyone = set(users)
    logged_in = everyone - {"anonymous"}
    team = {"organizer", "admin"}
    own = f"/cfpmatrix/me/submissions/{submission.id}"
    orga = "/orga/cfpmatrix/submissions"
    routes = [
        Route("GET", "/cfpmatrix/cfp", allowed=everyone),
        Route("GET", "/cfpmatrix/submit", allowed=logged_in),
        Route("POST", "/cfpmatrix/submit", allowed=logged_in, data=_form(duration_minutes="30")),
        Route("GET", "/cfpmatrix/me/", allowed=logged_in),
        Route("GET", f"{own}/edit", allowed={"speaker"}, denied_status=(404,)),
        Route(
            "POST",
            f"{own}/edit",
            allowed={"speaker"},
            data=_form(duration_minutes="30", action="save"),
            denied_status=(404,),
        ),
        Route("POST", f"{own}/withdraw", allowed={"speaker"}, denied_status=(404,), setup=resubmit),
        Route(
            "POST",
            f"{own}/speakers/{co_profile.id}/remove",
            allowed={"speaker"},
            denied_status=(404,),
            setup=with_co_speaker,
        ),
        Route(
            "POST",
            f"{own}/invitations/{invitation.id}/cancel",
            allowed={"speaker"},
            denied_status=(404,),
            setup=with_co_speaker,
        ),
        Route("GET", "/speaker/profile", allowed=logged_in),
        Route("POST", "/speaker/profile", allowed=logged_in, data={"name": "N", "biography": ""}),
        Route("GET", f"/speaker/avatars/{profile.avatar_filename}", allowed=everyone),
        Route("GET", orga, allowed=team),
        Route("GET", f"{orga}.csv", allowed=team),
        Route("GET", f"{orga}/{submission.id}", allowed=team),
        Route(
            "POST",
            f"{orga}/{submission.id}",
            allowed=team,
            data=_form(duration_minutes="30"),
        ),
        Route(
            "POST",
            f"{orga}/{submission.id}/speakers/{co_profile.id}/remove",
            allowed=team,
            setup=with_co_speaker,
        ),
        Route(
            "POST",
            f"{orga}/{submission.id}/invitations/{invitation.id}/cancel",
            allowed=team,
            setup=with_co_speaker,
        ),
    ]

    check_matrix(app, users, routes)


def test_permission_matrix_private_event_cfp(app) -> None:
    event = EventFactory(slug="hidden", is_public=False)
    organizer, reviewer, user = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    users = {"anonymous": None, "user": user, "reviewer": reviewer, "organizer": organizer}
    team = {"reviewer", "organizer"}

    check_matrix(
        app,
        users,
        [
            Route("GET", "/hidden/cfp", allowed=team, denied_status=(404,)),
            Route("GET", "/hidden/submit", allowed=team, denied_status=(404,)),
            Route("GET", "/hidden/me/", allowed=team, denied_status=(404,)),
        ],
    )


def test_permission_matrix_co_speaker_invitation_link(app) -> None:
    owner = UserFactory()
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=owner))
    invitation, token = services.invite_co_speaker(
        submission=submission, email="co@example.org", name="Co", invited_by=owner
    )

    def reopen() -> None:
        db.session.execute(
            CoSpeakerInvitation.__table__.update()
            .where(CoSpeakerInvitation.id == invitation.id)
            .values(accepted_at=None)
        )
        db.session.commit()

    users = {"anonymous": None, "user": UserFactory(), "invitee": UserFactory()}
    check_matrix(
        app,
        users,
        [
            Route("GET", f"/invite/speaker/{token}", allowed={"user", "invitee"}),
            Route("POST", f"/invite/speaker/{token}", allowed={"user", "invitee"}, setup=reopen),
            Route("GET", "/invite/speaker/nope", allowed=set(), denied_status=(404,)),
        ],
    )


def _csrf_token(page: str) -> str:
    return lxml.html.fromstring(page).xpath("//input[@name='csrf_token']/@value")[0]


def test_submit_and_withdraw_need_csrf_token_from_the_page(app, client, db_session) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    event = EventFactory()
    login(client, UserFactory())

    forged = client.post(f"/{event.slug}/submit", data=_form(duration_minutes="30"))
    token = _csrf_token(client.get(f"/{event.slug}/submit").get_data(as_text=True))
    real = client.post(f"/{event.slug}/submit", data=_form(duration_minutes="30", csrf_token=token))
    submission = db_session.scalar(select(Submission))
    url = f"/{event.slug}/me/submissions/{submission.id}/withdraw"
    forged_withdraw = client.post(url)
    confirm_page = client.get(url).get_data(as_text=True)  # withdrawing asks first
    real_withdraw = client.post(
        url, data={"csrf_token": _csrf_token(confirm_page), "confirm": "withdraw"}
    )

    assert forged.status_code == 400
    assert real.status_code == 302
    assert forged_withdraw.status_code == 400
    assert real_withdraw.status_code == 302


def test_submit_stores_browser_line_endings_as_newlines(app, client, db_session) -> None:
    event = EventFactory()
    login(client, UserFactory())

    client.post(
        f"/{event.slug}/submit",
        data=_form(
            abstract="First line\r\nsecond line", description="a\rb\r\n\r\nc", duration_minutes="30"
        ),
    )

    submission = db_session.scalar(select(Submission))
    assert submission.abstract == "First line\nsecond line"
    assert submission.description == "a\nb\n\nc"
