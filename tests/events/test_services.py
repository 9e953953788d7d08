"""Event services: creation rules, catalog items and the team."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from podium.events import services
from podium.events.models import Event, EventMembership, TeamInvitation
from podium.mail.models import OutboxMail
from tests.support.factories import EventFactory, MembershipFactory, UserFactory


def _details(**overrides: object) -> services.EventDetails:
    values: dict[str, object] = {
        "name": "PyCon Kiwi",
        "time_zone": "Pacific/Auckland",
        "start_date": date(2027, 2, 1),
        "end_date": date(2027, 2, 3),
        "cfp_opens_at": datetime(2026, 10, 1, tzinfo=UTC),
        "cfp_closes_at": datetime(2026, 12, 1, 10, 59, tzinfo=UTC),
        "is_public": True,
    }
    values.update(overrides)
    return services.EventDetails(**values)  # type: ignore[arg-type]


def test_create_event_makes_creator_organizer(app, db_session) -> None:
    admin = UserFactory(is_admin=True)

    event = services.create_event(slug="kiwi-2027", details=_details(), creator=admin)

    membership = db_session.scalar(
        select(EventMembership).where(EventMembership.event_id == event.id)
    )
    assert (membership.user_id, membership.role) == (admin.id, "organizer")
    assert event.cfp_closes_at == datetime(2026, 12, 1, 10, 59, tzinfo=UTC)


@pytest.mark.parametrize("slug", ["orga", "account", "invite", "speaker", "api", "static"])
def test_create_event_reserved_slug_refused(app, slug: str) -> None:
    with pytest.raises(services.EventError) as caught:
        services.create_event(slug=slug, details=_details(), creator=UserFactory(is_admin=True))

    assert caught.value.field == "slug"
    assert "reserved" in caught.value.message


@pytest.mark.parametrize("slug", ["Caps", "-lead", "trail-", "sp ace", "a/b", "x" * 81])
def test_create_event_malformed_slug_refused(app, slug: str) -> None:
    with pytest.raises(services.EventError) as caught:
        services.create_event(slug=slug, details=_details(), creator=UserFactory(is_admin=True))

    assert caught.value.field == "slug"


def test_create_event_taken_slug_refused(app) -> None:
    EventFactory(slug="taken")

    with pytest.raises(services.EventError, match="already uses"):
        services.create_event(slug="taken", details=_details(), creator=UserFactory())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"end_date": date(2027, 1, 31)}, "end_date"),
        ({"cfp_closes_at": datetime(2026, 9, 1, tzinfo=UTC)}, "cfp_closes_at"),
        ({"cfp_closes_at": None}, "cfp_closes_at"),
    ],
)
def test_create_event_bad_details_name_the_field(app, db_session, overrides, field) -> None:
    with pytest.raises(services.EventError) as caught:
        services.create_event(
            slug="kiwi", details=_details(**overrides), creator=UserFactory(is_admin=True)
        )

    assert caught.value.field == field
    assert db_session.scalar(select(Event).where(Event.slug == "kiwi")) is None


def test_save_session_type_non_positive_duration_refused(app) -> None:
    event = EventFactory()

    with pytest.raises(services.EventError) as caught:
        services.save_session_type(event=event, name="Talk", default_duration_minutes=0)

    assert caught.value.field == "default_duration_minutes"


def test_save_track_duplicate_name_refused(app) -> None:
    event = EventFactory()
    services.save_track(event=event, name="Web", color="#112233")

    with pytest.raises(services.EventError, match="already exists"):
        services.save_track(event=event, name="Web", color="#445566")


def test_invite_team_member_queues_mail_with_link_and_stores_hash(app, db_session) -> None:
    event = EventFactory(name="KiwiConf")
    organizer = UserFactory(name="Olga")

    invitation, token = services.invite_team_member(
        event=event, email=" Rev@Example.org ", role="reviewer", invited_by=organizer
    )

    mail = db_session.scalar(select(OutboxMail))
    assert mail.recipients == ["rev@example.org"]
    assert f"http://localhost/invite/team/{token}" in mail.body_text
    assert "KiwiConf" in mail.subject
    assert invitation.token != token
    assert invitation.token == services.hash_token(token)


def test_accept_team_invitation_grants_role_once(app, db_session) -> None:
    event = EventFactory()
    _invitation, token = services.invite_team_member(
        event=event, email="rev@example.org", role="reviewer", invited_by=UserFactory()
    )
    reviewer = UserFactory(email="rev@example.org")

    found = services.find_team_invitation(token)
    services.accept_team_invitation(invitation=found, user=reviewer)

    roles = db_session.scalars(
        select(EventMembership.role).where(EventMembership.user_id == reviewer.id)
    ).all()
    assert roles == ["reviewer"]
    assert services.find_team_invitation(token) is None


def test_find_team_invitation_expired_returns_none(app) -> None:
    event = EventFactory()
    _invitation, token = services.invite_team_member(
        event=event, email="late@example.org", role="organizer", invited_by=UserFactory()
    )
    later = datetime.now(UTC) + services.INVITATION_LIFETIME + timedelta(minutes=1)

    assert services.find_team_invitation(token, now=later) is None
    assert services.find_team_invitation("not-a-token") is None


def test_invite_team_member_existing_holder_refused(app) -> None:
    event = EventFactory()
    user = UserFactory(email="org@example.org")
    MembershipFactory(event=event, user=user, role="organizer")

    with pytest.raises(services.EventError, match="already organizer"):
        services.invite_team_member(
            event=event, email="ORG@example.org", role="organizer", invited_by=user
        )


def test_remove_team_member_last_organizer_refused(app, db_session) -> None:
    event = EventFactory()
    membership = MembershipFactory(event=event, user=UserFactory(), role="organizer")

    with pytest.raises(services.EventError, match="at least one organizer"):
        services.remove_team_member(membership=membership)

    assert db_session.get(EventMembership, membership.id) is not None


def test_revoke_team_invitation_deletes_it(app, db_session) -> None:
    invitation, token = services.invite_team_member(
        event=EventFactory(), email="x@example.org", role="reviewer", invited_by=UserFactory()
    )

    services.revoke_team_invitation(invitation=invitation)

    assert db_session.scalar(select(TeamInvitation)) is None
    assert services.find_team_invitation(token) is None
