"""Who may use the review feature's pages (checks delegate to podium.events.permissions).

Reviewers additionally only see what :func:`podium.review.queries.visible_pairs` allows; that
is enforced in the queries, not here.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from podium.events.models import Event
from podium.events.permissions import require_login, require_organizer, require_reviewer
from podium.extensions import db

__all__ = ["event_or_404", "require_login", "require_organizer", "require_reviewer"]


def event_or_404(slug: str) -> Event:
    """The event with ``slug``, or abort 404."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    return event
