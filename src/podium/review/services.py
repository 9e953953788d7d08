"""All changes made by the review feature: settings, score categories, review phases,
assignments, reviews, conflicts, decisions and their release, decision mails, and speakers'
confirmations.

Every function takes keyword-only arguments, raises :class:`ReviewError` (a ``ValueError``
naming the offending field) for bad input and :class:`NotVisible` for objects the caller may
not see, and commits its own transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import insert, select, update
from sqlalchemy import inspect as sa_inspect

from podium.accounts.models import User
from podium.cfp.enums import SubmissionState
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.cfp.services import TransitionError, change_state
from podium.db import utcnow
from podium.events.enums import TeamRole
from podium.events.models import Event, EventMembership, Track
from podium.extensions import db
from podium.mail import services as mail_services
from podium.mail.emails import EventTexts, TextError, save_event_text
from podium.mail.models import OutboxMail
from podium.mail.services import mail_language, queue_mail
from podium.once import claim
from podium.review import assignment, permissions, queries
from podium.review.emails import DEFAULT_TEMPLATES, fill_placeholders
from podium.review.enums import (
    DECIDABLE_STATES,
    DECISION_MAIL_KIND,
    AssignmentScope,
    BidPreference,
    ConfirmationAnswer,
    DecisionKind,
)
from podium.review.models import (
    Decision,
    Review,
    ReviewBid,
    ReviewConflict,
    ReviewerAssignment,
    ReviewPhase,
    ReviewScore,
    ScoreCategory,
)
from podium.review.scoring import DEFAULT_CATEGORY_NAME, CategoryView, applicable

MAX_SCALE_VALUES = 21
# Speakers may change their mind (confirmed -> declined and back) until organizers cancel.
_ANSWERABLE_STATES = frozenset(
    {SubmissionState.ACCEPTED, SubmissionState.CONFIRMED, SubmissionState.DECLINED}
)
_TOKEN_SALT = "podium.review.confirm"  # noqa: S105  a namespace for signatures, not a secret


class ReviewError(ValueError):
    """Bad input; ``field`` names the form field to blame (``""`` for the whole form)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NotVisible(LookupError):
    """The object does not exist for this caller (views answer 404)."""


class NotASpeaker(PermissionError):
    """The user is not a speaker of the submission (views answer 403)."""


# --- settings and assignments ---------------------------------------------------------------


def update_review_settings(
    *,
    event: Event,
    anonymised: bool,
    closes_at: datetime | None,
    score_min: int,
    score_max: int,
    labels: Mapping[int, str],
    reviews_per_submission: int | None = None,
) -> None:
    """Store the event's review settings.

    The scale is the event's reference scale, on which review totals are shown (see
    :mod:`podium.review.scoring`). While the event has a single score category, that
    category gets the same scale and labels, so a one-category event is set up as before.

    Args:
        closes_at: aware UTC instant after which reviews can no longer be edited, or None.
        score_min, score_max: inclusive score range, at most :data:`MAX_SCALE_VALUES` values.
        labels: label per score value (values outside the range are refused).
        reviews_per_submission: reviews each submission should get (1-50); None keeps it.

    Raises:
        ReviewError: the range is empty or too wide, a label is outside it, the reviews
            wanted are outside 1-50, or an existing
            review's score would fall outside the new range.
    """
    if closes_at is not None and closes_at.tzinfo is None:
        raise ReviewError(_("the closing instant needs a time zone"), "review_closes_at")
    try:
        _check_scale(score_min, score_max, labels)
    except ReviewError as error:
        field = "score_labels" if error.field == "labels" else error.field
        raise ReviewError(str(error), field) from error
    if reviews_per_submission is not None and not 1 <= reviews_per_submission <= 50:
        raise ReviewError(_("enter between 1 and 50 reviews"), "reviews_per_submission")
    stored = db.session.scalars(
        select(ScoreCategory).where(ScoreCategory.event_id == event.id)
    ).all()
    single = stored[0] if len(stored) == 1 else None
    if single is not None and _values_outside(single.id, score_min, score_max):
        raise ReviewError(
            _("existing reviews have scores outside this range; widen it"), "score_min"
        )
    if single is not None:
        single.score_min, single.score_max = score_min, score_max
        single.labels = {str(k): v.strip() for k, v in sorted(labels.items()) if v.strip()}
    event.anonymised_review = anonymised
    event.review_closes_at = closes_at
    event.score_min = score_min
    event.score_max = score_max
    event.score_labels = {str(k): v.strip() for k, v in sorted(labels.items()) if v.strip()}
    if reviews_per_submission is not None:
        event.reviews_per_submission = reviews_per_submission
    db.session.commit()


