"""Who may do what in an event: team roles and the site administrator.

Views call these; templates only hide links. Every check takes the user explicitly so that
services and tests can ask the same questions outside a request.
"""

from __future__ import annotations

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import select

from podium.accounts.models import User
from podium.events.enums import TeamRole
from podium.events.models import Event, EventMembership
from podium.extensions import db, login_manager


def team_roles(user: User | None, event: Event) -> set[str]:
    """The team roles (``organizer``, ``reviewer``) ``user`` holds in ``event``.

    Inside a request the answer is remembered for the rest of that request (one query).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    # nav: asked by the view's check and again by the layout's organizer menu; one query per
    # request (roles only change in another request: accepting an invitation redirects).
    memo = g.setdefault("_podium_team_roles", {}) if has_request_context() else {}
    key = (user.id, event.id)
    if key not in memo:
        rows = db.session.scalars(
            select(EventMembership.role).where(
                EventMembership.event_id == event.id, EventMembership.user_id == user.id
            )
        )
        memo[key] = frozenset(rows)
    return set(memo[key])


def is_organizer(user: User | None, event: Event) -> bool:
    """True for the event's organizers and for site administrators."""
    if user is not None and getattr(user, "is_admin", False):
        return True
    return TeamRole.ORGANIZER in team_roles(user, event)


def is_reviewer(user: User | None, event: Event) -> bool:
    """True for the event's reviewers (organizers are not reviewers unless also given the role)."""
    return TeamRole.REVIEWER in team_roles(user, event)


def require_login() -> None:
    """Send an anonymous visitor to the login page (and back afterwards)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def require_organizer(event: Event) -> None:
    """Send anonymous visitors to log in; abort 403 unless the current user organizes."""
    require_login()
    if not is_organizer(current_user, event):
        abort(403)


def require_reviewer(event: Event) -> None:
    """Abort with 401/403 unless the current user reviews ``event``."""
    require_login()
    if not is_reviewer(current_user, event):
        abort(403)


def can_create_events(user: User | None) -> bool:
    """Only site administrators create events; they then invite the organizers."""
    return user is not None and bool(getattr(user, "is_admin", False))


def require_event_creator() -> None:
    """Send anonymous visitors to log in; abort 403 unless the user may create events."""
    require_login()
    if not can_create_events(current_user):
        abort(403)
