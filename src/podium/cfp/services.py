"""All changes to submissions: creation, edits, speakers and the one state-change entry point."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Text, and_, cast, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from podium.accounts.models import User
from podium.availability import queries as availability_queries
from podium.availability import services as availability_services
from podium.availability.ranges import Range
from podium.cfp import avatars, emails
from podium.cfp.enums import SubmissionState as S
from podium.cfp.enums import state_label
from podium.cfp.models import (
    CoSpeakerInvitation,
    SpeakerProfile,
    Submission,
    SubmissionSpeaker,
    SubmissionStateChange,
)
from podium.cfp.permissions import review_phase_allows_speaker_edits
from podium.db import utcnow
from podium.events.models import Event, SessionType, Track
from podium.events.services import (
    claim_invitation,
    find_open_invitation,
    invitation_link,
    new_token,
)
from podium.events.times import cfp_is_open
from podium.extensions import db
from podium.i18n.dates import format_instant
from podium.mail.services import queue_event_mail
from podium.once import claim
from podium.questions import queries as question_queries
from podium.questions import services as question_services
from podium.questions.enums import QuestionTarget
from podium.webhooks.services import queue_state_change

# Which states a submission may move to from each state. Organizers can revert a rejection
# (a mistake), cancel confirmed sessions and reopen a withdrawn proposal; nothing leaves
# canceled.
ALLOWED_TRANSITIONS: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.CONFIRMED, S.DECLINED, S.REJECTED, S.WITHDRAWN, S.CANCELED}),
    S.REJECTED: frozenset({S.ACCEPTED, S.SUBMITTED}),
    S.CONFIRMED: frozenset({S.DECLINED, S.WITHDRAWN, S.CANCELED}),
    S.DECLINED: frozenset({S.CONFIRMED}),
    # An organizer may reopen a withdrawn proposal (reopen_submission); speakers cannot.
    S.WITHDRAWN: frozenset({S.SUBMITTED}),
    S.CANCELED: frozenset(),
}


class TransitionError(ValueError):
    """A state change that the submission's life cycle does not allow."""


def change_state(
    *,
    submission: Submission,
    to_state: S | str,
    actor: User | None,
    note: str = "",
    commit: bool = True,
    by_speaker: bool = False,
) -> SubmissionStateChange:
    """Move ``submission`` to ``to_state`` and record who did it and when (UTC).

    The first time a submission becomes ``submitted`` it gets ``submitted_at``; when that
    happens ``by_speaker``, each speaker with an account is sent "we received your proposal"
    (queued with this change). A later resubmission (an organizer reverting a rejection), an
    edit after submitting, or an import sends nothing.

    Args:
        actor: the user making the change; ``None`` for the system (imports).
        commit: commit the session; pass False to batch many changes in one transaction.
        by_speaker: a speaker submits through the CfP pages (the receipt is due).

    Raises:
        TransitionError: the transition is not in :data:`ALLOWED_TRANSITIONS`.
    """
    target = S(to_state)
    current = S(submission.state)
    if target not in ALLOWED_TRANSITIONS[current]:
        raise TransitionError(f"a {current} submission cannot become {target}")
    record = SubmissionStateChange(
        submission_id=submission.id,
        from_state=current.value,
        to_state=target.value,
        actor_id=actor.id if actor is not None else None,
        note=note,
    )
    submission.state = target.value
    if target is S.SUBMITTED and submission.submitted_at is None:
        if not by_speaker:
            submission.submitted_at = utcnow()
        elif _claim_first_submission(submission):
            # Exactly one request wins the claim, even if two submit the same draft at once,
            # so each speaker gets one receipt per submission.
            emails.queue_submission_received(
                submission=submission, event=db.session.get(Event, submission.event_id)
            )
    # In this transaction (outbox): the deliveries exist exactly when the change does.
    queue_state_change(
        event=db.session.get(Event, submission.event_id),
        submission=submission,
        from_state=current.value,
        to_state=target.value,
    )
    db.session.add(record)
    if commit:
        db.session.commit()
    return record


