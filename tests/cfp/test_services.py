"""CfP services: deadlines in the event's zone, submissions, co-speakers, profiles."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import select

from podium.accounts.models import User
from podium.cfp import services
from podium.cfp.models import (
    CoSpeakerInvitation,
    SpeakerProfile,
    Submission,
    SubmissionSpeaker,
    SubmissionStateChange,
)
from podium.mail.models import OutboxMail
from tests.support.factories import (
    EventFactory,
    SessionTypeFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)


def _local(zone: str, *parts: int) -> datetime:
    """An aware instant given as wall-clock time in ``zone``."""
    return datetime(*parts, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


def _content(**overrides: object) -> services.SubmissionContent:
    values: dict[str, object] = {"title": "Rust for Pythonistas", "abstract": "Why and how."}
    values.update(overrides)
    return services.SubmissionContent(**values)  # type: ignore[arg-type]


@pytest.fixture(params=["Pacific/Kiritimati", "Etc/GMT+12", "UTC"])
def server_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test with the process's local zone set far ahead, far behind and at UTC."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.mark.parametrize(
    ("zone", "closing_day"),
    [("Pacific/Auckland", (2026, 12, 1)), ("America/Los_Angeles", (2026, 7, 15))],
)
def test_deadline_2359_local_open_at_2358_closed_at_midnight(
    app, db_session, server_zone: str, zone: str, closing_day: tuple[int, int, int]
) -> None:
    closes = _local(zone, *closing_day, 23, 59).astimezone(UTC)
    event = EventFactory(
        time_zone=zone, cfp_opens_at=_local(zone, 2026, 1, 1, 0, 0), cfp_closes_at=closes
    )
    speaker = UserFactory()
    session_type = SessionTypeFactory(event=event, default_duration_minutes=40)
    just_before = _local(zone, *closing_day, 23, 58)
    next_midnight = datetime(*closing_day, 0, 0, tzinfo=ZoneInfo(zone)) + timedelta(days=1)

    submission = services.create_submission(
        event=event,
        submitter=speaker,
        content=_content(session_type_id=session_type.id),
        now=just_before,
    )
    services.update_submission(
        submission=submission,
        actor=speaker,
        content=_content(title="Edited", session_type_id=session_type.id),
        now=just_before,
    )
    with pytest.raises(services.DeadlineError) as late_create:
        services.create_submission(
            event=event, submitter=speaker, content=_content(), now=next_midnight
        )
    with pytest.raises(services.DeadlineError):
        services.update_submission(
            submission=submission, actor=speaker, content=_content(title="Late"), now=next_midnight
        )

    assert submission.duration_minutes == 40
    assert f"{closing_day[0]}-{closing_day[1]:02d}-{closing_day[2]:02d} 23:59" in str(
        late_create.value
    )
    assert f"({zone})" in str(late_create.value)
    db_session.expire_all()
    assert db_session.scalars(select(Submission.title)).all() == ["Edited"]


def test_deadline_not_yet_open_refused(app) -> None:
    event = EventFactory(
        cfp_opens_at=datetime(2030, 1, 1, tzinfo=UTC),
        cfp_closes_at=datetime(2030, 2, 1, tzinfo=UTC),
    )

    with pytest.raises(services.DeadlineError, match="opens on 2030-01-01 01:00 CET"):
        services.create_submission(event=event, submitter=UserFactory(), content=_content())


def test_create_submission_records_state_change_and_type_default(app, db_session) -> None:
    event = EventFactory()
    speaker = UserFactory(name="Sam Speaker")
    workshop = SessionTypeFactory(event=event, name="Workshop", default_duration_minutes=90)

    submission = services.create_submission(
        event=event, submitter=speaker, content=_content(session_type_id=workshop.id)
    )

    change = db_session.scalar(select(SubmissionStateChange))
    profile = db_session.scalar(select(SpeakerProfile))
    assert (submission.state, submission.duration_minutes) == ("submitted", 90)
    assert (change.from_state, change.to_state, change.actor_id) == (
        "draft",
        "submitted",
        speaker.id,
    )
    assert profile.name == "Sam Speaker"
    assert submission.submitted_at is not None


def test_create_submission_draft_then_submit_on_update(app) -> None:
    event = EventFactory()
    speaker = UserFactory()

    draft = services.create_submission(
        event=event, submitter=speaker, content=_content(duration_minutes=20), submit=False
    )
    assert (draft.state, draft.submitted_at) == ("draft", None)
    services.update_submission(
        submission=draft, actor=speaker, content=_content(duration_minutes=20), submit=True
    )

    assert draft.state == "submitted"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -10}, "duration_minutes"),
        ({"duration_minutes": None}, "duration_minutes"),
        ({"session_type_id": 999_999, "duration_minutes": 30}, "session_type"),
        ({"track_id": 999_999, "duration_minutes": 30}, "track"),
        ({"language": "xx", "duration_minutes": 30}, "language"),
    ],
)
def test_create_submission_bad_content_names_field(app, db_session, overrides, field) -> None:
    with pytest.raises(services.SubmissionError) as caught:
        services.create_submission(
            event=EventFactory(), submitter=UserFactory(), content=_content(**overrides)
        )

    assert caught.value.field == field
    assert db_session.scalar(select(Submission)) is None


def test_update_submission_accepted_refused_for_speaker_allowed_for_organizer(app) -> None:
    event = EventFactory(
        cfp_opens_at=datetime(2020, 1, 1, tzinfo=UTC),
        cfp_closes_at=datetime(2020, 2, 1, tzinfo=UTC),
    )
    user = UserFactory()
    submission = SubmissionFactory(
        event=event, speaker=SpeakerProfileFactory(user=user), state="accepted"
    )

    with pytest.raises(services.DeadlineError):
        services.update_submission(
            submission=submission, actor=user, content=_content(duration_minutes=30)
        )
    services.update_submission(
        submission=submission,
        actor=UserFactory(),
        content=_content(title="Fixed by organizer", duration_minutes=45),
        as_organizer=True,
    )

    assert (submission.title, submission.duration_minutes) == ("Fixed by organizer", 45)


def test_update_submission_accepted_in_open_cfp_refused_for_speaker(app) -> None:
    user = UserFactory()
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=user), state="accepted")

    with pytest.raises(services.SubmissionError, match="accepted submission can no longer"):
        services.update_submission(
            submission=submission, actor=user, content=_content(duration_minutes=30)
        )


def test_withdraw_submission_after_deadline_allowed_once(app, db_session) -> None:
    event = EventFactory(
        cfp_opens_at=datetime(2020, 1, 1, tzinfo=UTC),
        cfp_closes_at=datetime(2020, 2, 1, tzinfo=UTC),
    )
    user = UserFactory()
    submission = SubmissionFactory(event=event, speaker=SpeakerProfileFactory(user=user))

    change = services.withdraw_submission(submission=submission, actor=user)

    assert (change.from_state, change.to_state, change.actor_id) == (
        "submitted",
        "withdrawn",
        user.id,
    )
    with pytest.raises(services.TransitionError):
        services.withdraw_submission(submission=submission, actor=user)


def test_co_speaker_with_account_keeps_both_names(app, db_session) -> None:
    submitter = UserFactory(name="Sue Submitter")
    co_account = UserFactory(email="alice@example.org", name="Alice Account")
    co_profile = SpeakerProfileFactory(user=co_account, name="Dr. Alice Profile")
    submission = services.create_submission(
        event=EventFactory(),
        submitter=submitter,
        content=_content(duration_minutes=30),
        co_speaker=services.CoSpeakerInput(email="ALICE@example.org", name="Ally Typed"),
    )

    linked_before = db_session.scalars(select(SubmissionSpeaker.speaker_id)).all()
    invitation = db_session.scalar(select(CoSpeakerInvitation))
    services.accept_co_speaker_invitation(invitation=invitation, user=co_account)

    db_session.expire_all()
    speakers = db_session.scalars(
        select(SpeakerProfile.name)
        .join(SubmissionSpeaker, SubmissionSpeaker.speaker_id == SpeakerProfile.id)
        .where(SubmissionSpeaker.submission_id == submission.id)
        .order_by(SubmissionSpeaker.position)
    ).all()
    assert len(linked_before) == 1  # nobody is added before accepting
    assert speakers == ["Sue Submitter", "Dr. Alice Profile"]
    assert db_session.get(User, co_account.id).name == "Alice Account"
    assert db_session.get(SpeakerProfile, co_profile.id).name == "Dr. Alice Profile"
    assert db_session.get(User, submitter.id).name == "Sue Submitter"
    assert db_session.get(CoSpeakerInvitation, invitation.id).name == "Ally Typed"
    assert db_session.get(CoSpeakerInvitation, invitation.id).accepted_by_id == co_account.id


def test_co_speaker_account_without_profile_gets_account_name(app, db_session) -> None:
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=UserFactory()))
    inviter = UserFactory()
    _invitation, token = services.invite_co_speaker(
        submission=submission, email="bob@example.org", name="Bobby Typed", invited_by=inviter
    )
    bob = UserFactory(email="bob@example.org", name="Robert Account")

    services.accept_co_speaker_invitation(
        invitation=services.find_co_speaker_invitation(token), user=bob
    )

    profile = db_session.scalar(select(SpeakerProfile).where(SpeakerProfile.user_id == bob.id))
    assert profile.name == "Robert Account"
    assert services.find_co_speaker_invitation(token) is None


def test_invite_co_speaker_mail_says_sign_up_for_new_address(app, db_session) -> None:
    submission = SubmissionFactory(
        title="Talk T", speaker=SpeakerProfileFactory(user=UserFactory())
    )

    _invitation, token = services.invite_co_speaker(
        submission=submission,
        email="new@example.org",
        name="Newbie",
        invited_by=UserFactory(name="Ina"),
    )

    mail = db_session.scalar(select(OutboxMail))
    assert mail.recipients == ["new@example.org"]
    assert "sign up with this e-mail address" in mail.body_text
    assert f"http://localhost/invite/speaker/{token}" in mail.body_text
    assert mail.subject.startswith("Ina invites you to co-present “Talk T”")


@pytest.mark.parametrize(
    ("email", "name", "message"),
    [
        ("me@example.org", "Me", "already a speaker of this submission"),
        ("dup@example.org", "Dup", "already invited"),
        ("other@example.org", " ", "Enter the co-speaker's name."),
    ],
)
def test_invite_co_speaker_refusals(app, email, name, message) -> None:
    me = UserFactory(email="me@example.org")
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=me))
    services.invite_co_speaker(
        submission=submission, email="dup@example.org", name="D", invited_by=me
    )

    with pytest.raises(services.SubmissionError, match=message):
        services.invite_co_speaker(submission=submission, email=email, name=name, invited_by=me)


def test_accept_co_speaker_invitation_withdrawn_submission_refused(app) -> None:
    me = UserFactory()
    submission = SubmissionFactory(speaker=SpeakerProfileFactory(user=me), state="withdrawn")
    invitation, _token = services.invite_co_speaker(
        submission=submission, email="late@example.org", name="Late", invited_by=me
    )

    with pytest.raises(services.SubmissionError, match="withdrawn"):
        services.accept_co_speaker_invitation(invitation=invitation, user=UserFactory())


def _image_bytes(fmt: str = "PNG", size: tuple[int, int] = (1200, 800), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(
        out, format=fmt
    )
    return out.getvalue()


def test_update_speaker_profile_avatar_resized_and_old_file_deleted(app) -> None:
    user = UserFactory()
    folder = Path(app.config["UPLOAD_FOLDER"]) / "avatars"

    first = services.update_speaker_profile(
        user=user, name="Sam", biography="Bio", avatar=_image_bytes("JPEG")
    )
    first_name = first.avatar_filename
    second = services.update_speaker_profile(
        user=user, name="Sam", biography="Bio", avatar=_image_bytes("PNG", mode="RGBA")
    )

    with Image.open(folder / second.avatar_filename) as stored:
        size = stored.size
    assert first_name.endswith(".jpg")
    assert second.avatar_filename.endswith(".png")
    assert size == (512, 341)
    assert not (folder / first_name).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not really", "Upload a JPEG, PNG, GIF or WebP image."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Upload a JPEG, PNG, GIF or WebP image."),
        (b"x" * (2 * 1024 * 1024 + 1), "the limit is 2 MiB"),
        (b"", "The file is empty."),
    ],
)
def test_update_speaker_profile_bad_avatar_keeps_saved_profile(
    app, db_session, data, message
) -> None:
    user = UserFactory()
    services.update_speaker_profile(user=user, name="Saved", biography="Saved bio")

    with pytest.raises(services.SubmissionError, match=message) as caught:
        services.update_speaker_profile(user=user, name="Changed", biography="New", avatar=data)

    assert caught.value.field == "avatar"
    db_session.expire_all()
    profile = db_session.scalar(select(SpeakerProfile))
    assert (profile.name, profile.biography, profile.avatar_filename) == (
        "Saved",
        "Saved bio",
        None,
    )
