"""Who may manage an event's webhooks: its organizers (and site administrators)."""

from __future__ import annotations

from podium.events.models import Event
from podium.events.permissions import require_organizer

__all__ = ["require_webhook_manager"]


def require_webhook_manager(event: Event) -> None:
    """Send anonymous visitors to log in; 403 unless the user organizes ``event``.

    Endpoints' secrets and delivery bodies (speakers' names, submission titles) are the
    organizers' business only.
    """
    require_organizer(event)
