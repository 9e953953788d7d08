"""Who may see and change availability.

A speaker sees and (until the schedule is published) changes their own availability at an
event where they speak; anyone else gets 404, so the page does not reveal who speaks. The
event's organizers (and site administrators) see everyone's and change it at any time.
"""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from podium.availability import queries
from podium.cfp.models import SpeakerProfile
from podium.cfp.permissions import visible_event_or_404
from podium.events.models import Event
from podium.events.permissions import require_login, require_organizer
from podium.events.queries import event_by_slug


def own_profile_or_404(slug: str) -> tuple[Event, SpeakerProfile]:
    """The event and the current user's speaker profile there; login first, else 404."""
    event = visible_event_or_404(slug)
    require_login()
    profile = queries.speaker_in_event(current_user.id, event)
    if profile is None:
        abort(404, description=_("You have no submission to this event."))
    return event, profile


def speaker_may_edit(event: Event) -> bool:
    """Speakers change their availability only until the first release is published."""
    return not queries.schedule_published(event)


def organized_event_or_404(slug: str) -> Event:
    """The event for ``slug``; 404 if unknown, login/403 unless the user organizes it."""
    event = event_by_slug(slug)
    if event is None:
        abort(404)
    require_organizer(event)
    return event


def organized_speaker_or_404(event: Event, speaker_id: int) -> SpeakerProfile:
    """Speaker ``speaker_id`` of ``event`` (call after :func:`organized_event_or_404`)."""
    profile = queries.event_speaker(event, speaker_id)
    if profile is None:
        abort(404, description=_("This person does not speak at this event."))
    return profile
