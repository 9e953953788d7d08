"""Who may edit and publish an event's schedule: its organizers (and site administrators)."""

from __future__ import annotations

from podium.events.models import Event
from podium.events.permissions import require_organizer


def require_schedule_editor(event: Event) -> None:
    """Send anonymous visitors to log in; abort 403 unless the user organizes ``event``."""
    require_organizer(event)
