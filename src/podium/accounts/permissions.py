"""Site-wide permissions: logged-in users and site administrators.

Per-event team roles (organizer, reviewer) live in :mod:`podium.events.permissions`.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from podium.accounts.models import User
from podium.extensions import login_manager


def is_site_admin(user: User | None) -> bool:
    """True for an active, logged-in site administrator."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_admin", False)
    )


def require_user() -> None:
    """Send an anonymous visitor to the login page (and back afterwards)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def require_admin() -> None:
    """Send anonymous visitors to log in; abort 403 unless the user is a site administrator."""
    require_user()
    if not is_site_admin(current_user):
        abort(403)
