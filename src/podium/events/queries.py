"""Read-only questions about events; each function runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from podium.accounts.models import User
from podium.cfp.models import Submission
from podium.events.enums import TeamRole
from podium.events.models import Event, EventMembership, TeamInvitation
from podium.extensions import db


def event_by_slug(slug: str) -> Event | None:
    """The event with ``slug``, or ``None``."""
    return db.session.scalar(select(Event).where(Event.slug == slug))


def events_organized_by(user: User) -> list[Event]:
    """Events ``user`` organizes (all events for site administrators), newest first (1 query)."""
    query = select(Event).order_by(Event.start_date.desc(), Event.id.desc())
    if not user.is_admin:
        query = query.where(
            Event.id.in_(
                select(EventMembership.event_id).where(
                    EventMembership.user_id == user.id,
                    EventMembership.role == TeamRole.ORGANIZER.value,
                )
            )
        )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class TeamMember:
    """One row of the team page: a membership and its user."""

    membership: EventMembership
    user: User


def team_of(event: Event) -> list[TeamMember]:
    """The event's memberships with their users, by role then name (1 query)."""
    rows = db.session.execute(
        select(EventMembership, User)
        .join(User, User.id == EventMembership.user_id)
        .where(EventMembership.event_id == event.id)
        .order_by(EventMembership.role, User.name, User.email)
    )
    return [TeamMember(membership=m, user=u) for m, u in rows]


def pending_team_invitations(event: Event) -> list[TeamInvitation]:
    """Invitations of ``event`` nobody accepted yet, oldest first (1 query)."""
    return list(
        db.session.scalars(
            select(TeamInvitation)
            .where(TeamInvitation.event_id == event.id, TeamInvitation.accepted_at.is_(None))
            .order_by(TeamInvitation.created_at, TeamInvitation.id)
        )
    )


def submission_counts_by_state(event: Event) -> dict[str, int]:
    """``{state: number of submissions}`` for ``event`` (1 query; absent states omitted)."""
    rows = db.session.execute(
        select(Submission.state, func.count(Submission.id))
        .where(Submission.event_id == event.id)
        .group_by(Submission.state)
    )
    return {state: count for state, count in rows}


# -- nav: the events of the header's "Organize" page ---------------------------------------------


@dataclass(frozen=True)
class WorkspaceEvent:
    """An event on a user's "Organize" page: the team roles held (sorted; empty for a site
    administrator who is on no team of it) and whether the user may open its dashboard."""

    event: Event
    roles: tuple[str, ...]
    organizes: bool


def workspace_events(user: User) -> list[WorkspaceEvent]:
    """Events ``user`` organizes or reviews (every event for site administrators), newest
    first (1 query)."""
    query = (
        select(Event, EventMembership.role)
        .outerjoin(
            EventMembership,
            (EventMembership.event_id == Event.id) & (EventMembership.user_id == user.id),
        )
        .order_by(Event.start_date.desc(), Event.id.desc(), EventMembership.role)
    )
    if not user.is_admin:
        query = query.where(EventMembership.id.is_not(None))
    by_event: dict[int, tuple[Event, list[str]]] = {}
    for event, role in db.session.execute(query):
        roles = by_event.setdefault(event.id, (event, []))[1]
        if role is not None:
            roles.append(role)
    return [
        WorkspaceEvent(
            event=event,
            roles=tuple(sorted(roles)),
            organizes=bool(user.is_admin) or TeamRole.ORGANIZER.value in roles,
        )
        for event, roles in by_event.values()
    ]