def _values_outside(category_id: int, low: int, high: int) -> bool:
    """True when a stored value of ``category_id`` lies outside ``low``..``high``."""
    clash = db.session.scalar(
        select(ReviewScore.id)
        .where(ReviewScore.category_id == category_id)
        .where((ReviewScore.value < low) | (ReviewScore.value > high))
        .limit(1)
    )
    return clash is not None


def _check_scale(score_min: int, score_max: int, labels: Mapping[int, str]) -> None:
    if score_min >= score_max:
        raise ReviewError(_("the lowest score must be below the highest"), "score_max")
    if score_max - score_min + 1 > MAX_SCALE_VALUES:
        raise ReviewError(
            _("a scale has at most %(count)s values", count=MAX_SCALE_VALUES), "score_max"
        )
    outside = sorted(v for v in labels if not score_min <= v <= score_max)
    if outside:
        raise ReviewError(
            _("labels for values outside the scale: %(values)s", values=outside), "labels"
        )


def save_category(
    *,
    event: Event,
    name: str,
    score_min: int,
    score_max: int,
    labels: Mapping[int, str],
    weight: int,
    track_ids: Iterable[int] = (),
    help_text: str = "",
    category_id: int | None = None,
) -> ScoreCategory:
    """Add a score category to ``event``, or change ``category_id`` of it.

    ``labels`` maps values to their meaning; ``weight`` (1-100) is the category's share of
    the total; ``track_ids`` limits it to those tracks (empty: every submission). The first
    category added to an event that stored none also stores the implicit ``Overall`` one,
    which its existing setup relied on (organizers may delete it afterwards).

    Raises:
        NotVisible: ``category_id`` is not a category of ``event``.
        ReviewError: empty name, bad scale or labels, weight outside 1-100, a track of
            another event, stored values outside the new scale, or no category would be
            left applying to every track.
    """
    name = name.strip()
    if not name:
        raise ReviewError(_("give the category a name"), "name")
    _check_scale(score_min, score_max, labels)
    if not 1 <= weight <= 100:
        raise ReviewError(_("enter a weight between 1 and 100"), "weight")
    own_tracks = {t.id: t for t in event.tracks}
    chosen = sorted(set(track_ids))
    if any(t not in own_tracks for t in chosen):
        raise ReviewError(_("choose tracks of this event"), "track_ids")
    _stored_categories(event)
    if category_id is None:
        position = 1 + max((c.position for c in event_categories(event.id)), default=0)
        category = ScoreCategory(event_id=event.id, position=position)
        db.session.add(category)
    else:
        found = db.session.get(ScoreCategory, category_id)
        if found is None or found.event_id != event.id:
            db.session.rollback()
            raise NotVisible("no such category")
        category = found
        if _values_outside(category.id, score_min, score_max):
            db.session.rollback()
            raise ReviewError(
                _("existing reviews have scores outside this range; widen it"), "score_min"
            )
    category.name = name[:100]
    category.help_text = help_text.strip()
    category.score_min, category.score_max = score_min, score_max
    category.labels = {str(k): v.strip() for k, v in sorted(labels.items()) if v.strip()}
    category.weight = weight
    category.tracks = [own_tracks[t] for t in chosen]
    db.session.flush()
    _check_every_track_scored(event)
    db.session.commit()
    return category


def event_categories(event_id: int) -> list[ScoreCategory]:
    """The event's stored categories as rows, by position (one query)."""
    return list(
        db.session.scalars(
            select(ScoreCategory)
            .where(ScoreCategory.event_id == event_id)
            .order_by(ScoreCategory.position, ScoreCategory.id)
        )
    )


def _check_every_track_scored(event: Event) -> None:
    """Roll back and raise unless some category applies to every submission."""
    if not any(not c.track_ids for c in queries.categories_of(event)):
        db.session.rollback()
        raise ReviewError(
            _("at least one category must apply to every track (leave its tracks empty)"),
            "track_ids",
        )


def delete_category(*, event: Event, category_id: int) -> None:
    """Delete a score category of ``event`` and every value given in it.

    Totals of reviews that scored it are then computed from their other categories.

    Raises:
        NotVisible: no such category in this event.
        ReviewError: it is the last category applying to every track.
    """
    category = db.session.get(ScoreCategory, category_id)
    if category is None or category.event_id != event.id:
        raise NotVisible("no such category")
    db.session.delete(category)
    db.session.flush()
    _check_every_track_scored(event)
    db.session.commit()


