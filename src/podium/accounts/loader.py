"""Flask-Login's user loader: the session holds ``"<id>:<security stamp>"``."""

from __future__ import annotations

from podium.accounts.models import User
from podium.extensions import db


def load_user(session_id: str) -> User | None:
    """Return the active user for a session id, or ``None`` if it is stale or unknown.

    A stale security stamp (password changed, session rotated) logs the session out.
    """
    user_id, _, stamp = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.security_stamp != stamp or not user.is_active:
        return None
    return user
