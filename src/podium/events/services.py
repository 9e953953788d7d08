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
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import OperationalError

from podium.accounts.models import User
from podium.cfp.models import CoSpeakerInvitation
from podium.db import utcnow
from podium.events.enums import RESERVED_SLUGS, TeamRole
from podium.events.languages import is_known_content_language
from podium.events.models import Event, EventMembership, Room, SessionType, TeamInvitation, Track
from podium.events.times import is_valid_time_zone
from podium.extensions import db
from podium.i18n.locales import LANGUAGES
from podium.mail.services import queue_mail

# \Z, not $: "$" also matches before a final newline, so "#123456\n" would pass.
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?\Z")
INVITATION_LIFETIME = timedelta(days=30)
# How often a team change is tried when SQLite reports "database is locked" (each try first
# waits busy_timeout for the lock; see podium.database).
BUSY_ATTEMPTS = 3
COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}\Z")


class EventError(ValueError):
    """Input an event service refuses; ``field`` names the form field it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class InvitationUsedError(EventError):
    """The invitation was accepted (or revoked) by another request before this one."""


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
    # None keeps the stored value (a form or caller that does not set it).
    default_language: str | None = None
    content_languages: tuple[str, ...] | None = None


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
            "slug", _("Use 1 to 80 lower-case letters, digits and hyphens (not at either end).")
        )
    if slug in RESERVED_SLUGS:
        raise EventError("slug", _("“%(slug)s” is reserved for Podium's own pages.", slug=slug))
    query = select(Event.id).where(Event.slug == slug)
    if exclude_event_id is not None:
        query = query.where(Event.id != exclude_event_id)
    if db.session.scalar(query) is not None:
        raise EventError("slug", _("Another event already uses “%(slug)s”.", slug=slug))


def check_details(details: EventDetails) -> None:
    """Raise :class:`EventError` on an unknown zone, reversed dates or reversed CfP window."""
    if not is_valid_time_zone(details.time_zone):
        raise EventError(
            "time_zone",
            _(
                "“%(zone)s” is not an IANA time zone (e.g. Europe/Brussels).",
                zone=details.time_zone,
            ),
        )
    if details.end_date < details.start_date:
        raise EventError("end_date", _("The last day cannot be before the first day."))
    if (details.cfp_opens_at is None) != (details.cfp_closes_at is None):
        field = "cfp_closes_at" if details.cfp_closes_at is None else "cfp_opens_at"
        raise EventError(field, _("Set both the CfP opening and closing, or neither."))
    if (
        details.cfp_opens_at is not None
        and details.cfp_closes_at is not None
        and details.cfp_closes_at <= details.cfp_opens_at
    ):
        raise EventError("cfp_closes_at", _("The CfP must close after it opens."))
    if details.default_language is not None and details.default_language not in LANGUAGES:
        raise EventError(
            "default_language",
            _(
                "Default language: “%(code)s” is not one of the listed languages.",
                code=details.default_language[:20],
            ),
        )
    for code in details.content_languages or ():
        if not is_known_content_language(code):
            raise EventError(
                "content_languages",
                _(
                    "Languages of sessions: “%(code)s” is not one of the listed languages.",
                    code=code[:20],
                ),
            )


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
    if details.default_language is not None:
        event.default_language = details.default_language
    if details.content_languages is not None:
        event.content_languages = list(details.content_languages)


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
        raise EventError("name", _("“%(name)s” already exists in this event.", name=name))


def save_track(*, event: Event, name: str, color: str, track: Track | None = None) -> Track:
    """Create (``track=None``) or update a track; ``color`` is ``#rrggbb``.

    Raises:
        EventError: duplicate name or malformed colour.
    """
    if not COLOR_PATTERN.match(color):
        raise EventError("color", _("Use a colour like #3366cc."))
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
        raise EventError("capacity", _("Capacity cannot be negative."))
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
        raise EventError("default_duration_minutes", _("The duration must be at least 1 minute."))
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
        raise EventError("role", _("Choose organizer or reviewer.")) from None
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
        raise EventError(
            "email",
            _(
                "%(email)s is already %(role)s of this event.",
                email=address,
                role=_("organizer") if team_role is TeamRole.ORGANIZER else _("reviewer"),
            ),
        )
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
    """The unaccepted (and, where the model has it, uncanceled) invitation of ``model`` (team
    or co-speaker) for the mailed ``token``, unless it is older than ``lifetime``; ``None``
    otherwise. ``now`` is a UTC instant."""
    invitation = db.session.scalar(select(model).where(model.token == hash_token(token)))
    if invitation is None or invitation.accepted_at is not None:
        return None
    if getattr(invitation, "canceled_at", None) is not None:  # co-speaker links can be canceled
        return None
    if invitation.created_at + lifetime < (now or utcnow()):
        return None
    return invitation


def find_team_invitation(token: str, *, now: datetime | None = None) -> TeamInvitation | None:
    """The open (unaccepted, unexpired) invitation for the mailed ``token``, else ``None``."""
    return find_open_invitation(TeamInvitation, token, now=now)


def claim_invitation(
    model: type[InvitationT], invitation_id: int, *, user_id: int, accepted_at: datetime
) -> bool:
    """Mark invitation ``invitation_id`` of ``model`` (team or co-speaker) as accepted by
    ``user_id`` at ``accepted_at`` (aware UTC), unless it already is; does not commit.

    One conditional UPDATE (``... WHERE id = :id AND accepted_at IS NULL``, and ``canceled_at
    IS NULL`` for models that can be canceled): when two requests accept the same link at once,
    or one cancels it meanwhile, the database lets exactly one of them change the row, so at
    most one acceptance gets ``True``. On ``False`` the caller rolls back and grants nothing. It
    must be the transaction's first write: on SQLite that takes the write lock before anything
    is read.
    """
    still_open = [model.id == invitation_id, model.accepted_at.is_(None)]
    canceled_at = getattr(model, "canceled_at", None)
    if canceled_at is not None:
        still_open.append(canceled_at.is_(None))
    result = db.session.execute(
        update(model)
        .where(*still_open)
        .values(accepted_at=accepted_at, accepted_by_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def accept_team_invitation(
    *, invitation: TeamInvitation, user: User, now: datetime | None = None
) -> EventMembership:
    """Give ``user`` the invitation's role (once) and mark the invitation used.

    The invitation link is the credential: whoever received it may accept with their account.
    Of two accounts accepting the same link at once only one gets the role; the same account
    accepting twice (a double click) gets its membership back.

    Raises:
        InvitationUsedError: another account accepted the invitation first, or it was revoked.
    """
    invitation_id, event_id, role = invitation.id, invitation.event_id, invitation.role
    if not claim_invitation(
        TeamInvitation, invitation_id, user_id=user.id, accepted_at=now or utcnow()
    ):
        db.session.rollback()
        accepted_by = db.session.scalar(
            select(TeamInvitation.accepted_by_id).where(TeamInvitation.id == invitation_id)
        )
        membership = _membership(event_id=event_id, user_id=user.id, role=role)
        if accepted_by == user.id and membership is not None:
            return membership
        raise InvitationUsedError(
            "invitation",
            _(
                "This invitation has already been used by another account, so it cannot be "
                "accepted again. Ask the organizers for a new invitation if you still need one."
            ),
        )
    membership = _membership(event_id=event_id, user_id=user.id, role=role)
    if membership is None:
        membership = EventMembership(event_id=event_id, user_id=user.id, role=role)
        db.session.add(membership)
    db.session.commit()
    return membership


def _membership(*, event_id: int, user_id: int, role: str) -> EventMembership | None:
    return db.session.scalar(
        select(EventMembership).where(
            EventMembership.event_id == event_id,
            EventMembership.user_id == user_id,
            EventMembership.role == role,
        )
    )


def remove_team_member(*, membership: EventMembership) -> None:
    """End one team role; a role another request removed meanwhile counts as removed.

    The event is locked before organizers are counted, so two requests removing the last two
    organizers (or two organizers removing each other) run one after the other and the second
    one is refused. A SQLite "database is locked" is retried ``BUSY_ATTEMPTS`` times.

    Raises:
        EventError: it is the event's last organizer (nobody could manage the event any more),
            or the database stayed busy (field ``membership`` in both cases).
    """
    event_id, membership_id = membership.event_id, membership.id
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            _remove_membership(event_id=event_id, membership_id=membership_id)
        except OperationalError as exc:
            db.session.rollback()
            if not _is_busy(exc):
                raise
            if attempt == BUSY_ATTEMPTS:
                raise EventError(
                    "membership",
                    _(
                        "The team was being changed by another request at the same moment; "
                        "reload the page and try again."
                    ),
                ) from None
        else:
            return


def _remove_membership(*, event_id: int, membership_id: int) -> None:
    _lock_event(event_id)
    role = db.session.scalar(
        select(EventMembership.role).where(EventMembership.id == membership_id)
    )
    if role == TeamRole.ORGANIZER.value:
        organizers = db.session.scalar(
            select(func.count(EventMembership.id)).where(
                EventMembership.event_id == event_id,
                EventMembership.role == TeamRole.ORGANIZER.value,
            )
        )
        if organizers <= 1:
            db.session.rollback()
            raise EventError("membership", _("An event needs at least one organizer."))
    if role is not None:
        db.session.execute(delete(EventMembership).where(EventMembership.id == membership_id))
    db.session.commit()


def _lock_event(event_id: int) -> None:
    """Lock event ``event_id`` until the transaction ends: team changes then queue up on it.

    PostgreSQL: a row lock (``SELECT ... FOR UPDATE``); under READ COMMITTED each later
    statement sees what the request before it committed. SQLite has no row locks: a write that
    changes nothing takes the database's write lock before anything is read, so no other writer
    can commit between our count and our delete (and no stale read snapshot needs upgrading).
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())
    else:
        db.session.execute(
            update(Event)
            .where(Event.id == event_id)
            .values(name=Event.name)
            .execution_options(synchronize_session=False)
        )


def _is_busy(exc: OperationalError) -> bool:
    """True for SQLite's "database is locked" (busy, busy snapshot), worth another try."""
    original = exc.orig
    name = getattr(original, "sqlite_errorname", "")
    return name.startswith("SQLITE_BUSY") or "database is locked" in str(original)


def revoke_team_invitation(*, invitation: TeamInvitation) -> None:
    """Delete a pending team invitation so its link stops working."""
    db.session.delete(invitation)
    db.session.commit()