def add_phase(
    *,
    event: Event,
    name: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    can_review: bool,
    can_see_other_reviews: bool,
    can_see_speaker_names: bool,
    speakers_can_edit: bool,
) -> ReviewPhase:
    """Add a review phase to ``event``.

    ``starts_at``/``ends_at`` are aware UTC instants or ``None`` (open end); a phase without
    dates is only in force when pinned (see :func:`pin_phase`) or as the open-ended fallback.

    Raises:
        ReviewError: empty name, a naive instant, or an end not after the start.
    """
    name = name.strip()
    if not name:
        raise ReviewError(_("give the phase a name"), "name")
    for field, instant in (("starts_at", starts_at), ("ends_at", ends_at)):
        if instant is not None and instant.tzinfo is None:
            raise ReviewError(_("the instant needs a time zone"), field)
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise ReviewError(_("the phase must end after it starts"), "ends_at")
    position = 1 + max((p.position for p in queries.review_phases(event.id)), default=0)
    phase = ReviewPhase(
        event_id=event.id,
        name=name[:100],
        position=position,
        starts_at=starts_at,
        ends_at=ends_at,
        can_review=can_review,
        can_see_other_reviews=can_see_other_reviews,
        can_see_speaker_names=can_see_speaker_names,
        speakers_can_edit=speakers_can_edit,
    )
    db.session.add(phase)
    db.session.commit()
    return phase


def pin_phase(*, event: Event, phase_id: int | None) -> None:
    """Switch ``event`` to phase ``phase_id`` by hand, whatever its dates; ``None`` unpins,
    so the dates decide again.

    Raises:
        NotVisible: ``phase_id`` is not a phase of ``event``.
    """
    phases = queries.review_phases(event.id)
    if phase_id is not None and phase_id not in {p.id for p in phases}:
        raise NotVisible("no such phase")
    for phase in phases:
        phase.is_pinned = phase.id == phase_id
    db.session.commit()


def delete_phase(*, event: Event, phase_id: int) -> None:
    """Delete a review phase of ``event``.

    Raises:
        NotVisible: no such phase in this event.
    """
    phase = db.session.get(ReviewPhase, phase_id)
    if phase is None or phase.event_id != event.id:
        raise NotVisible("no such phase")
    db.session.delete(phase)
    db.session.commit()


def add_assignment(
    *,
    event: Event,
    reviewer_id: int,
    scope: AssignmentScope | str,
    track_id: int | None = None,
    submission_id: int | None = None,
    actor_id: int | None = None,
    form_token: str | None = None,
) -> ReviewerAssignment:
    """Assign a reviewer to all submissions, one track or one submission of ``event``.

    ``form_token`` (see :mod:`podium.once`, claimed for user ``actor_id``): a second request
    with it adds nothing and returns the assignment the first one added.

    Raises:
        ReviewError: the user is not a reviewer of the event, or the track/submission is
            missing or belongs to another event.
    """
    scope = AssignmentScope(scope)
    is_reviewer = db.session.scalar(
        select(EventMembership.id).where(
            EventMembership.event_id == event.id,
            EventMembership.user_id == reviewer_id,
            EventMembership.role == TeamRole.REVIEWER.value,
        )
    )
    if is_reviewer is None:
        raise ReviewError(_("choose one of the event's reviewers"), "reviewer_id")
    claimed = claim(token=form_token, kind="reviewer_assignment", user_id=actor_id)
    if isinstance(claimed, int) and (earlier := db.session.get(ReviewerAssignment, claimed)):
        return earlier
    assignment = ReviewerAssignment(event_id=event.id, reviewer_id=reviewer_id)
    if scope is AssignmentScope.TRACK:
        track = db.session.get(Track, track_id) if track_id else None
        if track is None or track.event_id != event.id:
            raise ReviewError(_("choose a track of this event"), "track_id")
        assignment.track_id = track.id
    elif scope is AssignmentScope.SUBMISSION:
        submission = db.session.get(Submission, submission_id) if submission_id else None
        if submission is None or submission.event_id != event.id:
            raise ReviewError(_("choose a submission of this event"), "submission_id")
        assignment.submission_id = submission.id
    db.session.add(assignment)
    db.session.flush()
    if not isinstance(claimed, int):
        claimed.done(assignment.id)
    db.session.commit()
    return assignment


def remove_assignment(*, event: Event, assignment_id: int) -> None:
    """Delete one assignment of ``event`` (its reviews stay).

    Raises:
        NotVisible: no such assignment in this event.
    """
    assignment = db.session.get(ReviewerAssignment, assignment_id)
    if assignment is None or assignment.event_id != event.id:
        raise NotVisible("no such assignment")
    db.session.delete(assignment)
    db.session.commit()


# --- reviewing -------------------------------------------------------------------------------


def review_is_open(event: Event, now: datetime | None = None) -> bool:
    """True while reviewers may score: before the closing instant and while the current
    review phase (if any) allows it. See :func:`podium.review.permissions.reviews_open`."""
    return permissions.reviews_open(event, now)


