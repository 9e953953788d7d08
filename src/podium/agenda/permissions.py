"""Who may use the agenda and widget pages; every view asks here."""

from __future__ import annotations

from flask import abort, jsonify, make_response
from flask_babel import gettext as _
from flask_login import current_user

from podium.accounts.models import User
from podium.events.models import Event
from podium.events.permissions import is_organizer, require_login, require_organizer


def can_see_event(user: User | None, event: Event) -> bool:
    """A public event's program is everyone's; a private one only its organizers'."""
    return event.is_public or is_organizer(user, event)


def require_visible(event: Event | None) -> Event:
    """``event``, or 404 when it does not exist or the current user may not see it (a private
    event's existence is not revealed)."""
    if event is None or not can_see_event(current_user, event):
        abort(404, description=_("There is no such event."))
    return event


def require_account(*, json: bool = False) -> None:
    """Stored stars and feeds belong to an account: anonymous visitors are sent to log in
    (``json``: answered 401 with a JSON body, for script calls)."""
    if json and not current_user.is_authenticated:
        abort(make_response(jsonify(error="Log in to keep stars in your account."), 401))
    require_login()


def require_widget_organizer(event: Event) -> None:
    """Only the event's organizers (and site administrators) set who may embed the widget."""
    require_organizer(event)
