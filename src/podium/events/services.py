"""All changes to events: the edition itself, tracks, rooms, session types and the team.

Every function takes keyword-only arguments, validates what the database alone would not
(reserved slugs, time zones, date order) and commits. Views call exactly one of them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from flask import current_app
from sqlalchemy import func, select

from podium.accounts.models import User
from podium.cfp.models import CoSpeakerInvitation
from podium.db import utcnow
from podium.events.enums import RESERVED_SLUGS, TeamRole
from podium.events.models import Event, EventMembership, Room, SessionType, TeamInvitation, Track
from podium.events.times import is_valid_time_zone
from podium.extensions import db
from podium.mail.services import queue_mail

# \Z, not $: "$" also matches before a final newline, so "#123456\n" would pass.
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?\Z")
INVITATION_LIFETIME = timedelta(days=30)
COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}\Z")


class EventError(ValueError):
    """Input an event service refuses; ``field`` names the form field it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class EventDetails:
    """What an organizer enters for an event; CfP instants are aware UTC (or ``None``)."""

    name: str
    time_zone: str
    start_date: date
    end_date: date
    cfp_opens_at: datetime | None
    cfp_closes_at: datetime | None
    is_public: bool
    description: str = ""
    url: str = ""


InvitationT = TypeVar("InvitationT", TeamInvitation, CoSpeakerInvitation)


def hash_token(token: str) -> str:
    """SHA-256 hex of an invitation token: the mail holds the token, the database its hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token and its hash ``(token, hash)``."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def invitation_link(path: str) -> str:
    """Absolute link for mails: ``BASE_URL`` joined with ``path`` (``/invite/...``)."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def check_slug(slug: str, *, exclude_event_id: int | None = None) -> None:
    """Raise :class:`EventError` on ``slug`` unless it is well-formed, not reserved and free."""
    if not SLUG_PATTERN.match(slug):
        raise EventError(
            "slug", "Use 1 to 80 lower-case letters, digits and hyphens (not at either end)."
        )
    if slug in RESERVED_SLUGS:
        raise EventError("slug", f"“{slug}” is reserved for Podium's own pages.")
    query = select(Event.id).where(Event.slug == slug)
    if exclude_event_id is not None:
        query = query.where(Event.id != exclude_event_id)
    if db.session.scalar(query) is not None:
        raise EventError("slug", f"Another event already uses “{slug}”.")


def check_details(details: EventDetails) -> None:
    """Raise :class:`EventError` on an unknown zone, reversed dates or reversed CfP window."""
    if not is_valid_time_zone(details.time_zone):
        raise EventError(
            "time_zone", f"“{details.time_zone}” is not an IANA time zone (e.g. Europe/Brussels)."
        )
    if details.end_date < details.start_date:
        raise EventError("end_date", "The last day cannot be before the first day.")
    if (details.cfp_opens_at is None) != (details.cfp_closes_at is None):
        field = "cfp_closes_at" if details.cfp_closes_at is None else "cfp_opens_at"
        raise EventError(field, "Set both the CfP opening and closing, or neither.")
    if (
        details.cfp_opens_at is not None
        and details.cfp_closes_at is not None
        and details.cfp_closes_at <= details.cfp_opens_at
    ):
        raise EventError("cfp_closes_at", "The CfP must close after it opens.")


def _apply_details(event: Event, details: EventDetails) -> None:
    event.name = details.name
    event.time_zone = details.time_zone
    event.start_date = details.start_date
    event.end_date = details.end_date
    event.cfp_opens_at = details.cfp_opens_at
    event.cfp_closes_at = details.cfp_closes_at
    event.is_public = details.is_public
    event.description = details.description
    event.url = details.url


def create_event(*, slug: str, details: EventDetails, creator: User) -> Event:
    """Create an event and make ``creator`` its first organizer.

    Raises:
        EventError: bad slug, unknown zone, reversed dates or CfP window.
    """
    check_slug(slug)
    check_details(details)
    event = Event(slug=slug)
    _apply_details(event, details)
    db.session.add(event)
    db.session.flush()
    db.session.add(
        EventMembership(event_id=event.id, user_id=creator.id, role=TeamRole.ORGANIZER.value)
    )
    db.session.commit()
    return event


def update_event(*, event: Event, details: EventDetails) -> Event:
    """Change an event's settings (the slug stays: it is in every published link).

    Raises:
        EventError: unknown zone, reversed dates or CfP window.
    """
    check_details(details)
    _apply_details(event, details)
    db.session.commit()
    return event


# -- tracks, rooms, session types ------------------------------------------------------------


def _check_unique_name(model: type, *, event: Event, name: str, exclude_id: int | None) -> None:
    query = select(model.id).where(model.event_id == event.id, model.name == name)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise EventError("name", f"“{name}” already exists in this event.")


def save_track(*, event: Event, name: str, color: str, track: Track | None = None) -> Track:
    """Create (``track=None``) or update a track; ``color`` is ``#rrggbb``.

    Raises:
        EventError: duplicate name or malformed colour.
    """
    if not COLOR_PATTERN.match(color):
        raise EventError("color", "Use a colour like #3366cc.")
    _check_unique_name(Track, event=event, name=name, exclude_id=track.id if track else None)
    track = track or Track(event_id=event.id)
    track.name, track.color = name, color.lower()
    db.session.add(track)
    db.session.commit()
    return track