def score_field(category: CategoryView, categories: list[CategoryView]) -> str:
    """The review form's field for ``category``: ``score`` when it is the only one scored."""
    return "score" if len(categories) == 1 else f"score_{category.id}"


def save_review(
    *,
    event: Event,
    reviewer: User,
    submission_id: int,
    comment: str,
    score: int | None = None,
    scores: Mapping[int, int] | None = None,
) -> Review:
    """Create or update ``reviewer``'s review of a submission they may see.

    Give ``scores`` as ``{category id: value}`` for every category that applies to the
    submission (see :mod:`podium.review.scoring`), or ``score`` alone when exactly one
    category applies. An event without stored categories gets its implicit one stored
    (``Overall``, the event's scale, weight 1) by its first review.

    Raises:
        NotVisible: the submission is not visible to the reviewer (not assigned, a speaker
            of it, a declared conflict, another event).
        ReviewError: the review phase does not allow scoring, a category is not scored,
            a value is outside its category's scale, or a category does not apply.
    """
    if not queries.is_visible_to(event.id, reviewer.id, submission_id):
        raise NotVisible("no such submission")
    if event.review_closes_at is not None and utcnow() >= event.review_closes_at:
        raise ReviewError(_("the review phase has closed; reviews can no longer change"), "score")
    if not review_is_open(event):
        raise ReviewError(_("the current review phase does not allow scoring"), "score")
    categories = _stored_categories(event)
    submission = db.session.get(Submission, submission_id)
    assert submission is not None  # visible above
    wanted = applicable(categories, submission.track_id)
    values = _checked_values(wanted, score=score, scores=scores or {})
    review = db.session.scalar(
        select(Review).where(
            Review.submission_id == submission_id, Review.reviewer_id == reviewer.id
        )
    )
    if review is None:
        review = Review(submission_id=submission_id, reviewer_id=reviewer.id)
        db.session.add(review)
        db.session.flush()
    existing = {
        s.category_id: s
        for s in db.session.scalars(select(ReviewScore).where(ReviewScore.review_id == review.id))
    }
    for category_id, row in existing.items():
        if category_id not in values:
            db.session.delete(row)  # a category that no longer applies (track changed)
    for category_id, value in values.items():
        if category_id in existing:
            existing[category_id].value = value
        else:
            db.session.add(ReviewScore(review_id=review.id, category_id=category_id, value=value))
    review.comment = comment.strip()
    review.updated_at = utcnow()  # scores live in their own rows; the review still changed
    db.session.commit()
    return review


def _stored_categories(event: Event) -> list[CategoryView]:
    """The event's categories, storing the implicit one first if it has none (flushed)."""
    categories = queries.categories_of(event)
    if categories[0].id is None:
        implicit = categories[0]
        db.session.add(
            ScoreCategory(
                event_id=event.id,
                name=DEFAULT_CATEGORY_NAME,
                score_min=implicit.score_min,
                score_max=implicit.score_max,
                labels=dict(implicit.labels),
                weight=1,
            )
        )
        db.session.flush()
        categories = queries.categories_of(event)
    return categories


def _checked_values(
    wanted: list[CategoryView], *, score: int | None, scores: Mapping[int, int]
) -> dict[int, int]:
    """``{category id: value}`` for exactly the ``wanted`` categories, each on its scale."""
    if score is not None and not scores and len(wanted) == 1:
        scores = {wanted[0].id: score}  # type: ignore[dict-item]  # stored: ids are set
    unknown = sorted(set(scores) - {c.id for c in wanted})
    if unknown:
        raise ReviewError(
            _("these categories do not apply to this submission: %(ids)s", ids=unknown)
        )
    values: dict[int, int] = {}
    for category in wanted:
        assert category.id is not None  # stored by _stored_categories
        field = score_field(category, wanted)
        value = scores.get(category.id)
        if value is None:
            raise ReviewError(_("give a score for %(name)s", name=category.name), field)
        if not category.score_min <= value <= category.score_max:
            raise ReviewError(
                _(
                    "%(name)s: the score must be between %(min)s and %(max)s",
                    name=category.name,
                    min=category.score_min,
                    max=category.score_max,
                ),
                field,
            )
        values[category.id] = value
    return values


def declare_conflict(*, event: Event, reviewer: User, submission_id: int, reason: str) -> None:
    """Record that ``reviewer`` has a conflict of interest; the submission disappears for them.

    Their review of it, if any, is deleted so it no longer counts in the ranking.

    Raises:
        NotVisible: the submission is not visible to the reviewer.
    """
    if not queries.is_visible_to(event.id, reviewer.id, submission_id):
        raise NotVisible("no such submission")
    db.session.add(
        ReviewConflict(submission_id=submission_id, reviewer_id=reviewer.id, reason=reason[:500])
    )
    review = db.session.scalar(
        select(Review).where(
            Review.submission_id == submission_id, Review.reviewer_id == reviewer.id
        )
    )
    if review is not None:
        db.session.delete(review)
    db.session.commit()


