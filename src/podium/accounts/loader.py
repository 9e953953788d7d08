"""Flask-Login's user loader (the session holds ``"<id>:<security stamp>"``) and the language
of its "please log in" message."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from podium.accounts.models import User
from podium.extensions import db


def load_user(session_id: str) -> User | None:
    """Return the active user for a session id, or ``None`` if it is stale or unknown.

    A stale security stamp (password changed, session rotated) logs the session out.
    """
    user_id, _sep, stamp = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.security_stamp != stamp or not user.is_active:
        return None
    return user


# Flask-Login flashes its own English default when a page needs an account; it is marked here
# so the catalogues carry it, and Flask-Login's localize_callback translates it.
LOGIN_MESSAGE = _l("Please log in to access this page.")


def localize_login_message(message: str) -> str:
    """Flask-Login's ``localize_callback``: ``message`` in the request's language."""
    return gettext(message)