def _claim_first_submission(submission: Submission) -> bool:
    """Set ``submitted_at`` unless another request already did; True if this call set it.

    A conditional UPDATE, so two requests submitting the same draft at once (a double click,
    two speakers) cannot both send the receipt: PostgreSQL makes the second wait for the
    first's commit and then finds ``submitted_at`` set; SQLite lets only one writer at a time.
    """
    if submission.id is None:
        db.session.flush()
    now = utcnow()
    claimed = db.session.execute(
        update(Submission)
        .where(Submission.id == submission.id, Submission.submitted_at.is_(None))
        .values(submitted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    # Keep the loaded object in step with the row without a second UPDATE from the ORM.
    if claimed:
        set_committed_value(submission, "submitted_at", now)
    else:
        db.session.expire(submission, ["submitted_at"])
    return bool(claimed)


def _speaker_link(user: User, submission: Submission) -> SubmissionSpeaker | None:
    """``user``'s link to ``submission`` (through their profile), or ``None``."""
    return db.session.scalar(
        select(SubmissionSpeaker)
        .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
        .where(
            SubmissionSpeaker.submission_id == submission.id,
            SpeakerProfile.user_id == user.id,
        )
    )


# -- submissions ----------------------------------------------------------------------------

# States in which speakers may still change their text (while the CfP is open).
SPEAKER_EDITABLE_STATES = frozenset({S.DRAFT, S.SUBMITTED})
CO_SPEAKER_INVITATION_LIFETIME = timedelta(days=30)
# Each invitation makes Podium mail an address the inviter typed; this caps how many one
# account can send (canceled ones count too), counted in the database so it holds across
# processes. Organizers inviting from their pages are not limited.
CO_SPEAKER_INVITATION_LIMIT = 20
CO_SPEAKER_INVITATION_WINDOW = timedelta(hours=24)
AUDIENCE_LEVELS = {
    "all": _l("Everyone"),
    "beginner": _l("Beginner"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}


def offered_languages(event: Event) -> list[str]:
    """The languages proposals to ``event`` may be held in: its default language first, then
    its other content languages in the organizers' order (codes, no duplicates)."""
    codes = [event.default_language or "en"]
    for code in event.content_languages or ():
        if code and code not in codes:
            codes.append(code)
    return codes


class SubmissionError(ValueError):
    """Input or an action the CfP refuses; ``field`` names the form field (``""``: whole form)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class DeadlineError(SubmissionError):
    """A speaker wrote outside the CfP window (checked on the server at every write)."""


@dataclass(frozen=True)
class SubmissionContent:
    """What a speaker types for a submission; ``duration_minutes=None`` takes the type's default.

    ``notes`` are for organizers only and never public.
    """

    title: str
    abstract: str
    description: str = ""
    notes: str = ""
    session_type_id: int | None = None
    track_id: int | None = None
    duration_minutes: int | None = None
    language: str = "en"
    audience_level: str = "all"


@dataclass(frozen=True)
class CoSpeakerInput:
    """A co-speaker to invite: e-mail address and the name the submitter typed."""

    email: str
    name: str


@contextmanager
def _all_or_nothing() -> Iterator[None]:
    """Roll the session back when a check fails half-way, so no partial change lingers."""
    try:
        yield
    except SubmissionError:
        db.session.rollback()
        raise


def check_cfp_open(event: Event, *, now: datetime | None = None) -> None:
    """Raise :class:`DeadlineError` unless ``event``'s CfP is open at ``now`` (aware UTC).

    The window is compared as UTC instants, which is the event's local wall-clock window
    converted once when the organizer saved it, so the server's own zone never matters.
    """
    if cfp_is_open(event.cfp_opens_at, event.cfp_closes_at, now=now):
        return
    if event.cfp_opens_at is None or event.cfp_closes_at is None:
        raise DeadlineError("", _("The call for proposals of this event is not open."))
    current = now or utcnow()
    if current < event.cfp_opens_at:
        when = local_when(event.cfp_opens_at, event.time_zone)
        raise DeadlineError("", _("The call for proposals opens on %(when)s.", when=when))
    when = local_when(event.cfp_closes_at, event.time_zone)
    raise DeadlineError("", _("The call for proposals closed on %(when)s.", when=when))


def local_when(instant: datetime | None, time_zone: str) -> str:
    """:func:`podium.events.times.describe_local` with the date and time written in the
    request's language (identical in English): ``"2026-12-01 23:59 NZDT (Pacific/Auckland)"``."""
    if instant is None:
        return ""
    local = instant.astimezone(ZoneInfo(time_zone))
    shown = format_instant(instant, time_zone, "datetime")
    return f"{shown} {local.tzname()} ({time_zone})"


def speaker_profile_for(user: User) -> SpeakerProfile:
    """The user's speaker profile, created (not committed) from the account's name if missing."""
    profile = db.session.scalar(select(SpeakerProfile).where(SpeakerProfile.user_id == user.id))
    if profile is None:
        profile = SpeakerProfile(user_id=user.id, name=user.name or user.email.split("@")[0])
        db.session.add(profile)
        db.session.flush()
    return profile


def _checked_content(
    event: Event, content: SubmissionContent, keep_language: str | None = None
) -> tuple[SessionType | None, int]:
    """Check references and the duration; return the session type and the duration in minutes.

    The language must be one the event offers (:func:`offered_languages`) or
    ``keep_language``, the saved language of the proposal being edited."""
    title = content.title.strip()
    if not title:
        raise SubmissionError("title", _("A title is required."))
    if len(title) > 300:
        raise SubmissionError("title", _("At most %(n)s characters.", n=300))
    session_type = None
    if content.session_type_id is not None:
        session_type = db.session.get(SessionType, content.session_type_id)
        if session_type is None or session_type.event_id != event.id:
            raise SubmissionError("session_type", _("Choose one of this event's session types."))
    if content.track_id is not None:
        track = db.session.get(Track, content.track_id)
        if track is None or track.event_id != event.id:
            raise SubmissionError("track", _("Choose one of this event's tracks."))
    duration = content.duration_minutes
    if duration is None:
        duration = session_type.default_duration_minutes if session_type else None
    if duration is None:
        raise SubmissionError("duration_minutes", _("Enter the duration in minutes."))
    if duration <= 0:
        raise SubmissionError("duration_minutes", _("The duration must be at least 1 minute."))
    allowed = offered_languages(event)
    if content.language not in allowed and content.language != keep_language:
        raise SubmissionError(
            "language", _("Language: choose one of the languages this event offers.")
        )
    if content.audience_level not in AUDIENCE_LEVELS:
        raise SubmissionError("audience_level", _("Choose an audience level from the list."))
    return session_type, duration


def _apply_content(submission: Submission, content: SubmissionContent, duration: int) -> None:
    submission.title = content.title.strip()
    submission.abstract = content.abstract
    submission.description = content.description
    submission.notes = content.notes
    submission.session_type_id = content.session_type_id
    submission.track_id = content.track_id
    submission.duration_minutes = duration
    submission.language = content.language
    submission.audience_level = content.audience_level


# -- answers to the event's custom questions (podium.questions) ------------------------------


@dataclass(frozen=True)
class CheckedAnswers:
    """Answers checked before anything is written: the questions asked and the clean values."""

    questions: list[Any]
    cleaned: dict[int, Any]


def _checked_answers(
    event: Event,
    content: SubmissionContent,
    raw: Mapping[int, object] | None,
    *,
    enforce_required: bool,
    with_speaker_questions: bool,
) -> CheckedAnswers | None:
    """Check ``raw`` answers (``{question id: str | list[str]}``; ``None``: form without them).

    Organizers edit the submission's answers only: speaker questions are each speaker's own.

    Raises:
        SubmissionError: an invalid or missing answer, ``field`` ``question_<id>``.
    """
    if raw is None:
        return None
    asked = question_queries.event_questions(event.id)
    if not with_speaker_questions:
        asked = [q for q in asked if q.target == QuestionTarget.SUBMISSION.value]
    try:
        cleaned = question_services.clean_answers(
            questions=asked,
            raw=raw,
            session_type_id=content.session_type_id,
            track_id=content.track_id,
            enforce_required=enforce_required,
        )
    except question_services.AnswerError as error:
        raise SubmissionError(error.field, error.message) from None
    return CheckedAnswers(questions=asked, cleaned=cleaned)


def _save_answers(
    checked: CheckedAnswers | None, submission: Submission, speaker_id: int | None
) -> None:
    if checked is not None:
        question_services.save_answers(
            questions=checked.questions,
            cleaned=checked.cleaned,
            submission_id=submission.id,
            speaker_id=speaker_id,
        )


def create_submission(
    *,
    event: Event,
    submitter: User,
    content: SubmissionContent,
    submit: bool = True,
    co_speaker: CoSpeakerInput | None = None,
    now: datetime | None = None,
    form_token: str | None = None,
    availability: list[Range] | None = None,
    answers: Mapping[int, object] | None = None,
) -> Submission:
    """Create a submission with ``submitter`` as first speaker, submitted or as a draft.

    Args:
        submit: True submits at once (state ``submitted``); False keeps a ``draft``.
        co_speaker: someone to invite as co-speaker (mailed; they must accept).
        now: the instant to check the CfP window against (aware UTC; default: now).
        form_token: the form's one-time token (see :mod:`podium.once`): a second request
            with it creates nothing and returns the submission the first one created.
        availability: when the submitter can present (aware UTC ranges), replacing what they
            gave before for this event; ``None`` leaves it as it is. Where the event requires
            availability, submitting needs some (given now or before).
        answers: ``{question id: raw answer}`` to the event's custom questions (submission
            and speaker questions; see :mod:`podium.questions`); required ones only when
            submitting, not for a draft.

    Submitting queues "we received your proposal" to the submitter (see :func:`change_state`).

    Raises:
        DeadlineError: the CfP is not open at ``now``.
        SubmissionError: invalid content or co-speaker, the submitter reached the co-speaker
            invitation limit, or required availability is missing or outside the event's days
            (``field`` names the form field, ``availability`` for the latter; nothing is saved).
    """
    check_cfp_open(event, now=now)
    _session_type, duration = _checked_content(event, content)
    checked = _checked_answers(
        event, content, answers, enforce_required=submit, with_speaker_questions=True
    )
    claimed = claim(token=form_token, kind="submission", user_id=submitter.id)
    if isinstance(claimed, int) and (earlier := db.session.get(Submission, claimed)):
        return earlier
    with _all_or_nothing():
        profile = speaker_profile_for(submitter)
        _save_availability(event=event, speaker=profile, ranges=availability, submitting=submit)
        submission = Submission(event_id=event.id, guid=str(uuid.uuid4()), state=S.DRAFT.value)
        _apply_content(submission, content, duration)
        db.session.add(submission)
        db.session.flush()
        db.session.add(
            SubmissionSpeaker(
                submission_id=submission.id, speaker_id=profile.id, position=0, is_submitter=True
            )
        )
        _save_answers(checked, submission, profile.id)
        if co_speaker is not None:
            _invite(
                submission=submission,
                event=event,
                invite=co_speaker,
                invited_by=submitter,
                now=now,
            )
        if submit:
            change_state(
                submission=submission,
                to_state=S.SUBMITTED,
                actor=submitter,
                commit=False,
                by_speaker=True,
            )
        if not isinstance(claimed, int):
            claimed.done(submission.id)
    db.session.commit()
    return submission


def update_submission(
    *,
    submission: Submission,
    actor: User,
    content: SubmissionContent,
    submit: bool = False,
    co_speaker: CoSpeakerInput | None = None,
    as_organizer: bool = False,
    now: datetime | None = None,
    form_token: str | None = None,
    answers: Mapping[int, object] | None = None,
) -> Submission:
    """Save edits; ``submit=True`` also moves a draft to ``submitted``.

    Speakers may edit drafts and submitted proposals while the CfP is open; organizers
    (``as_organizer=True``, checked by the caller) may edit any submission at any time.
    ``form_token`` (see :mod:`podium.once`): the same form saved again applies its edits
    again but does not invite its co-speaker a second time (no "already invited" error).
    ``answers``: ``{question id: raw answer}`` (see :mod:`podium.questions`); a speaker
    answers submission questions and their own speaker questions, an organizer the
    submission questions only. Required answers are enforced once the proposal is (being)
    submitted by a speaker; organizers may leave them empty.

    Raises:
        DeadlineError: a speaker writing outside the CfP window (at ``now``, aware UTC).
        SubmissionError: invalid content, co-speaker, a state speakers can no longer edit, or
            a speaker who reached the co-speaker invitation limit (nothing is saved).
    """
    event = db.session.get(Event, submission.event_id)
    _check_speaker_write(submission, event, as_organizer=as_organizer, now=now, verb="edited")
    _session_type, duration = _checked_content(event, content, keep_language=submission.language)
    if submit and submission.state == S.DRAFT and not as_organizer:
        _check_availability_given(event, actor)
    checked = _checked_answers(
        event,
        content,
        answers,
        enforce_required=not as_organizer and (submit or submission.state != S.DRAFT),
        with_speaker_questions=not as_organizer,
    )
    # Speaker answers go on the editing speaker's own profile.
    own = None if as_organizer or checked is None else _speaker_link(actor, submission)
    claimed = claim(token=form_token, kind="submission_edit", user_id=actor.id)
    if not isinstance(claimed, int):
        claimed.done(submission.id)
    elif co_speaker is not None and _open_invitation(submission, co_speaker.email):
        # This very form was saved before (a double click, or back and save again): its
        # co-speaker was invited then. Edits are applied again, which changes nothing or
        # keeps what was typed since.
        co_speaker = None
    try:
        with _all_or_nothing():
            _apply_content(submission, content, duration)
            _save_answers(checked, submission, own.speaker_id if own is not None else None)
            if co_speaker is not None:
                _invite(
                    submission=submission,
                    event=event,
                    invite=co_speaker,
                    invited_by=actor,
                    limited=not as_organizer,
                    now=now,
                )
        if submit and submission.state == S.DRAFT:
            change_state(
                submission=submission,
                to_state=S.SUBMITTED,
                actor=actor,
                commit=False,
                by_speaker=not as_organizer,
            )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if co_speaker is None or not _open_invitation(submission, co_speaker.email):
            raise
        # The same form saved twice at once (a double click): the other save committed the
        # same edits and the one invitation the unique index allows.
        db.session.refresh(submission)
    return submission


AVAILABILITY_MISSING = _l("Say when you can present: give at least one time range.")


def _save_availability(
    *, event: Event, speaker: SpeakerProfile, ranges: list[Range] | None, submitting: bool
) -> None:
    """Store availability given with a proposal (no commit); where the event requires it,
    refuse to submit without any. Raises SubmissionError (field ``availability``)."""
    if ranges is not None:
        try:
            availability_services.set_availability(
                event=event, speaker=speaker, ranges=ranges, commit=False
            )
        except availability_services.AvailabilityError as exc:
            raise SubmissionError("availability", exc.message) from exc
    if (
        submitting
        and event.availability_required
        and not availability_queries.ranges_of(event, speaker.id)
    ):
        raise SubmissionError("availability", str(AVAILABILITY_MISSING))


def _check_availability_given(event: Event, user: User) -> None:
    """Where ``event`` requires availability, refuse to submit a draft of a speaker without."""
    if not event.availability_required:
        return
    profile = db.session.scalar(select(SpeakerProfile).where(SpeakerProfile.user_id == user.id))
    if profile is None or not availability_queries.ranges_of(event, profile.id):
        raise SubmissionError("availability", str(AVAILABILITY_MISSING))


def _open_invitation(submission: Submission, email: str) -> bool:
    return (
        db.session.scalar(
            select(CoSpeakerInvitation.id).where(
                CoSpeakerInvitation.submission_id == submission.id,
                CoSpeakerInvitation.email == email.strip().lower(),
                CoSpeakerInvitation.accepted_at.is_(None),
                CoSpeakerInvitation.canceled_at.is_(None),
            )
        )
        is not None
    )


def withdraw_submission(
    *, submission: Submission, actor: User, now: datetime | None = None
) -> SubmissionStateChange:
    """Withdraw a submission on its speaker's request.

    Withdrawing is allowed after the CfP closes too (an accepted speaker may drop out); the
    life cycle in :data:`ALLOWED_TRANSITIONS` decides. ``now`` is accepted, like on every other
    speaker write, so callers can pass one clock everywhere; no deadline applies here.

    Only the submitter may withdraw (co-speakers leave instead); the caller checks that in
    :mod:`podium.cfp.permissions`. Every speaker with an account is mailed, committed in the
    same transaction as the change.

    Raises:
        TransitionError: the submission is already withdrawn, rejected, declined or canceled.
    """
    record = change_state(submission=submission, to_state=S.WITHDRAWN, actor=actor, commit=False)
    emails.queue_submission_withdrawn(
        submission=submission, event=db.session.get(Event, submission.event_id), actor=actor
    )
    db.session.commit()
    return record


def reopen_submission(*, submission: Submission, actor: User) -> SubmissionStateChange:
    """An organizer puts a withdrawn proposal back to ``submitted`` (recorded with who and
    when, note ``"reopened"``); its first ``submitted_at`` is kept and no receipt is sent.

    Raises:
        TransitionError: the submission is not withdrawn, or was withdrawn as a draft (never
            submitted: reopening must not submit a text its speakers never finished).
    """
    if S(submission.state) is not S.WITHDRAWN:
        raise TransitionError(
            _(
                "only a withdrawn submission can be reopened, not a %(state)s one",
                state=state_label(submission.state),
            )
        )
    withdrawn_from = db.session.scalar(
        select(SubmissionStateChange.from_state)
        .where(
            SubmissionStateChange.submission_id == submission.id,
            SubmissionStateChange.to_state == S.WITHDRAWN.value,
        )
        .order_by(SubmissionStateChange.created_at.desc(), SubmissionStateChange.id.desc())
        .limit(1)
    )
    if withdrawn_from == S.DRAFT.value:
        raise TransitionError(_("this proposal was withdrawn as a draft and was never submitted"))
    return change_state(submission=submission, to_state=S.SUBMITTED, actor=actor, note="reopened")


# -- co-speakers ----------------------------------------------------------------------------


def _check_invitation_limit(*, inviter: User, event: Event, now: datetime | None) -> None:
    """Raise on ``co_speaker_email`` when ``inviter`` sent the limit within the window.

    The message says when the oldest counted invitation leaves the window, in the event's zone.
    """
    current = now or utcnow()
    if db.session.get_bind().dialect.name == "postgresql":
        # Serialise one inviter's concurrent requests so the count cannot be outrun; SQLite
        # already allows one writer at a time.
        db.session.execute(select(User.id).where(User.id == inviter.id).with_for_update())
    since = current - CO_SPEAKER_INVITATION_WINDOW
    recent = list(
        db.session.scalars(
            select(CoSpeakerInvitation.created_at)
            .where(
                CoSpeakerInvitation.invited_by_id == inviter.id,
                CoSpeakerInvitation.created_at > since,
            )
            .order_by(CoSpeakerInvitation.created_at.desc())
            .limit(CO_SPEAKER_INVITATION_LIMIT)
        )
    )
    if len(recent) < CO_SPEAKER_INVITATION_LIMIT:
        return
    # The oldest of the newest LIMIT invitations frees a place when it leaves the window;
    # rounded up to the minute so the time shown is never a minute too early.
    free_at = recent[-1] + CO_SPEAKER_INVITATION_WINDOW
    if free_at.second or free_at.microsecond:
        free_at = free_at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    hours = int(CO_SPEAKER_INVITATION_WINDOW.total_seconds() // 3600)
    raise SubmissionError(
        "co_speaker_email",
        _(
            "You sent %(limit)s co-speaker invitations in the last %(hours)s hours, the most "
            "allowed. You can invite again from %(when)s.",
            limit=CO_SPEAKER_INVITATION_LIMIT,
            hours=hours,
            when=local_when(free_at, event.time_zone),
        ),
    )


def _invite(
    *,
    submission: Submission,
    event: Event,
    invite: CoSpeakerInput,
    invited_by: User,
    limited: bool = True,
    now: datetime | None = None,
) -> tuple[CoSpeakerInvitation, str]:
    address = invite.email.strip().lower()
    name = invite.name.strip()
    if not name:
        raise SubmissionError("co_speaker_name", _("Enter the co-speaker's name."))
    if address == invited_by.email.lower():
        raise SubmissionError(
            "co_speaker_email", _("You are already a speaker of this submission.")
        )
    account = db.session.scalar(select(User).where(func.lower(User.email) == address))
    if account is not None:
        already = db.session.scalar(
            select(SubmissionSpeaker.id)
            .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
            .where(
                SubmissionSpeaker.submission_id == submission.id,
                SpeakerProfile.user_id == account.id,
            )
        )
        if already is not None:
            raise SubmissionError(
                "co_speaker_email", _("%(address)s is already a speaker.", address=address)
            )
    pending = db.session.scalar(
        select(CoSpeakerInvitation.id).where(
            CoSpeakerInvitation.submission_id == submission.id,
            CoSpeakerInvitation.email == address,
            CoSpeakerInvitation.accepted_at.is_(None),
            CoSpeakerInvitation.canceled_at.is_(None),
        )
    )
    if pending is not None:
        raise SubmissionError(
            "co_speaker_email", _("%(address)s is already invited.", address=address)
        )
    if limited:
        _check_invitation_limit(inviter=invited_by, event=event, now=now)
    token, token_hash = new_token()
    invitation = CoSpeakerInvitation(
        submission_id=submission.id,
        email=address,
        name=name,
        token=token_hash,
        invited_by_id=invited_by.id,
        created_at=now or utcnow(),
    )
    db.session.add(invitation)
    context = {
        "event_name": event.name,
        "submission_title": submission.title,
        "inviter_name": invited_by.name or invited_by.email,
        "invitee_name": name,
        "has_account": account is not None,
        "link": invitation_link(f"/invite/speaker/{token}"),
        "valid_days": CO_SPEAKER_INVITATION_LIFETIME.days,
    }
    queue_event_mail(
        to=[address],
        template="cfp_co_speaker_invitation",
        context=context,
        event_id=event.id,
        text_kind="co_speaker",
        values=emails.co_speaker_values(event, context),
    )
    return invitation, token


def invite_co_speaker(
    *,
    submission: Submission,
    email: str,
    name: str,
    invited_by: User,
    now: datetime | None = None,
) -> tuple[CoSpeakerInvitation, str]:
    """Invite ``email`` to co-present ``submission`` and queue the mail with the link.

    ``name`` is what the inviter typed; it stays on the invitation and never replaces the name
    of an existing account or profile.

    Returns:
        ``(invitation, token)``: the token is only in the mail; the row stores its hash.

    Raises:
        SubmissionError: empty name, the inviter's own address, a current speaker, an address
            with a pending invitation, or ``invited_by`` sent :data:`CO_SPEAKER_INVITATION_LIMIT`
            invitations within :data:`CO_SPEAKER_INVITATION_WINDOW` before ``now`` (UTC).
    """
    event = db.session.get(Event, submission.event_id)
    with _all_or_nothing():
        result = _invite(
            submission=submission,
            event=event,
            invite=CoSpeakerInput(email=email, name=name),
            invited_by=invited_by,
            now=now,
        )
    db.session.commit()
    return result


class InvitationUsedError(SubmissionError):
    """The co-speaker invitation was accepted by someone else or canceled meanwhile."""


def find_co_speaker_invitation(
    token: str, *, now: datetime | None = None
) -> CoSpeakerInvitation | None:
    """The open (unaccepted, uncanceled, unexpired) co-speaker invitation for ``token``."""
    return find_open_invitation(
        CoSpeakerInvitation, token, lifetime=CO_SPEAKER_INVITATION_LIFETIME, now=now
    )


def accept_co_speaker_invitation(
    *, invitation: CoSpeakerInvitation, user: User, now: datetime | None = None
) -> SubmissionSpeaker:
    """Add ``user`` as a speaker of the invitation's submission and mark it accepted.

    The user's own profile (created from the account's name when missing) is linked; the name
    typed by the inviter stays on the invitation only. The invitation is claimed with a
    conditional UPDATE, so of two accounts accepting one link at the same moment exactly one
    becomes a speaker, however stale the loaded ``invitation`` is. The same user accepting
    twice (a double click) gets their existing link back. The new speaker is mailed what they
    joined (:func:`podium.cfp.emails.queue_co_speaker_joined`).

    Raises:
        SubmissionError: the submission was withdrawn or canceled meanwhile.
        InvitationUsedError: another account accepted the invitation first, or a speaker
            canceled it.
    """
    submission = db.session.get(Submission, invitation.submission_id)
    if S(submission.state) in (S.WITHDRAWN, S.CANCELED):
        raise SubmissionError(
            "",
            _("This submission was %(state)s.", state=state_label(submission.state)),
        )
    accepted_at = now or utcnow()
    claimed = claim_invitation(
        CoSpeakerInvitation, invitation.id, user_id=user.id, accepted_at=accepted_at
    )
    if not claimed:
        db.session.rollback()  # also expires the stale ``invitation``
        if invitation.accepted_by_id == user.id:
            link = _speaker_link(user, submission)
            if link is not None:
                return link
        if invitation.canceled_at is not None:
            raise InvitationUsedError("", _("This invitation was canceled by a speaker."))
        raise InvitationUsedError(
            "", _("This invitation link was already used by another account.")
        )
    set_committed_value(invitation, "accepted_at", accepted_at)
    set_committed_value(invitation, "accepted_by_id", user.id)
    profile = speaker_profile_for(user)
    link = _speaker_link(user, submission)
    if link is None:
        last = db.session.scalar(
            select(func.max(SubmissionSpeaker.position)).where(
                SubmissionSpeaker.submission_id == submission.id
            )
        )
        link = SubmissionSpeaker(
            submission_id=submission.id,
            speaker_id=profile.id,
            position=(last or 0) + 1,
            is_submitter=False,
        )
        db.session.add(link)
        emails.queue_co_speaker_joined(
            submission=submission,
            event=db.session.get(Event, submission.event_id),
            user=user,
            profile=profile,
            now=now,
        )
    db.session.commit()
    return link


def _check_speaker_write(
    submission: Submission,
    event: Event,
    *,
    as_organizer: bool,
    now: datetime | None,
    verb: str = "changed",
) -> None:
    """Speakers change a submission only while the CfP is open and it is draft/submitted;
    organizers at any time. ``verb`` completes "can no longer be …" in the error.

    Raises:
        DeadlineError: a speaker writing outside the CfP window (at ``now``, aware UTC) or
            while the review phase freezes submissions (see
            :func:`podium.cfp.permissions.review_phase_allows_speaker_edits`).
        SubmissionError: a speaker and a state outside :data:`SPEAKER_EDITABLE_STATES`.
    """
    if as_organizer:
        return
    check_cfp_open(event, now=now)
    if not review_phase_allows_speaker_edits(event, now):
        raise DeadlineError("", _("Submissions cannot be changed during the current review phase."))
    if S(submission.state) not in SPEAKER_EDITABLE_STATES:
        state = state_label(submission.state)
        message = (
            _("A %(state)s submission can no longer be edited.", state=state)
            if verb == "edited"
            else _("A %(state)s submission can no longer be changed.", state=state)
        )
        raise SubmissionError("", message)


def remove_speaker(
    *,
    submission: Submission,
    speaker: SpeakerProfile,
    actor: User,
    as_organizer: bool = False,
    now: datetime | None = None,
) -> None:
    """Remove ``speaker`` from ``submission``; they lose access to it at once.

    Who may remove whom is decided by the caller (:mod:`podium.cfp.permissions`); this keeps
    the rules that hold for everyone: the submitter is never removed, a submission keeps at
    least one speaker, and speakers (not organizers, ``as_organizer=True``) remove others only
    while the CfP is open at ``now`` (aware UTC); a co-speaker may leave at any time. A
    speaker removed by someone else is mailed, and the pending invitations they sent to this
    submission are canceled (one leaving keeps them).

    Raises:
        DeadlineError: a speaker writing outside the CfP window.
        SubmissionError: ``speaker`` is not a speaker of ``submission``, is its submitter, or
            is its last speaker; or the submission's state no longer allows speaker changes.
    """
    event = db.session.get(Event, submission.event_id)
    leaving = speaker.user_id is not None and speaker.user_id == actor.id
    # Leaving is a speaker's own decision, like withdrawing: allowed after the CfP closes
    # too (a co-speaker of an accepted talk may drop out); changing others' speakers is not.
    _check_speaker_write(submission, event, as_organizer=as_organizer or leaving, now=now)
    link = db.session.scalar(
        select(SubmissionSpeaker).where(
            SubmissionSpeaker.submission_id == submission.id,
            SubmissionSpeaker.speaker_id == speaker.id,
        )
    )
    if link is None:
        raise SubmissionError(
            "", _("%(name)s is not a speaker of this submission.", name=speaker.name)
        )
    if link.is_submitter:
        raise SubmissionError("", _("The submitter cannot be removed from the submission."))
    count = db.session.scalar(
        select(func.count(SubmissionSpeaker.id)).where(
            SubmissionSpeaker.submission_id == submission.id
        )
    )
    if count <= 1:
        raise SubmissionError("", _("A submission needs at least one speaker."))
    if link in submission.speakers:
        submission.speakers.remove(link)  # delete-orphan deletes the row
    else:
        db.session.delete(link)
    if speaker.user_id is not None and speaker.user_id != actor.id:
        # Removed by someone else: their pending invitations to this submission stop working,
        # or they could rejoin at once through one sent to another address of theirs.
        db.session.execute(
            update(CoSpeakerInvitation)
            .where(
                CoSpeakerInvitation.submission_id == submission.id,
                CoSpeakerInvitation.invited_by_id == speaker.user_id,
                CoSpeakerInvitation.accepted_at.is_(None),
                CoSpeakerInvitation.canceled_at.is_(None),
            )
            .values(canceled_at=now or utcnow())
            .execution_options(synchronize_session=False)
        )
        user = db.session.get(User, speaker.user_id)
        if user is not None:
            emails.queue_speaker_removed(
                submission=submission, event=event, user=user, profile=speaker
            )
    db.session.commit()


def cancel_co_speaker_invitation(
    *,
    invitation: CoSpeakerInvitation,
    actor: User,
    as_organizer: bool = False,
    now: datetime | None = None,
) -> None:
    """Cancel a pending co-speaker invitation so its link stops working.

    The row stays (with ``canceled_at``) and keeps counting towards the inviter's limit.
    Who may cancel is decided by the caller (:mod:`podium.cfp.permissions`). The cancel is a
    conditional UPDATE, so it and an acceptance at the same moment cannot both win.

    Raises:
        DeadlineError: a speaker (not ``as_organizer``) writing outside the CfP window.
        SubmissionError: the submission's state no longer allows speaker changes.
        InvitationUsedError: the invitation was accepted or canceled meanwhile.
    """
    submission = db.session.get(Submission, invitation.submission_id)
    event = db.session.get(Event, submission.event_id)
    _check_speaker_write(submission, event, as_organizer=as_organizer, now=now)
    canceled = db.session.execute(
        update(CoSpeakerInvitation)
        .where(
            CoSpeakerInvitation.id == invitation.id,
            CoSpeakerInvitation.accepted_at.is_(None),
            CoSpeakerInvitation.canceled_at.is_(None),
        )
        .values(canceled_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    db.session.refresh(invitation)
    if not canceled:
        raise InvitationUsedError(
            "",
            _(
                "The invitation to %(email)s was already accepted or canceled.",
                email=invitation.email,
            ),
        )


# -- speaker profile ------------------------------------------------------------------------


def update_speaker_profile(
    *,
    user: User,
    name: str,
    biography: str,
    avatar: bytes | None = None,
    remove_avatar: bool = False,
) -> SpeakerProfile:
    """Save the user's speaker profile; ``avatar`` is the uploaded file's bytes (or None).

    The avatar is checked, shrunk and stored under ``UPLOAD_FOLDER/avatars`` with a random
    name before the database changes. After the commit the previous file is deleted, unless
    it was replaced (not removed) while an event's current schedule release shows it.

    Raises:
        SubmissionError: empty or too long name (``name``) or a bad image (``avatar``).
    """
    clean_name = name.strip()
    if not clean_name:
        raise SubmissionError("name", _("A display name is required."))
    if len(clean_name) > 200:
        raise SubmissionError("name", _("At most %(n)s characters.", n=200))
    encoded = None
    if avatar is not None:
        try:
            encoded = avatars.process_avatar(avatar)
        except avatars.AvatarError as exc:
            raise SubmissionError("avatar", str(exc)) from None
    folder = current_app.config["UPLOAD_FOLDER"]
    profile = speaker_profile_for(user)
    old_avatar = profile.avatar_filename
    profile.name = clean_name
    profile.biography = biography
    if encoded is not None:
        profile.avatar_filename = avatars.store_avatar(folder, *encoded)
    elif remove_avatar:
        profile.avatar_filename = None
    db.session.commit()
    # A removed picture goes at once, as the speaker asked. A replaced one stays while a
    # published release still shows it: the public program changes with the next release,
    # and deleting it now would leave a broken image there until then.
    replaced_but_shown = (
        encoded is not None and bool(old_avatar) and _shown_by_a_current_release(old_avatar)
    )
    if old_avatar and old_avatar != profile.avatar_filename and not replaced_but_shown:
        avatars.delete_avatar(folder, old_avatar)
    return profile


def _shown_by_a_current_release(avatar_name: str) -> bool:
    """True when the latest schedule release of some event links to this avatar file."""
    from podium.schedule.models import ScheduleRelease  # schedule builds on cfp, not back

    latest = (
        select(ScheduleRelease.event_id, func.max(ScheduleRelease.version).label("version"))
        .group_by(ScheduleRelease.event_id)
        .subquery()
    )
    snapshot_text = cast(ScheduleRelease.snapshot, Text)
    found = db.session.scalar(
        select(ScheduleRelease.id)
        .join(
            latest,
            and_(
                ScheduleRelease.event_id == latest.c.event_id,
                ScheduleRelease.version == latest.c.version,
            ),
        )
        .where(snapshot_text.contains(f"/speaker/avatars/{avatar_name}", autoescape=True))
        .limit(1)
    )
    return found is not None
