"""Who may see and change CfP pages and submissions.

Speakers reach only their own submissions: anything else answers 404, so changing the id in a
URL does not even reveal that another submission exists. Organizers use the /orga/ pages.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from podium.cfp import queries
from podium.cfp.models import CoSpeakerInvitation, Submission, SubmissionSpeaker
from podium.events.models import Event
from podium.events.permissions import is_organizer, is_reviewer, require_login, require_organizer
from podium.events.queries import event_by_slug
from podium.extensions import db
from podium.review.permissions import speakers_may_edit


def can_see_event(user: object, event: Event) -> bool:
    """Public events are visible to everyone; others only to their team."""
    return event.is_public or is_organizer(user, event) or is_reviewer(user, event)  # type: ignore[arg-type]


def review_phase_allows_speaker_edits(event: Event, now: datetime | None = None) -> bool:
    """False while the current review phase of ``event`` freezes submissions for speakers.

    Checked on every speaker write (edit, remove a co-speaker, cancel an invitation) on top
    of the CfP window and the submission's state; organizers are never frozen. ``now`` is
    aware UTC (default now). One query.
    """
    return speakers_may_edit(event, now)


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


# -- who may remove whom ------------------------------------------------------------------------
#
# On the speaker pages (while the CfP is open; the service checks the deadline):
# - the submitter may remove any co-speaker and cancel any pending invitation;
# - a co-speaker may remove only themselves (leave) and cancel only invitations they sent;
# - nobody removes the submitter, and a submission always keeps at least one speaker.
# Organizers (their /orga/ page) may remove any speaker but the submitter and cancel any
# pending invitation at any time, as they may edit and invite at any time.


def speaker_link_of(user: object, submission: Submission) -> SubmissionSpeaker | None:
    """``user``'s link among ``submission.speakers`` (loaded), or ``None``."""
    user_id = getattr(user, "id", None)
    if user_id is None:
        return None
    return next((s for s in submission.speakers if s.speaker.user_id == user_id), None)


def may_remove_speaker(user: object, submission: Submission, target: SubmissionSpeaker) -> bool:
    """True if speaker ``user`` may remove ``target`` from ``submission`` (rules above)."""
    if target.is_submitter:
        return False
    own = speaker_link_of(user, submission)
    return own is not None and (own.is_submitter or own.id == target.id)


def may_cancel_invitation(
    user: object, submission: Submission, invitation: CoSpeakerInvitation
) -> bool:
    """True if speaker ``user`` may cancel ``invitation`` of ``submission`` (rules above)."""
    own = speaker_link_of(user, submission)
    return own is not None and (
        own.is_submitter or invitation.invited_by_id == getattr(user, "id", None)
    )


def submission_speaker_or_404(submission: Submission, speaker_id: int) -> SubmissionSpeaker:
    """The link of speaker profile ``speaker_id`` to ``submission``; 404 if not a speaker."""
    link = next((s for s in submission.speakers if s.speaker_id == speaker_id), None)
    if link is None:
        abort(404)
    return link


def removable_speaker_or_403(submission: Submission, speaker_id: int) -> SubmissionSpeaker:
    """Speaker ``speaker_id`` of the current user's ``submission`` if they may remove them.

    404 if not a speaker of it; 403 if the rules above do not let the current user.
    """
    link = submission_speaker_or_404(submission, speaker_id)
    if not may_remove_speaker(current_user, submission, link):
        abort(403, _("Only the submitter can remove other speakers, and nobody the submitter."))
    return link


def pending_invitation_or_404(submission: Submission, invitation_id: int) -> CoSpeakerInvitation:
    """The pending (not accepted or canceled) invitation ``invitation_id`` of ``submission``."""
    invitation = db.session.get(CoSpeakerInvitation, invitation_id)
    if (
        invitation is None
        or invitation.submission_id != submission.id
        or invitation.accepted_at is not None
        or invitation.canceled_at is not None
    ):
        abort(404)
    return invitation


def cancelable_invitation_or_403(submission: Submission, invitation_id: int) -> CoSpeakerInvitation:
    """A pending invitation of the current user's ``submission`` that they may cancel.

    404 if there is no such pending invitation; 403 if the rules above do not let them.
    """
    invitation = pending_invitation_or_404(submission, invitation_id)
    if not may_cancel_invitation(current_user, submission, invitation):
        abort(403, _("Only the submitter or the speaker who sent an invitation can cancel it."))
    return invitation


# -- who may withdraw (h-public) ------------------------------------------------------------
#
# Withdrawing takes the proposal away from every speaker, so only its owner, the submitter
# (``SubmissionSpeaker.is_submitter``: who created it), may do it; a co-speaker leaves instead.
# Organizers do not withdraw for speakers; they may reopen a withdrawn proposal.


def may_withdraw(user: object, submission: Submission) -> bool:
    """True if ``user`` is the submitter of ``submission`` (its speakers loaded)."""
    own = speaker_link_of(user, submission)
    return own is not None and own.is_submitter


def withdrawable_or_403(submission: Submission) -> Submission:
    """The current user's ``submission`` if they may withdraw it; 403 for a co-speaker."""
    if not may_withdraw(current_user, submission):
        abort(403, _("Only the submitter can withdraw this proposal; you can leave it instead."))
    return submission