# --- bidding and automatic assignment ----------------------------------------------------------


def save_bids(*, event: Event, reviewer: User, bids: Mapping[int, BidPreference | None]) -> int:
    """Store ``reviewer``'s bids: submission id -> preference, ``None`` to withdraw a bid.

    Only the submissions named are touched, so a filtered page saves just what it showed.
    Runs a fixed number of queries whatever the number of bids.

    Returns:
        how many bids were created, changed or withdrawn.

    Raises:
        ReviewError: a submission is not one the reviewer may bid on (not awaiting a decision,
            their own, a declared conflict, another event); ``field`` is ``bid-<id>``.
    """
    if not bids:
        return 0
    allowed = set(
        db.session.scalars(
            queries.biddable_ids(event.id, reviewer.id).where(Submission.id.in_(sorted(bids)))
        )
    )
    unknown = sorted(set(bids) - allowed)
    if unknown:
        raise ReviewError(_("you cannot bid on this proposal"), f"bid-{unknown[0]}")
    current = {
        bid.submission_id: bid
        for bid in db.session.scalars(
            select(ReviewBid).where(
                ReviewBid.reviewer_id == reviewer.id, ReviewBid.submission_id.in_(sorted(bids))
            )
        )
    }
    changed = 0
    for submission_id, preference in sorted(bids.items()):
        bid = current.get(submission_id)
        if preference is None:
            if bid is not None:
                db.session.delete(bid)
                changed += 1
        elif bid is None:
            db.session.add(
                ReviewBid(
                    event_id=event.id,
                    reviewer_id=reviewer.id,
                    submission_id=submission_id,
                    preference=preference.value,
                )
            )
            changed += 1
        elif bid.preference != preference.value:
            bid.preference = preference.value
            changed += 1
    db.session.commit()
    return changed


def preview_assignment(
    *, event: Event, per_proposal: int, cap: int | None
) -> assignment.AssignmentResult:
    """The automatic assignment :func:`apply_assignment` would make now; changes nothing.

    Raises:
        ReviewError: ``per_proposal`` below 1 or ``cap`` negative (``field`` names which).
    """
    data = queries.assignment_input(event, per_proposal=per_proposal, cap=cap)
    try:
        return assignment.assign(data)
    except assignment.AssignmentError as error:
        raise ReviewError(str(error), error.field) from error


@dataclass(frozen=True)
class AppliedAssignment:
    """What :func:`apply_assignment` did: ``added`` new per-submission assignments, or
    ``repeated`` when the same form was already applied (nothing added then)."""

    added: int
    repeated: bool = False


def apply_assignment(
    *,
    event: Event,
    per_proposal: int,
    cap: int | None,
    actor_id: int | None = None,
    form_token: str | None = None,
) -> AppliedAssignment:
    """Compute the automatic assignment and add one assignment per new pair.

    Existing assignments (manual ones included) stay and count towards ``per_proposal`` and
    the cap, so applying twice adds nothing the second time; ``form_token`` (see
    :mod:`podium.once`) also makes two simultaneous submits of one form apply once.

    Raises:
        ReviewError: ``per_proposal`` below 1 or ``cap`` negative.
    """
    claimed = claim(token=form_token, kind="auto_assignment", user_id=actor_id)
    if isinstance(claimed, int):
        return AppliedAssignment(added=0, repeated=True)
    result = preview_assignment(event=event, per_proposal=per_proposal, cap=cap)
    rows = [
        {"event_id": event.id, "reviewer_id": r, "submission_id": p, "created_at": utcnow()}
        for r, p in result.pairs
    ]
    if rows:
        db.session.execute(insert(ReviewerAssignment), rows)
    claimed.done(len(rows))
    db.session.commit()
    return AppliedAssignment(added=len(rows))


# --- decisions -------------------------------------------------------------------------------


