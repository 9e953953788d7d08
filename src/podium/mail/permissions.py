"""Who may read the outbox.

The whole outbox is for site administrators only (account mails hold links that log people
in); an event's own mail is for that event's organizers.
"""

from __future__ import annotations

from podium.accounts.permissions import is_site_admin, require_admin
from podium.events.permissions import require_organizer

__all__ = ["can_read_outbox", "require_event_mail_reader", "require_outbox_reader"]


def can_read_outbox(user: object) -> bool:
    """True for site administrators."""
    return is_site_admin(user)  # type: ignore[arg-type]


def require_outbox_reader() -> None:
    """Send anonymous visitors to log in; abort 403 for everyone but administrators."""
    require_admin()


def require_event_mail_reader(event: object) -> None:
    """Send anonymous visitors to log in; abort 403 unless the user organizes ``event``.

    Organizers see only their event's mail (the queries filter on ``event_id``); account mail
    such as password resets has no event and stays visible to administrators only.
    """
    require_organizer(event)  # type: ignore[arg-type]
