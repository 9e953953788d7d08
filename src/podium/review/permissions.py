"""Who may use the review feature's pages, and what the current review phase allows.

Checks of roles delegate to :mod:`podium.events.permissions`. Reviewers additionally only see
what :func:`podium.review.queries.visible_pairs` allows; that is enforced in the queries.

What a reviewer or speaker may do *now* is decided here, once, by combining the event's own
settings (anonymised review, review closing instant) with the current review phase (see
:func:`podium.review.queries.current_phase`): every reviewer view, and other features that
show reviewers or bidders something about speakers, call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import select

from podium.db import utcnow
from podium.events.models import Event
from podium.events.permissions import require_login, require_organizer, require_reviewer
from podium.extensions import db
from podium.review import queries

__all__ = [
    "PhaseRules",
    "event_or_404",
    "other_reviews_visible",
    "phase_rules",
    "require_login",
    "require_organizer",
    "require_reviewer",
    "reviews_open",
    "speaker_names_visible",
    "speakers_may_edit",
]


def event_or_404(slug: str) -> Event:
    """The event with ``slug``, or abort 404."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    return event


@dataclass(frozen=True)
class PhaseRules:
    """What the review process allows at one instant.

    ``phase`` is the current phase's name, ``""`` when no phase is in force (then the event's
    settings alone decide, as before phases existed: reviewers score until the closing
    instant, see only their own reviews, see speakers unless review is anonymised, and
    speakers edit while the CfP is open).
    """

    phase: str
    can_review: bool
    can_see_other_reviews: bool
    can_see_speaker_names: bool
    speakers_can_edit: bool


def phase_rules(event: Event, now: datetime | None = None) -> PhaseRules:
    """The rules in force for ``event`` at ``now`` (aware UTC, default now); one query.

    A phase can only restrict the event's settings: anonymised review hides speaker names
    whatever the phase says, and no one scores after ``review_closes_at``.
    """
    now = now or utcnow()
    phase = queries.current_phase(event, now)
    before_close = event.review_closes_at is None or now < event.review_closes_at
    if phase is None:
        return PhaseRules(
            phase="",
            can_review=before_close,
            can_see_other_reviews=False,
            can_see_speaker_names=not event.anonymised_review,
            speakers_can_edit=True,
        )
    return PhaseRules(
        phase=phase.name,
        can_review=before_close and phase.can_review,
        can_see_other_reviews=phase.can_see_other_reviews,
        can_see_speaker_names=not event.anonymised_review and phase.can_see_speaker_names,
        speakers_can_edit=phase.speakers_can_edit,
    )


def speaker_names_visible(event: Event, now: datetime | None = None) -> bool:
    """True when reviewers may see who speaks (names, biographies, notes) at ``now``.

    False when the event's review is anonymised or the current phase hides speaker names.
    The one rule for every reviewer-facing page, export and other feature (CfP questions
    hidden from reviewers, bidding); one query.
    """
    return phase_rules(event, now).can_see_speaker_names


def reviews_open(event: Event, now: datetime | None = None) -> bool:
    """True when reviewers may create or change reviews at ``now`` (one query)."""
    return phase_rules(event, now).can_review


def other_reviews_visible(event: Event, now: datetime | None = None) -> bool:
    """True when reviewers may read other reviewers' scores and comments (one query)."""
    return phase_rules(event, now).can_see_other_reviews


def speakers_may_edit(event: Event, now: datetime | None = None) -> bool:
    """False when the current review phase freezes submissions for their speakers.

    Only the review phase's say; the CfP window and the submission's state are checked by
    :mod:`podium.cfp` as before. One query.
    """
    return phase_rules(event, now).speakers_can_edit