def set_decisions(
    *, event: Event, actor: User, submission_ids: Iterable[int], decision: DecisionKind | None
) -> int:
    """Set (or with ``None`` clear) the pending decision of submissions of ``event``.

    Only submissions whose state still allows a decision (submitted, accepted, rejected) are
    changed; each change is recorded as a :class:`Decision` with who and when. Runs a fixed
    number of queries whatever the number of submissions.

    Returns:
        how many submissions changed.

    Raises:
        ReviewError: no submission selected.
    """
    ids = sorted(set(submission_ids))
    if not ids:
        raise ReviewError(_("select at least one submission"), "submission_ids")
    submissions = db.session.scalars(
        select(Submission).where(
            Submission.event_id == event.id,
            Submission.id.in_(ids),
            Submission.state.in_(DECIDABLE_STATES),
        )
    ).all()
    value = decision.value if decision is not None else None
    now = utcnow()
    # Change only rows whose pending state differs, in one conditional UPDATE: a second,
    # simultaneous request with the same decision (a double click) waits for the first's row
    # locks, then finds nothing left to change, so it records no second decision.
    changed_ids = db.session.scalars(
        update(Submission)
        .where(
            Submission.id.in_([submission.id for submission in submissions]),
            Submission.state.in_(DECIDABLE_STATES),
            Submission.pending_state.is_distinct_from(value),
        )
        .values(pending_state=value)
        .returning(Submission.id)
        .execution_options(synchronize_session=False)
    ).all()
    for submission_id in sorted(changed_ids):
        db.session.add(
            Decision(
                event_id=event.id,
                submission_id=submission_id,
                decision=value or "cleared",
                decided_by_id=actor.id,
                decided_at=now,
            )
        )
    db.session.commit()
    return len(changed_ids)


def save_decision_template(*, event: Event, kind: str, subject: str, body: str) -> None:
    """Store the event's ``accept`` or ``reject`` mail text (see :mod:`podium.mail.emails`).

    Raises:
        ReviewError: unknown kind, empty subject/body, or unknown ``{placeholders}``.
    """
    if kind not in DEFAULT_TEMPLATES:
        raise ReviewError(_("unknown template"), "kind")
    try:
        save_event_text(event_id=event.id, kind=kind, subject=subject, body=body)
    except TextError as error:
        raise ReviewError(str(error), error.field) from error


@dataclass(frozen=True)
class ReleaseResult:
    """What a release did: decisions applied, held mails queued, and what was skipped.

    ``skipped`` counts decisions the submission's state no longer allowed (e.g. withdrawn in
    the meantime) or that equalled the current state; ``no_address`` counts speakers without
    an account e-mail, who got no mail.
    """

    released: int
    mails: int
    skipped: int
    no_address: int


def make_confirmation_token(submission_id: int, event_id: int) -> str:
    """A signed, URL-safe token naming one submission of one event (no expiry)."""
    return _serializer().dumps({"e": event_id, "s": submission_id})


def read_confirmation_token(token: str, event_id: int) -> int:
    """The submission id inside ``token``.

    Raises:
        NotVisible: the token is forged, damaged, or belongs to another event.
    """
    try:
        data = _serializer().loads(token)
    except BadSignature as exc:
        raise NotVisible("invalid confirmation link") from exc
    if (
        not isinstance(data, dict)
        or data.get("e") != event_id
        or not isinstance(data.get("s"), int)
    ):
        raise NotVisible("invalid confirmation link")
    return data["s"]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_TOKEN_SALT)


def confirmation_link(event: Event, submission_id: int) -> str:
    """Absolute URL of the confirmation page, built from ``BASE_URL`` (works outside requests)."""
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    token = make_confirmation_token(submission_id, event.id)
    return f"{base}/review/{event.slug}/confirm/{token}"


