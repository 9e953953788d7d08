"""The mails the CfP sends to speakers; each is queued in the outbox, never sent inline.

Templates live in ``cfp/templates/mail/``. Contexts hold only JSON values (they are stored with
the outbox row). Every function here queues without committing: the caller's change and its
mail are committed together, so a rolled-back change never leaves a mail behind.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from podium.accounts.models import User
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event, SessionType
from podium.events.times import cfp_is_open, describe_local
from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.mail.services import external_url, mail_language, queue_event_mail, queue_mail


def _submission_facts(
    submission: Submission, event: Event, *, now: datetime | None
) -> dict[str, Any]:
    """What every speaker mail about ``submission`` says: event, title, type, deadline, link,
    and whether speakers may still edit it (``editable``)."""
    session_type = (
        db.session.get(SessionType, submission.session_type_id)
        if submission.session_type_id is not None
        else None
    )
    cfp_open = cfp_is_open(event.cfp_opens_at, event.cfp_closes_at, now=now)
    return {
        "event_name": event.name,
        "submission_title": submission.title,
        "session_type": session_type.name if session_type is not None else "",
        "duration_minutes": submission.duration_minutes,
        "state": submission.state,
        # "2026-12-01 23:59 NZDT (Pacific/Auckland)": the event's zone, named.
        "cfp_closes": describe_local(event.cfp_closes_at, event.time_zone),
        "cfp_open": cfp_open,
        # Speakers edit only drafts and submitted proposals, and only while the CfP is open.
        "editable": cfp_open and submission.state in ("draft", "submitted"),
        "link": external_url("cfp.edit_submission", slug=event.slug, submission_id=submission.id),
    }


def speakers_with_accounts(submission: Submission) -> list[tuple[SpeakerProfile, User]]:
    """The submission's speakers that have an account (only they can be mailed), in order."""
    rows = db.session.execute(
        select(SpeakerProfile, User)
        .join(SubmissionSpeaker, SubmissionSpeaker.speaker_id == SpeakerProfile.id)
        .join(User, User.id == SpeakerProfile.user_id)
        .where(SubmissionSpeaker.submission_id == submission.id)
        .order_by(SubmissionSpeaker.position, SubmissionSpeaker.id)
    ).all()
    return [(profile, user) for profile, user in rows]


def queue_submission_received(
    *, submission: Submission, event: Event, now: datetime | None = None
) -> list[OutboxMail]:
    """Queue "we received your proposal" to each speaker of ``submission`` (one mail each).

    Speakers without an account (imported ones) have no address and get nothing.

    Returns:
        The queued mails (not committed).
    """
    facts = _submission_facts(submission, event, now=now)
    return [
        queue_event_mail(
            to=[user.email],
            template="cfp_submission_received",
            context={**facts, "speaker_name": profile.name},
            event_id=event.id,
            text_kind="receipt",
            values=_receipt_values(event, facts, profile.name),
            language=mail_language(user.language, event.default_language),
        )
        for profile, user in speakers_with_accounts(submission)
    ]


def _receipt_values(event: Event, facts: dict[str, Any], speaker_name: str) -> dict[str, str]:
    """The placeholders of the organizers' own receipt text (see :mod:`podium.mail.emails`)."""
    return {
        "speaker_name": speaker_name,
        "submission_title": facts["submission_title"],
        "event_name": event.name,
        "event_url": external_url("program.event", slug=event.slug),
        "submission_link": facts["link"],
        "session_type": facts["session_type"] or "—",
        "duration_minutes": str(facts["duration_minutes"]),
        "cfp_closes": facts["cfp_closes"],
    }


def co_speaker_values(event: Event, context: dict[str, Any]) -> dict[str, str]:
    """The placeholders of the organizers' own co-speaker invitation, from its mail context."""
    return {
        "invitee_name": context["invitee_name"],
        "inviter_name": context["inviter_name"],
        "submission_title": context["submission_title"],
        "event_name": event.name,
        "event_url": external_url("program.event", slug=event.slug),
        "invitation_link": context["link"],
        "valid_days": str(context["valid_days"]),
    }


def queue_co_speaker_joined(
    *,
    submission: Submission,
    event: Event,
    user: User,
    profile: SpeakerProfile,
    now: datetime | None = None,
) -> OutboxMail:
    """Tell ``user``, who just accepted a co-speaker invitation, what they joined.

    For a submitted proposal this is their receipt (they missed the one sent on submission);
    for a draft it says that it still has to be submitted before the deadline.

    Returns:
        The queued mail (not committed).
    """
    return queue_mail(
        to=[user.email],
        template="cfp_co_speaker_joined",
        context={**_submission_facts(submission, event, now=now), "speaker_name": profile.name},
        event_id=event.id,
        commit=False,
        language=mail_language(user.language, event.default_language),
    )


def queue_speaker_removed(
    *, submission: Submission, event: Event, user: User, profile: SpeakerProfile
) -> OutboxMail:
    """Tell ``user`` that another speaker or an organizer removed them from ``submission``.

    Returns:
        The queued mail (not committed).
    """
    return queue_mail(
        to=[user.email],
        template="cfp_speaker_removed",
        context={
            "event_name": event.name,
            "submission_title": submission.title,
            "speaker_name": profile.name,
        },
        event_id=event.id,
        commit=False,
        language=mail_language(user.language, event.default_language),
    )


def queue_submission_withdrawn(
    *, submission: Submission, event: Event, actor: User
) -> list[OutboxMail]:
    """Tell every speaker of ``submission`` (with an account) that ``actor`` withdrew it, one
    mail each, the withdrawing speaker included (their confirmation).

    Returns:
        The queued mails (not committed).
    """
    return [
        queue_mail(
            to=[user.email],
            template="cfp_submission_withdrawn",
            context={
                "event_name": event.name,
                "submission_title": submission.title,
                "speaker_name": profile.name,
                "withdrawn_by": actor.name or actor.email,
                "by_you": user.id == actor.id,
            },
            event_id=event.id,
            commit=False,
            language=mail_language(user.language, event.default_language),
        )
        for profile, user in speakers_with_accounts(submission)
    ]