def save_room(
    *, event: Event, name: str, capacity: int | None, position: int, room: Room | None = None
) -> Room:
    """Create (``room=None``) or update a room; ``position`` orders schedule columns.

    Raises:
        EventError: duplicate name or negative capacity.
    """
    if capacity is not None and capacity < 0:
        raise EventError("capacity", "Capacity cannot be negative.")
    _check_unique_name(Room, event=event, name=name, exclude_id=room.id if room else None)
    room = room or Room(event_id=event.id)
    room.name, room.capacity, room.position = name, capacity, position
    db.session.add(room)
    db.session.commit()
    return room


def save_session_type(
    *,
    event: Event,
    name: str,
    default_duration_minutes: int,
    session_type: SessionType | None = None,
) -> SessionType:
    """Create (``session_type=None``) or update a session type; duration in whole minutes.

    Raises:
        EventError: duplicate name or a duration that is not positive.
    """
    if default_duration_minutes <= 0:
        raise EventError("default_duration_minutes", "The duration must be at least 1 minute.")
    _check_unique_name(
        SessionType, event=event, name=name, exclude_id=session_type.id if session_type else None
    )
    session_type = session_type or SessionType(event_id=event.id)
    session_type.name = name
    session_type.default_duration_minutes = default_duration_minutes
    db.session.add(session_type)
    db.session.commit()
    return session_type


def delete_catalog_item(*, item: Track | Room | SessionType) -> None:
    """Delete a track, room or session type; submissions and slots keep existing (set NULL)."""
    db.session.delete(item)
    db.session.commit()


# -- team ---------------------------------------------------------------------------------------


def invite_team_member(
    *, event: Event, email: str, role: TeamRole | str, invited_by: User
) -> tuple[TeamInvitation, str]:
    """Invite ``email`` to the team as organizer or reviewer and queue the invitation mail.

    Returns:
        ``(invitation, token)``: the token is only in the mail; the row stores its hash.

    Raises:
        EventError: unknown role, or that address already holds the role.
    """
    try:
        team_role = TeamRole(role)
    except ValueError:
        raise EventError("role", "Choose organizer or reviewer.") from None
    address = email.strip().lower()
    holder = db.session.scalar(
        select(EventMembership.id)
        .join(User, User.id == EventMembership.user_id)
        .where(
            EventMembership.event_id == event.id,
            EventMembership.role == team_role.value,
            func.lower(User.email) == address,
        )
    )
    if holder is not None:
        raise EventError("email", f"{address} is already {team_role.value} of this event.")
    token, token_hash = new_token()
    invitation = TeamInvitation(
        event_id=event.id,
        email=address,
        role=team_role.value,
        token=token_hash,
        invited_by_id=invited_by.id,
    )
    db.session.add(invitation)
    queue_mail(
        to=[address],
        template="events_team_invitation",
        context={
            "event_name": event.name,
            "role": team_role.value,
            "inviter_name": invited_by.name or invited_by.email,
            "link": invitation_link(f"/invite/team/{token}"),
            "valid_days": INVITATION_LIFETIME.days,
        },
        event_id=event.id,
        commit=False,
    )
    db.session.commit()
    return invitation, token


def find_open_invitation(
    model: type[InvitationT],
    token: str,
    *,
    lifetime: timedelta = INVITATION_LIFETIME,
    now: datetime | None = None,
) -> InvitationT | None:
    """The unaccepted invitation of ``model`` (team or co-speaker) for the mailed ``token``,
    unless it is older than ``lifetime``; ``None`` otherwise. ``now`` is a UTC instant."""
    invitation = db.session.scalar(select(model).where(model.token == hash_token(token)))
    if invitation is None or invitation.accepted_at is not None:
        return None
    if invitation.created_at + lifetime < (now or utcnow()):
        return None
    return invitation


def find_team_invitation(token: str, *, now: datetime | None = None) -> TeamInvitation | None:
    """The open (unaccepted, unexpired) invitation for the mailed ``token``, else ``None``."""
    return find_open_invitation(TeamInvitation, token, now=now)


def accept_team_invitation(
    *, invitation: TeamInvitation, user: User, now: datetime | None = None
) -> EventMembership:
    """Give ``user`` the invitation's role (once) and mark the invitation used.

    The invitation link is the credential: whoever received it may accept with their account.
    """
    membership = db.session.scalar(
        select(EventMembership).where(
            EventMembership.event_id == invitation.event_id,
            EventMembership.user_id == user.id,
            EventMembership.role == invitation.role,
        )
    )
    if membership is None:
        membership = EventMembership(
            event_id=invitation.event_id, user_id=user.id, role=invitation.role
        )
        db.session.add(membership)
    invitation.accepted_at = now or utcnow()
    invitation.accepted_by_id = user.id
    db.session.commit()
    return membership


def remove_team_member(*, membership: EventMembership) -> None:
    """End one team role.

    Raises:
        EventError: it is the event's last organizer (nobody could manage the event any more).
    """
    if membership.role == TeamRole.ORGANIZER:
        organizers = db.session.scalar(
            select(func.count(EventMembership.id)).where(
                EventMembership.event_id == membership.event_id,
                EventMembership.role == TeamRole.ORGANIZER.value,
            )
        )
        if organizers <= 1:
            raise EventError("membership", "An event needs at least one organizer.")
    db.session.delete(membership)
    db.session.commit()


def revoke_team_invitation(*, invitation: TeamInvitation) -> None:
    """Delete a pending team invitation so its link stops working."""
    db.session.delete(invitation)
    db.session.commit()