def release_decisions(*, event: Event, actor: User, with_mail: bool = True) -> ReleaseResult:
    """Apply every pending decision of ``event`` and hold one mail per speaker and submission.

    Speakers see a released decision only once it is announced (``Decision.announced_at``):
    with ``with_mail`` when its held mail is queued (:func:`send_held_mails`); without mail
    (``with_mail=False``: no mail is held) at once.

    Each state change goes through :func:`podium.cfp.services.change_state` (who and when are
    recorded), then the submission's ``pending_state`` is cleared, so a second release finds
    nothing and mails nobody again. Mails are rendered from the event's templates (or the
    defaults) and stay ``held`` until :func:`send_held_mails`. One transaction; a fixed number
    of SELECTs whatever the number of decisions (the flush batches its INSERTs and UPDATEs).
    """
    claimed = _claim_pending_decisions(event)
    submissions = db.session.scalars(
        select(Submission)
        .where(Submission.id.in_(claimed))
        .order_by(Submission.id)
        .execution_options(populate_existing=True)
    ).all()
    speakers: dict[int, list[tuple[int, str, str | None, str | None]]] = defaultdict(list)
    for sub_id, profile_id, name, email, language in db.session.execute(
        select(
            SubmissionSpeaker.submission_id,
            SpeakerProfile.id,
            SpeakerProfile.name,
            User.email,
            User.language,
        )
        .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
        .outerjoin(User, User.id == SpeakerProfile.user_id)
        .where(SubmissionSpeaker.submission_id.in_(claimed))
        .order_by(SubmissionSpeaker.submission_id, SubmissionSpeaker.position)
    ):
        speakers[sub_id].append((profile_id, name, email, language))
    # Each speaker gets the event's text in their language, else in the event's default
    # language, else the built-in text in their language (podium.mail.emails).
    texts = EventTexts(event.id, event.default_language)
    released = mails = skipped = no_address = 0
    new_rows: list[Any] = []
    waiting: set[int] = set()
    for submission in submissions:
        decision = claimed[submission.id]
        submission.pending_state = None
        if submission.state == decision.value:
            skipped += 1
            continue
        try:
            record = change_state(
                submission=submission,
                to_state=decision.value,
                actor=actor,
                note="decision released",
                commit=False,
            )
        except TransitionError:
            skipped += 1
            continue
        new_rows.append(record)
        released += 1
        if not with_mail:
            continue
        waiting.add(submission.id)
        link = confirmation_link(event, submission.id) if decision is DecisionKind.ACCEPT else ""
        for profile_id, name, email, user_language in speakers[submission.id]:
            if not email:
                no_address += 1
                continue
            language = mail_language(user_language, event.default_language)
            text_language, subject, body, _own = texts.choose(decision.template_kind, language)
            values = {
                "speaker_name": name,
                "submission_title": submission.title,
                "event_name": event.name,
                "confirmation_link": link,
            }
            mail = queue_mail(
                to=[email],
                template=DECISION_MAIL_KIND,
                context={
                    "subject": fill_placeholders(subject, values),
                    "body": fill_placeholders(body, values),
                    "submission_id": submission.id,
                    "speaker_profile_id": profile_id,
                    "decision": decision.value,
                },
                event_id=event.id,
                hold=True,
                commit=False,
                # Organizers release these to their own speakers (own flow, not a stranger's
                # inbox): the per-recipient hourly cap does not apply.
                recipient_cap=False,
                language=text_language,
            )
            new_rows.append(mail)
            mails += 1
    _insert_batched(new_rows)
    now = utcnow()
    unreleased = (Decision.event_id == event.id, Decision.released_at.is_(None))
    # Only a decision that changed the state and has its mails held waits to be announced;
    # cleared, skipped and superseded ones have nothing to hide.
    db.session.execute(
        update(Decision)
        .where(*unreleased, Decision.submission_id.in_(sorted(waiting)))
        .values(released_at=now, released_by_id=actor.id, announced_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Decision)
        .where(*unreleased)
        .values(released_at=now, released_by_id=actor.id, announced_at=now)
        .execution_options(synchronize_session=False)
    )
    if not with_mail:
        _mark_announced(event, set(claimed))
    db.session.commit()
    return ReleaseResult(released=released, mails=mails, skipped=skipped, no_address=no_address)


def _claim_pending_decisions(event: Event) -> dict[int, DecisionKind]:
    """Clear the pending decisions of ``event`` and return them as ``{submission id: kind}``.

    The clearing is a compare-and-set (``pending_state`` must still hold the kind just read),
    so when two releases run at once (a double click) each submission is claimed by one of
    them only and nobody gets two decision mails. One SELECT plus one UPDATE per kind.
    """
    pending = db.session.execute(
        select(Submission.id, Submission.pending_state).where(
            Submission.event_id == event.id, Submission.pending_state.is_not(None)
        )
    ).all()
    claimed: dict[int, DecisionKind] = {}
    for kind in sorted({row.pending_state for row in pending}):
        ids = [row.id for row in pending if row.pending_state == kind]
        won = db.session.scalars(
            update(Submission)
            .where(Submission.id.in_(ids), Submission.pending_state == kind)
            .values(pending_state=None)
            .returning(Submission.id)
            .execution_options(synchronize_session=False)
        )
        claimed.update((submission_id, DecisionKind(kind)) for submission_id in won)
    return claimed


def _insert_batched(objects: list[Any]) -> None:
    """Insert new ORM objects with one executemany per table instead of one INSERT each.

    The unit of work inserts rows one by one on SQLite (it cannot match RETURNING rows to
    objects there), which would make a release of 500 decisions cost thousands of statements.
    The objects were built by the shared services (``change_state``, ``queue_mail``), so their
    checks and defaults apply; only the persistence is batched. Callers don't use the objects
    afterwards (they are expunged and never get their ids).
    """
    by_model: dict[type, list[Any]] = defaultdict(list)
    for obj in objects:
        # Expunge everything first: any execute would otherwise autoflush the rest one by one.
        db.session.expunge(obj)
        by_model[type(obj)].append(obj)
    for model, group in by_model.items():
        columns = [c.key for c in sa_inspect(model).column_attrs if c.key != "id"]
        rows = [{key: getattr(obj, key) for key in columns} for obj in group]
        # Unset attributes (None) fall back to the column defaults; executemany needs the same
        # keys in every row, so a key is dropped only when it is unset everywhere.
        unset = {key for key in columns if all(row[key] is None for row in rows)}
        db.session.execute(
            insert(model), [{k: v for k, v in row.items() if k not in unset} for row in rows]
        )


