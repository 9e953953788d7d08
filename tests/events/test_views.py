"""Organizer pages: creating and editing events, tracks, rooms, session types, the team."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from podium.events import services
from podium.events.models import Event, EventMembership, Room, SessionType, TeamInvitation, Track
from podium.extensions import db
from podium.mail.models import OutboxMail
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    RoomFactory,
    SessionTypeFactory,
    TrackFactory,
    UserFactory,
)
from tests.support.permissions import Route, check_matrix

NEW_EVENT = {
    "name": "KiwiConf 2027",
    "slug": "kiwi-2027",
    "time_zone": "Pacific/Auckland",
    "start_date": "2027-02-01",
    "end_date": "2027-02-03",
    "cfp_opens_at": "2026-10-01T09:00",
    "cfp_closes_at": "2026-12-01T23:59",
    "is_public": "y",
    "description": "Come *talk*.",
}


def test_new_event_stores_cfp_instants_in_utc(app, client, db_session) -> None:
    login(client, UserFactory(is_admin=True))

    response = client.post("/orga/events/new", data=NEW_EVENT)

    assert response.status_code == 302
    assert response.headers["Location"] == "/orga/kiwi-2027/"
    event = db_session.scalar(select(Event).where(Event.slug == "kiwi-2027"))
    assert event.cfp_opens_at == datetime(2026, 9, 30, 20, 0, tzinfo=UTC)
    assert event.cfp_closes_at == datetime(2026, 12, 1, 10, 59, tzinfo=UTC)
    assert event.time_zone == "Pacific/Auckland"


def test_dashboard_shows_cfp_window_in_event_zone_with_name(app, client) -> None:
    admin = UserFactory(is_admin=True)
    login(client, admin)
    client.post("/orga/events/new", data=NEW_EVENT)

    page = client.get("/orga/kiwi-2027/").get_data(as_text=True)

    assert (
        "2026-10-01 09:00 NZDT (Pacific/Auckland) → 2026-12-01 23:59 NZDT (Pacific/Auckland)"
        in page
    )


def test_settings_form_prefills_local_cfp_times(app, client) -> None:
    organizer = UserFactory()
    event = EventFactory(
        time_zone="America/Los_Angeles",
        cfp_opens_at=datetime(2026, 6, 1, 16, 0, tzinfo=UTC),
        cfp_closes_at=datetime(2026, 7, 16, 6, 59, tzinfo=UTC),
    )
    MembershipFactory(event=event, user=organizer)
    login(client, organizer)

    page = client.get(f"/orga/{event.slug}/settings").get_data(as_text=True)

    assert 'value="2026-07-15T23:59"' in page
    assert 'value="2026-06-01T09:00"' in page


def test_new_event_bad_input_field_errors_and_values_kept(app, client, db_session) -> None:
    login(client, UserFactory(is_admin=True))
    data = {
        **NEW_EVENT,
        "slug": "orga",
        "time_zone": "Pacific/Atlantis",
        "end_date": "2027-01-01",
        "cfp_closes_at": "2026-09-01T00:00",
    }

    response = client.post("/orga/events/new", data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "“Pacific/Atlantis” is not an IANA time zone" in page
    assert "The last day cannot be before the first day." in page
    assert "The CfP must close after it opens." in page
    assert 'value="KiwiConf 2027"' in page
    assert "Come *talk*." in page
    assert db_session.scalar(select(Event)) is None


def test_new_event_reserved_slug_error_on_slug_field(app, client) -> None:
    login(client, UserFactory(is_admin=True))

    response = client.post("/orga/events/new", data={**NEW_EVENT, "slug": "speaker"})

    assert response.status_code == 400
    assert "“speaker” is reserved for Podium&#39;s own pages." in response.get_data(as_text=True)


def test_new_event_missing_and_too_long_fields(app, client) -> None:
    login(client, UserFactory(is_admin=True))

    response = client.post("/orga/events/new", data={**NEW_EVENT, "name": "", "slug": "x" * 81})

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This field is required." in page
    assert "Field cannot be longer than 80 characters." in page


def test_new_event_dst_gap_closing_time_refused(app, client) -> None:
    login(client, UserFactory(is_admin=True))
    data = {**NEW_EVENT, "time_zone": "Europe/Brussels", "cfp_closes_at": "2027-03-28T02:30"}

    response = client.post("/orga/events/new", data=data)

    assert response.status_code == 400
    assert "2027-03-28 02:30 does not exist in Europe/Brussels" in response.get_data(as_text=True)


def test_new_event_days_in_year_9999_are_refused(app, client, db_session) -> None:
    login(client, UserFactory(is_admin=True))
    data = {**NEW_EVENT, "start_date": "9999-12-30", "end_date": "9999-12-31"}

    response = client.post("/orga/events/new", data=data)

    assert response.status_code == 400
    assert response.get_data(as_text=True).count("Enter a year between 1900 and 2999.") == 2
    assert db_session.scalar(select(Event)) is None


@pytest.mark.parametrize(
    ("time_zone", "field", "local"),
    [
        ("Pacific/Auckland", "cfp_opens_at", "0001-01-01T00:00"),
        ("America/Los_Angeles", "cfp_closes_at", "9999-12-31T23:59"),
    ],
)
def test_new_event_with_cfp_year_out_of_range_is_400_not_overflow(
    app, client, db_session, time_zone: str, field: str, local: str
) -> None:
    login(client, UserFactory(is_admin=True))
    data = {**NEW_EVENT, "time_zone": time_zone, field: local}
    if field == "cfp_opens_at":
        data["cfp_closes_at"] = "2026-12-01T23:59"

    response = client.post("/orga/events/new", data=data)

    assert response.status_code == 400
    assert "Enter a year between 1900 and 2999." in response.get_data(as_text=True)
    assert db_session.scalar(select(Event)) is None


def test_settings_failed_save_keeps_stored_event(app, client, db_session) -> None:
    organizer = UserFactory()
    event = EventFactory(name="Stored Name")
    MembershipFactory(event=event, user=organizer)
    login(client, organizer)

    response = client.post(
        f"/orga/{event.slug}/settings",
        data={**NEW_EVENT, "name": "Typed Name", "time_zone": "Nowhere/Never"},
    )

    assert response.status_code == 400
    assert 'value="Typed Name"' in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Event, event.id).name == "Stored Name"


def test_catalog_add_edit_delete_track_room_session_type(app, client, db_session) -> None:
    organizer = UserFactory()
    event = EventFactory()
    MembershipFactory(event=event, user=organizer)
    login(client, organizer)
    base = f"/orga/{event.slug}"

    assert (
        client.post(f"{base}/tracks", data={"name": "Web", "color": "#AA0000"}).status_code == 302
    )
    assert (
        client.post(
            f"{base}/rooms", data={"name": "Hall", "capacity": "300", "position": "2"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/session-types", data={"name": "Workshop", "default_duration_minutes": "90"}
        ).status_code
        == 302
    )
    track = db_session.scalar(select(Track))
    room = db_session.scalar(select(Room))
    session_type = db_session.scalar(select(SessionType))
    assert (track.name, track.color) == ("Web", "#aa0000")
    assert (room.name, room.capacity, room.position) == ("Hall", 300, 2)
    assert (session_type.name, session_type.default_duration_minutes) == ("Workshop", 90)

    client.post(f"{base}/tracks/{track.id}", data={"name": "Web & Mobile", "color": "#00aa00"})
    client.post(f"{base}/rooms/{room.id}/delete")

    db_session.expire_all()
    assert db_session.get(Track, track.id).name == "Web & Mobile"
    assert db_session.get(Room, room.id) is None


def test_catalog_bad_duration_field_error_and_nothing_saved(app, client, db_session) -> None:
    organizer = UserFactory()
    event = EventFactory()
    MembershipFactory(event=event, user=organizer)
    session_type = SessionTypeFactory(event=event, name="Talk", default_duration_minutes=30)
    login(client, organizer)

    add = client.post(
        f"/orga/{event.slug}/session-types", data={"name": "Zero", "default_duration_minutes": "0"}
    )
    edit = client.post(
        f"/orga/{event.slug}/session-types/{session_type.id}",
        data={"name": "Talk", "default_duration_minutes": "-5"},
    )

    assert add.status_code == 400
    assert "Between 1 and 1440 minutes." in add.get_data(as_text=True)
    assert 'value="Zero"' in add.get_data(as_text=True)
    assert edit.status_code == 400
    assert 'value="-5"' in edit.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.scalars(select(SessionType.default_duration_minutes)).all() == [30]


def test_catalog_item_of_other_event_is_404(app, client) -> None:
    organizer = UserFactory()
    event = EventFactory()
    MembershipFactory(event=event, user=organizer)
    foreign = TrackFactory(event=EventFactory())
    login(client, organizer)

    response = client.post(f"/orga/{event.slug}/tracks/{foreign.id}/delete")

    assert response.status_code == 404


def test_team_invite_then_accept_after_login(app, client, db_session) -> None:
    organizer = UserFactory(name="Olga")
    event = EventFactory()
    MembershipFactory(event=event, user=organizer)
    login(client, organizer)

    response = client.post(
        f"/orga/{event.slug}/team", data={"email": "rev@example.org", "role": "reviewer"}
    )

    assert response.status_code == 302
    mail = db_session.scalar(select(OutboxMail))
    link = next(line for line in mail.body_text.splitlines() if "/invite/team/" in line)
    path = link.removeprefix("http://localhost")
    anonymous = app.test_client()
    assert anonymous.get(path).status_code == 302
    assert "/account/login" in anonymous.get(path).headers["Location"]
    reviewer = UserFactory(email="rev@example.org")
    invited = login(app.test_client(), reviewer)
    assert "Join the team of" in invited.get(path).get_data(as_text=True)
    assert invited.post(path).status_code == 302
    roles = db_session.scalars(
        select(EventMembership.role).where(EventMembership.user_id == reviewer.id)
    ).all()
    assert roles == ["reviewer"]
    assert invited.get(path).status_code == 404


def test_team_invite_bad_email_field_error(app, client) -> None:
    organizer = UserFactory()
    event = EventFactory()
    MembershipFactory(event=event, user=organizer)
    login(client, organizer)

    response = client.post(
        f"/orga/{event.slug}/team", data={"email": "not-an-address", "role": "reviewer"}
    )

    assert response.status_code == 400
    assert "Invalid email address." in response.get_data(as_text=True)
    assert 'value="not-an-address"' in response.get_data(as_text=True)


def test_team_remove_last_organizer_refused(app, client, db_session) -> None:
    organizer = UserFactory()
    event = EventFactory()
    membership = MembershipFactory(event=event, user=organizer)
    login(client, organizer)

    response = client.post(f"/orga/{event.slug}/team/{membership.id}/remove")

    assert response.status_code == 409
    assert "An event needs at least one organizer." in response.get_data(as_text=True)
    assert db_session.get(EventMembership, membership.id) is not None


def _delete_where(table_clause):  # type: ignore[no-untyped-def]
    """A matrix ``setup``: remove what a previous role created so the next one can again."""

    def setup() -> None:
        db.session.execute(table_clause)
        db.session.commit()

    return setup


def _ensure(model: type, item_id: int, **values: object):  # type: ignore[no-untyped-def]
    """A matrix ``setup``: put back a row a previous role deleted, with the same id."""

    def setup() -> None:
        if db.session.get(model, item_id) is None:
            db.session.add(model(id=item_id, **values))
            db.session.commit()

    return setup


def test_permission_matrix_organizer_pages(app) -> None:
    event = EventFactory(slug="matrix")
    organizer, other, reviewer, user = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    admin = UserFactory(is_admin=True)
    MembershipFactory(event=event, user=organizer, role="organizer")
    MembershipFactory(event=EventFactory(), user=other, role="organizer")
    reviewer_membership = MembershipFactory(event=event, user=reviewer, role="reviewer")
    track = TrackFactory(event=event, name="T")
    room = RoomFactory(event=event, name="R")
    session_type = SessionTypeFactory(event=event, name="S")
    invitation, _token = services.invite_team_member(
        event=event, email="someone@example.org", role="reviewer", invited_by=organizer
    )
    users = {
        "anonymous": None,
        "user": user,
        "reviewer": reviewer,
        "other_organizer": other,
        "organizer": organizer,
        "admin": admin,
    }
    team = {"organizer", "admin"}
    logged_in = set(users) - {"anonymous"}
    base = "/orga/matrix"
    routes = [
        Route("GET", "/orga/", allowed=logged_in),
        Route("GET", "/orga/events/new", allowed={"admin"}),
        Route("POST", "/orga/events/new", allowed={"admin"}, data={**NEW_EVENT, "slug": "made"}),
        Route("GET", f"{base}/", allowed=team),
        Route("GET", f"{base}/settings", allowed=team),
        Route(
            "POST",
            f"{base}/settings",
            allowed=team,
            data={**NEW_EVENT, "time_zone": "Europe/Brussels"},
        ),
        Route("GET", f"{base}/tracks", allowed=team),
        Route(
            "POST",
            f"{base}/tracks",
            allowed=team,
            data={"name": "New", "color": "#123456"},
            setup=_delete_where(Track.__table__.delete().where(Track.name == "New")),
        ),
        Route(
            "POST",
            f"{base}/tracks/{track.id}",
            allowed=team,
            data={"name": "T", "color": "#654321"},
        ),
        Route(
            "POST",
            f"{base}/tracks/{track.id}/delete",
            allowed=team,
            setup=_ensure(Track, track.id, event_id=event.id, name="T"),
        ),
        Route("GET", f"{base}/rooms", allowed=team),
        Route("POST", f"{base}/rooms/{room.id}", allowed=team, data={"name": "R", "position": "1"}),
        Route(
            "POST",
            f"{base}/rooms/{room.id}/delete",
            allowed=team,
            setup=_ensure(Room, room.id, event_id=event.id, name="R"),
        ),
        Route("GET", f"{base}/session-types", allowed=team),
        Route(
            "POST",
            f"{base}/session-types/{session_type.id}",
            allowed=team,
            data={"name": "S", "default_duration_minutes": "45"},
        ),
        Route(
            "POST",
            f"{base}/session-types/{session_type.id}/delete",
            allowed=team,
            setup=_ensure(SessionType, session_type.id, event_id=event.id, name="S"),
        ),
        Route("GET", f"{base}/team", allowed=team),
        Route(
            "POST",
            f"{base}/team",
            allowed=team,
            data={"email": "x@example.org", "role": "reviewer"},
            setup=_delete_where(
                TeamInvitation.__table__.delete().where(TeamInvitation.email == "x@example.org")
            ),
        ),
        Route(
            "POST",
            f"{base}/team/{reviewer_membership.id}/remove",
            allowed=team,
            setup=_ensure(
                EventMembership,
                reviewer_membership.id,
                event_id=event.id,
                user_id=reviewer.id,
                role="reviewer",
            ),
        ),
        Route(
            "POST",
            f"{base}/team/invitations/{invitation.id}/revoke",
            allowed=team,
            setup=_ensure(
                TeamInvitation,
                invitation.id,
                event_id=event.id,
                email="someone@example.org",
                role="reviewer",
                token="0" * 64,
            ),
        ),
    ]

    check_matrix(app, users, routes)


def test_permission_matrix_team_invitation_link(app) -> None:
    event = EventFactory()
    invitation, token = services.invite_team_member(
        event=event, email="someone@example.org", role="reviewer", invited_by=UserFactory()
    )

    def reopen() -> None:
        db.session.execute(
            TeamInvitation.__table__.update()
            .where(TeamInvitation.id == invitation.id)
            .values(accepted_at=None)
        )
        db.session.commit()

    users = {"anonymous": None, "user": UserFactory(), "invitee": UserFactory()}
    routes = [
        Route("GET", f"/invite/team/{token}", allowed={"user", "invitee"}),
        Route("POST", f"/invite/team/{token}", allowed={"user", "invitee"}, setup=reopen),
        Route("GET", "/invite/team/unknown-token", allowed=set(), denied_status=(404,)),
    ]

    check_matrix(app, users, routes)


def test_new_event_website_must_be_http_url(app, client) -> None:
    login(client, UserFactory(is_admin=True))

    response = client.post("/orga/events/new", data={**NEW_EVENT, "url": "javascript:alert(1)"})

    assert response.status_code == 400
    assert "Use a full http:// or https:// address." in response.get_data(as_text=True)


def test_catalog_row_edit_form_carries_csrf_token(app, client, db_session) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    organizer = UserFactory()
    event = EventFactory()
    MembershipFactory(event=event, user=organizer)
    track = TrackFactory(event=event, name="Old")
    login(client, organizer)
    page = client.get(f"/orga/{event.slug}/tracks").get_data(as_text=True)
    tree = lxml.html.fromstring(page)
    token = tree.xpath(f"//form[@id='edit-{track.id}']//input[@name='csrf_token']/@value")[0]

    forged = client.post(
        f"/orga/{event.slug}/tracks/{track.id}", data={"name": "X", "color": "#000000"}
    )
    real = client.post(
        f"/orga/{event.slug}/tracks/{track.id}",
        data={"name": "New", "color": "#000000", "csrf_token": token},
    )

    assert tree.xpath(f"//input[@form='edit-{track.id}' and @name='name']/@value") == ["Old"]
    assert (forged.status_code, real.status_code) == (400, 302)
    db_session.expire_all()
    assert db_session.get(Track, track.id).name == "New"


def test_room_added_twice_at_once_answers_409_not_500(app, client, db_session) -> None:
    organizer = UserFactory()
    event = EventFactory()
    MembershipFactory(event=event, user=organizer)
    login(client, organizer)

    def double_click_commits_first(session, flush_context, instances) -> None:  # type: ignore[no-untyped-def]
        # The first of two quick clicks commits "Hall" on its own connection meanwhile.
        if not any(isinstance(obj, Room) for obj in session.new):
            return
        with db.engine.begin() as other:
            other.execute(
                Room.__table__.insert().values(event_id=event.id, name="Hall", position=0)
            )

    sa_event.listen(db_session, "before_flush", double_click_commits_first)
    try:
        response = client.post(
            f"/orga/{event.slug}/rooms", data={"name": "Hall", "capacity": "300", "position": "2"}
        )
    finally:
        sa_event.remove(db_session, "before_flush", double_click_commits_first)
    assert response.status_code == 409
    assert "Another request changed the same thing at the same moment" in response.get_data(
        as_text=True
    )
    assert [(r.name, r.position) for r in db_session.scalars(select(Room))] == [("Hall", 0)]


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("tracks", {"name": "Web", "color": "#123456\n"}, "Use a colour like #3366cc."),
        (
            "settings",
            {**NEW_EVENT, "url": "https://example.org/\n"},
            "Use a full http:// or https:// address.",
        ),
    ],
)
def test_trailing_newline_does_not_pass_pattern_checks(
    app, client, db_session, path: str, data: dict[str, str], message: str
) -> None:
    # Python's "$" also matches before a final newline; PostgreSQL then refused "#123456\n"
    # in the 7-character colour column with a 500.
    organizer = UserFactory()
    event = EventFactory(url="")
    MembershipFactory(event=event, user=organizer)
    login(client, organizer)

    response = client.post(f"/orga/{event.slug}/{path}", data=data)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.scalar(select(Track)) is None
    assert db_session.get(Event, event.id).url == ""


def test_new_event_slug_with_trailing_newline_is_refused(app, client, db_session) -> None:
    login(client, UserFactory(is_admin=True))

    response = client.post("/orga/events/new", data={**NEW_EVENT, "slug": "kiwi-2027\n"})

    assert response.status_code == 400
    assert "Use lower-case letters, digits and hyphens" in response.get_data(as_text=True)
    assert db_session.scalar(select(Event)) is None
