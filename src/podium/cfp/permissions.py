"""Who may see and change CfP pages and submissions.

Speakers reach only their own submissions: anything else answers 404, so changing the id in a
URL does not even reveal that another submission exists. Organizers use the /orga/ pages.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from podium.cfp import queries
from podium.cfp.models import Submission
from podium.events.models import Event
from podium.events.permissions import is_organizer, is_reviewer, require_login, require_organizer
from podium.events.queries import event_by_slug


def can_see_event(user: object, event: Event) -> bool:
    """Public events are visible to everyone; others only to their team."""
    return event.is_public or is_organizer(user, event) or is_reviewer(user, event)  # type: ignore[arg-type]


def visible_event_or_404(slug: str) -> Event:
    """The event for ``slug`` if the current visitor may see it; 404 otherwise."""
    event = event_by_slug(slug)
    if event is None or not can_see_event(current_user, event):
        abort(404)
    return event


def organized_event_or_404(slug: str) -> Event:
    """The event for ``slug``; 404 if unknown, login/403 unless the user organizes it."""
    event = event_by_slug(slug)
    if event is None:
        abort(404)
    require_organizer(event)
    return event


def own_submission_or_404(event: Event, submission_id: int) -> Submission:
    """The current user's submission ``submission_id`` in ``event``; login first, else 404."""
    require_login()
    submission = queries.speaker_submission(current_user, event, submission_id)
    if submission is None:
        abort(404)
    return submission