def _held_mail(event: Event, mail_id: int) -> OutboxMail:
    mail = db.session.get(OutboxMail, mail_id)
    if (
        mail is None
        or mail.event_id != event.id
        or mail.kind != DECISION_MAIL_KIND
        or mail.state != "held"
    ):
        raise NotVisible("no such held mail")
    return mail


def edit_held_mail(*, event: Event, mail_id: int, subject: str, body: str) -> None:
    """Replace a held decision mail's subject and text (re-rendering its HTML part).

    Raises:
        NotVisible: no held decision mail with that id in this event (sent ones can't change).
        ReviewError: empty subject or text.
    """
    _held_mail(event, mail_id)
    try:
        mail_services.edit_held_mail(event_id=event.id, mail_id=mail_id, subject=subject, body=body)
    except mail_services.MailEditError as error:
        raise ReviewError(str(error), error.field) from error


def discard_held_mail(*, event: Event, mail_id: int) -> None:
    """Delete a held decision mail so it is never sent.

    Raises:
        NotVisible: no held decision mail with that id in this event.
    """
    _held_mail(event, mail_id)
    mail_services.discard_held_mail(event_id=event.id, mail_id=mail_id)


def send_held_mails(*, event: Event) -> int:
    """Move every held decision mail of ``event`` to ``queued`` for the worker.

    The decisions those mails tell are announced at the same time (speakers see them from
    now on, see :func:`announce_decisions`), by the hook registered below, which also runs
    when the event's outbox sends them. Three statements whatever the number of mails.

    Returns:
        how many mails were queued.
    """
    return mail_services.send_held_mails(event_id=event.id, kind=DECISION_MAIL_KIND)


def announce_decisions(*, event: Event, submission_ids: Iterable[int] | None = None) -> int:
    """Let speakers see released decisions that no mail announced (release without mail).

    ``submission_ids`` limits it to those submissions (``None``: every released decision of
    the event not announced yet). Whoever queues decision mails by another path must call
    this for the submissions the mails tell about. One UPDATE.

    Returns:
        how many decisions were announced.
    """
    count = _mark_announced(event, None if submission_ids is None else set(submission_ids))
    db.session.commit()
    return count


def _announce_released_mails(event_id: int, contexts: list[Mapping[str, Any]]) -> None:
    told = {c["submission_id"] for c in contexts if isinstance(c.get("submission_id"), int)}
    event = db.session.get(Event, event_id)
    if event is not None:
        _mark_announced(event, told)


mail_services.on_held_mail_release(DECISION_MAIL_KIND, _announce_released_mails)


def _mark_announced(event: Event, submission_ids: set[int] | None) -> int:
    stmt = (
        update(Decision)
        .where(Decision.event_id == event.id)
        .where(Decision.released_at.is_not(None), Decision.announced_at.is_(None))
        .values(announced_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if submission_ids is not None:
        if not submission_ids:
            return 0
        stmt = stmt.where(Decision.submission_id.in_(sorted(submission_ids)))
    return int(db.session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


# --- confirmations ---------------------------------------------------------------------------


def answer_confirmation(
    *, event: Event, user: User, submission_id: int, answer: ConfirmationAnswer | str
) -> Submission:
    """Record an accepted speaker's confirmation or refusal through ``change_state``.

    Raises:
        NotVisible: no such submission in ``event``.
        NotASpeaker: ``user`` is not one of its speakers.
        ReviewError: the submission's state does not allow this answer (e.g. not accepted).
    """
    answer = ConfirmationAnswer(answer)
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.event_id != event.id:
        raise NotVisible("no such submission")
    if not queries.is_speaker_of(user.id, submission.id):
        raise NotASpeaker("only the submission's speakers can answer")
    if submission.state == answer.value:
        return submission
    if (
        submission.state == SubmissionState.SUBMITTED
        or submission.state == SubmissionState.REJECTED
        # Until the decision is announced the speaker must not learn it, not even by a 409.
        or submission.id in queries.unannounced_decisions([submission.id])
    ):
        raise ReviewError(_("this submission has not been accepted"), "answer")
    try:
        change_state(
            submission=submission,
            to_state=answer.value,
            actor=user,
            note=f"speaker {answer.value}",
        )
    except TransitionError as exc:
        raise ReviewError(str(exc), "answer") from exc
    return submission
