"""Read-side of review: who may see which submission, reviewer projections, ranking figures.

:func:`visible_pairs` is THE visibility rule. Every reviewer-facing page, export and API
response selects submissions through it, so a guessed URL for a submission a reviewer is not
assigned to (or speaks in, or declared a conflict with) finds nothing and answers 404.

Reviewer-facing data is built as :class:`ReviewItem` projections from explicitly selected
columns: speaker e-mails and avatars are never selected, and with anonymised review neither are
speaker names, biographies nor the submission's notes.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, exists, func, or_, select

from podium.accounts.models import User
from podium.cfp.enums import SubmissionState
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.db import utcnow
from podium.events.enums import TeamRole
from podium.events.models import Event, EventMembership, SessionType, Track
from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.questions.permissions import reviewer_may_see
from podium.questions.queries import AnswerView, answers_by_submission
from podium.review.assignment import AssignmentInput
from podium.review.enums import DECISION_MAIL_KIND, REVIEWABLE_STATES
from podium.review.models import (
    Decision,
    DecisionMailTemplate,
    Review,
    ReviewBid,
    ReviewConflict,
    ReviewerAssignment,
    ReviewPhase,
    ReviewScore,
    ScoreCategory,
    score_category_tracks,
)
from podium.review.scoring import CategoryView, implicit_category, review_total
from podium.security import parse_id


def visible_pairs(event_id: int, *, reviewer_id: int | None = None) -> Select[Any]:
    """Select distinct ``(reviewer_id, submission_id)`` pairs a reviewer must review.

    A pair exists when an assignment of the event covers the submission (all submissions,
    its track, or itself), the user still holds the reviewer role, the submission is in a
    reviewable state, the reviewer is not one of its speakers and declared no conflict with it.
    Pass ``reviewer_id`` to restrict to one reviewer.
    """
    a = ReviewerAssignment
    s = Submission
    covers = or_(
        and_(a.submission_id.is_(None), a.track_id.is_(None)),
        a.submission_id == s.id,
        and_(a.track_id.is_not(None), a.track_id == s.track_id),
    )
    speaks_in = (
        exists()
        .where(SubmissionSpeaker.submission_id == s.id)
        .where(SubmissionSpeaker.speaker_id == SpeakerProfile.id)
        .where(SpeakerProfile.user_id == a.reviewer_id)
    )
    conflicted = (
        exists()
        .where(ReviewConflict.submission_id == s.id)
        .where(ReviewConflict.reviewer_id == a.reviewer_id)
    )
    holds_role = (
        exists()
        .where(EventMembership.event_id == a.event_id)
        .where(EventMembership.user_id == a.reviewer_id)
        .where(EventMembership.role == TeamRole.REVIEWER.value)
    )
    stmt = (
        select(a.reviewer_id, s.id.label("submission_id"))
        .join(s, and_(s.event_id == a.event_id, covers))
        .where(a.event_id == event_id, s.state.in_(REVIEWABLE_STATES))
        .where(~speaks_in, ~conflicted, holds_role)
        .distinct()
    )
    if reviewer_id is not None:
        stmt = stmt.where(a.reviewer_id == reviewer_id)
    return stmt


def categories_of(event: Event) -> list[CategoryView]:
    """The event's score categories by position (one query).

    An event that stored none has one implicit category on its own scale (see
    :func:`podium.review.scoring.implicit_category`).
    """
    c = ScoreCategory
    rows = db.session.execute(
        select(
            c.id,
            c.name,
            c.help_text,
            c.score_min,
            c.score_max,
            c.weight,
            c.labels,
            score_category_tracks.c.track_id,
        )
        .outerjoin(score_category_tracks, score_category_tracks.c.category_id == c.id)
        .where(c.event_id == event.id)
        .order_by(c.position, c.id)
    ).all()
    if not rows:
        return [implicit_category(event)]
    tracks: dict[int, set[int]] = defaultdict(set)
    first: dict[int, Any] = {}
    for row in rows:
        first.setdefault(row.id, row)
        if row.track_id is not None:
            tracks[row.id].add(row.track_id)
    return [
        CategoryView(
            id=row.id,
            name=row.name,
            help_text=row.help_text or "",
            score_min=row.score_min,
            score_max=row.score_max,
            weight=row.weight,
            labels=dict(row.labels or {}),
            track_ids=frozenset(tracks[row.id]),
        )
        for row in first.values()
    ]


def review_phases(event_id: int) -> list[ReviewPhase]:
    """The event's review phases in order: by start (undated first), then position, id."""
    return list(
        db.session.scalars(
            select(ReviewPhase)
            .where(ReviewPhase.event_id == event_id)
            .order_by(
                ReviewPhase.starts_at.is_not(None),
                ReviewPhase.starts_at,
                ReviewPhase.position,
                ReviewPhase.id,
            )
        )
    )


def pick_current_phase(phases: Sequence[ReviewPhase], now: datetime) -> ReviewPhase | None:
    """The phase in force at ``now`` (aware UTC) among ``phases`` (ordered as
    :func:`review_phases` returns them), without a query.

    A pinned phase wins whatever the dates. Otherwise the phase whose window
    ``starts_at <= now < ends_at`` (a ``None`` end is open) started last; ``None`` when no
    window contains ``now``.
    """
    pinned = [p for p in phases if p.is_pinned]
    if pinned:
        return pinned[0]
    current = None
    for phase in phases:
        started = phase.starts_at is None or phase.starts_at <= now
        ended = phase.ends_at is not None and now >= phase.ends_at
        if started and not ended:
            current = phase  # a later start wins: phases may overlap while being planned
    return current


def current_phase(event: Event, now: datetime | None = None) -> ReviewPhase | None:
    """The event's review phase in force at ``now`` (default: now, aware UTC); one query."""
    return pick_current_phase(review_phases(event.id), now or utcnow())


def review_values(review_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """``{review id: {category id: value}}`` for ``review_ids`` (one query, none if empty)."""
    ids = sorted(set(review_ids))
    values: dict[int, dict[int, int]] = defaultdict(dict)
    if not ids:
        return values
    for review_id, category_id, value in db.session.execute(
        select(ReviewScore.review_id, ReviewScore.category_id, ReviewScore.value).where(
            ReviewScore.review_id.in_(ids)
        )
    ):
        values[review_id][category_id] = value
    return values


def visible_submission_ids(event_id: int, reviewer_id: int) -> Select[Any]:
    """A subquery-ready select of the submission ids ``reviewer_id`` may see in the event."""
    pairs = visible_pairs(event_id, reviewer_id=reviewer_id).subquery()
    return select(pairs.c.submission_id)


@dataclass(frozen=True)
class SpeakerView:
    """What a reviewer may learn about a speaker when review is not anonymised."""

    name: str
    biography: str


@dataclass(frozen=True)
class ReviewItem:
    """A submission as a reviewer sees it, with the reviewer's own review (if any).

    Holds no e-mail or avatar ever; ``speakers`` is empty and ``notes`` is ``""`` when
    speaker names are hidden from reviewers (see
    :func:`podium.review.permissions.speaker_names_visible`). ``duration_minutes`` is whole
    minutes. ``my_score`` is the total of the reviewer's review (see
    :func:`podium.review.scoring.review_total`), ``my_scores`` its values by category id.
    """

    id: int
    title: str
    subtitle: str
    abstract: str
    description: str
    notes: str
    track: str
    session_type: str
    duration_minutes: int
    language: str
    audience_level: str
    my_score: float | int | None
    my_comment: str
    speakers: tuple[SpeakerView, ...] = field(default=())
    track_id: int | None = None
    my_scores: Mapping[int, int] = field(default_factory=dict)
    reviewed: bool = False
    # Answers to custom questions that reviewers may read (questions.permissions).
    answers: tuple[AnswerView, ...] = field(default=())

    def as_export(self) -> dict[str, Any]:
        """This item as a flat JSON-ready dict (speakers as a list of names and bios)."""
        return {
            "id": self.id,
            "title": self.title,
            "subtitle": self.subtitle,
            "abstract": self.abstract,
            "description": self.description,
            "notes": self.notes,
            "track": self.track,
            "session_type": self.session_type,
            "duration_minutes": self.duration_minutes,
            "language": self.language,
            "audience_level": self.audience_level,
            "my_score": self.my_score,
            "my_scores": {str(k): v for k, v in sorted(self.my_scores.items())},
            "my_comment": self.my_comment,
            "speakers": [{"name": s.name, "biography": s.biography} for s in self.speakers],
            "answers": [
                {"question": a.label, "speaker": a.speaker, "answer": a.value} for a in self.answers
            ],
        }


def reviewer_items(
    event: Event,
    reviewer_id: int,
    *,
    show_speakers: bool | None = None,
    submission_id: int | None = None,
) -> list[ReviewItem]:
    """The submissions ``reviewer_id`` may review in ``event`` as projections (at most 7 queries).

    ``show_speakers`` defaults to :func:`podium.review.permissions.speaker_names_visible`
    for the event now (one more query): without it no speaker name, biography or note is
    even selected. Pass
    ``submission_id`` to fetch one; an empty list then means "not visible" (answer 404).
    """
    visible = visible_submission_ids(event.id, reviewer_id)
    s = Submission
    stmt = (
        select(
            s.id,
            s.title,
            s.subtitle,
            s.abstract,
            s.description,
            s.notes,
            Track.name.label("track"),
            SessionType.name.label("session_type"),
            s.duration_minutes,
            s.language,
            s.audience_level,
            s.track_id,
            Review.id.label("review_id"),
            Review.comment,
        )
        .outerjoin(Track, Track.id == s.track_id)
        .outerjoin(SessionType, SessionType.id == s.session_type_id)
        .outerjoin(Review, and_(Review.submission_id == s.id, Review.reviewer_id == reviewer_id))
        .where(s.id.in_(visible))
        .order_by(s.title, s.id)
    )
    if submission_id is not None:
        stmt = stmt.where(s.id == submission_id)
    rows = db.session.execute(stmt).all()
    if not rows:
        return []
    if show_speakers is None:
        # Imported here: permissions builds on this module (current_phase).
        from podium.review.permissions import speaker_names_visible

        show_speakers = speaker_names_visible(event)
    categories = categories_of(event)
    lo, hi = event.score_min, event.score_max
    values = review_values(row.review_id for row in rows if row.review_id is not None)
    speakers: dict[int, list[SpeakerView]] = defaultdict(list)
    if show_speakers:
        ids = [row.id for row in rows]
        for sub_id, name, bio in db.session.execute(
            select(SubmissionSpeaker.submission_id, SpeakerProfile.name, SpeakerProfile.biography)
            .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
            .where(SubmissionSpeaker.submission_id.in_(ids))
            .order_by(SubmissionSpeaker.submission_id, SubmissionSpeaker.position)
        ):
            speakers[sub_id].append(SpeakerView(name=name, biography=bio or ""))
    answers = _reviewer_answers(event, [row.id for row in rows], show_speakers=show_speakers)
    return [
        ReviewItem(
            id=row.id,
            title=row.title,
            subtitle=row.subtitle or "",
            abstract=row.abstract or "",
            description=row.description or "",
            notes=(row.notes or "") if show_speakers else "",
            track=row.track or "",
            session_type=row.session_type or "",
            duration_minutes=row.duration_minutes,
            language=row.language or "",
            audience_level=row.audience_level or "",
            my_score=review_total(values.get(row.review_id, {}), categories, lo, hi)
            if row.review_id is not None
            else None,
            my_comment=row.comment or "",
            speakers=tuple(speakers.get(row.id, ())),
            track_id=row.track_id,
            my_scores=values.get(row.review_id, {}),
            reviewed=row.review_id is not None,
            answers=answers.get(row.id, ()),
        )
        for row in rows
    ]


def _reviewer_answers(
    event: Event, submission_ids: list[int], *, show_speakers: bool
) -> dict[int, tuple[AnswerView, ...]]:
    """Answers reviewers may read, by submission (at most 4 queries): archived questions are
    no longer asked, and :func:`podium.questions.permissions.reviewer_may_see` decides the rest
    (``show_speakers``: whether speaker names are visible now, see
    :func:`podium.review.permissions.speaker_names_visible`)."""
    found = answers_by_submission(event.id, submission_ids)
    return {
        sub_id: tuple(
            a
            for a in views
            if not a.archived and reviewer_may_see(a, event, speaker_names_visible=show_speakers)
        )
        for sub_id, views in found.items()
    }


def is_visible_to(event_id: int, reviewer_id: int, submission_id: int) -> bool:
    """True when ``reviewer_id`` may see and score ``submission_id`` (one query)."""
    visible = visible_submission_ids(event_id, reviewer_id)
    stmt = select(exists().where(Submission.id == submission_id, Submission.id.in_(visible)))
    return bool(db.session.scalar(stmt))


# --- organizer side -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewEntry:
    """One review as organizers read it: who, the score, the comment and when.

    ``reviewer`` is the account's name (its e-mail when the name is empty); ``updated_at`` is
    the aware UTC instant of the last change (equal to ``created_at`` when never edited).
    ``score`` is the review's total on the event's reference scale (see
    :func:`podium.review.scoring.review_total`; an ``int`` when whole), ``scores`` its
    values by category id.
    """

    submission_id: int
    reviewer_id: int
    reviewer: str
    score: float | int
    comment: str
    created_at: datetime
    updated_at: datetime
    scores: Mapping[int, int] = field(default_factory=dict)


def _review_entries(
    where: Any, event: Event, categories: Sequence[CategoryView]
) -> list[ReviewEntry]:
    """Reviews matching ``where`` with their totals (two queries)."""
    stmt = (
        select(
            Review.id,
            Review.submission_id,
            Review.reviewer_id,
            User.name,
            User.email,
            Review.comment,
            Review.created_at,
            Review.updated_at,
        )
        .join(User, User.id == Review.reviewer_id)
        .join(Submission, Submission.id == Review.submission_id)
        .where(where)
        .order_by(Review.submission_id, func.lower(User.name), User.email, Review.id)
    )
    rows = db.session.execute(stmt).all()
    values = review_values(row.id for row in rows)
    entries = []
    for row in rows:
        total = review_total(values[row.id], categories, event.score_min, event.score_max)
        entries.append(
            ReviewEntry(
                submission_id=row.submission_id,
                reviewer_id=row.reviewer_id,
                reviewer=row.name or row.email,
                # A review without any value (all its categories deleted) counts as the
                # lowest score rather than vanishing from the figures.
                score=total if total is not None else event.score_min,
                comment=row.comment or "",
                created_at=row.created_at,
                updated_at=row.updated_at,
                scores=values[row.id],
            )
        )
    return entries


def submission_reviews(submission_id: int, event: Event | None = None) -> list[ReviewEntry]:
    """Every review of one submission with totals, by reviewer name (three or four queries).

    For organizers, or for reviewers while the review phase lets them see others' reviews.
    ``event`` is the submission's event (looked up when not given).
    """
    if event is None:
        event = db.session.scalar(
            select(Event)
            .join(Submission, Submission.event_id == Event.id)
            .where(Submission.id == submission_id)
        )
        if event is None:
            return []
    return _review_entries(Review.submission_id == submission_id, event, categories_of(event))


@dataclass
class RankingRow:
    """One submission's review figures for organizers.

    ``mean``/``median``/``stddev`` (population) and ``spread`` (max - min) are ``None``
    without reviews; ``missing`` names the assigned reviewers who have not scored it yet;
    ``reviews`` holds every review (reviewer, score, comment, time) by reviewer name.
    ``scores`` are the reviews' totals (see :func:`podium.review.scoring.review_total`);
    ``category_means`` the mean value per category id, on that category's own scale.
    """

    id: int
    title: str
    state: str
    pending_state: str | None
    track: str
    track_id: int | None
    speakers: list[str]
    scores: list[float | int]
    missing: list[str]
    reviews: list[ReviewEntry] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    spread: float | int | None = None
    stddev: float | None = None
    category_means: dict[int, float] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Number of reviews."""
        return len(self.scores)


SORT_KEYS = ("mean", "median", "count", "spread", "stddev", "missing", "title", "id", "state")
CATEGORY_SORT = re.compile(r"cat(\d{1,9})")
"""Sorting by one category's mean: ``cat<category id>``."""


@dataclass(frozen=True)
class RankingFilters:
    """Filters and order of the ranking, parsed from query parameters.

    ``sort`` is one of :data:`SORT_KEYS` or ``cat<id>`` (:data:`CATEGORY_SORT`);
    ``descending`` flips it; ``track_id``/``state`` restrict; ``q`` searches titles
    (case-insensitive); ``missing_only`` keeps submissions with assigned reviewers still
    to score; ``min_reviews`` keeps those with that many reviews.
    """

    sort: str = "mean"
    descending: bool = True
    track_id: int | None = None
    state: str | None = None
    q: str = ""
    missing_only: bool = False
    min_reviews: int = 0

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> RankingFilters:
        """Parse query parameters; unknown or malformed values fall back to the defaults."""
        sort = args.get("sort", "mean")
        if sort not in SORT_KEYS and not CATEGORY_SORT.fullmatch(sort):
            sort = "mean"
        track = args.get("track", "")
        state = args.get("state", "")
        min_reviews = args.get("min_reviews", "")
        return cls(
            sort=sort,
            descending=args.get("dir", "desc" if sort != "title" else "asc") != "asc",
            track_id=parse_id(track),
            state=state if state in REVIEWABLE_STATES else None,
            q=args.get("q", "").strip()[:200],
            missing_only=args.get("missing") == "1",
            min_reviews=parse_id(min_reviews) or 0,
        )


def _sort_value(row: RankingRow, key: str) -> Any:
    if key == "count":
        return row.count
    if key == "missing":
        return len(row.missing)
    if key == "title":
        return row.title.casefold()
    if match := CATEGORY_SORT.fullmatch(key):
        return row.category_means.get(int(match.group(1)))
    return getattr(row, key)


def ranking(event: Event, filters: RankingFilters | None = None) -> list[RankingRow]:
    """Every reviewable submission of ``event`` with its figures, filtered and sorted.

    Runs seven queries whatever the number of submissions, reviews or reviewers. Rows without
    a value for the sort key (e.g. no reviews yet for ``mean``) come last in either direction.
    """
    filters = filters or RankingFilters()
    s = Submission
    stmt = (
        select(s.id, s.title, s.state, s.pending_state, s.track_id, Track.name.label("track"))
        .outerjoin(Track, Track.id == s.track_id)
        .where(s.event_id == event.id, s.state.in_(REVIEWABLE_STATES))
    )
    if filters.track_id is not None:
        stmt = stmt.where(s.track_id == filters.track_id)
    if filters.state:
        stmt = stmt.where(s.state == filters.state)
    if filters.q:
        stmt = stmt.where(func.lower(s.title).contains(filters.q.lower(), autoescape=True))
    rows = {
        r.id: RankingRow(
            id=r.id,
            title=r.title,
            state=r.state,
            pending_state=r.pending_state,
            track=r.track or "",
            track_id=r.track_id,
            speakers=[],
            scores=[],
            missing=[],
        )
        for r in db.session.execute(stmt)
    }
    reviewed: set[tuple[int, int]] = set()
    for entry in _review_entries(s.event_id == event.id, event, categories_of(event)):
        reviewed.add((entry.reviewer_id, entry.submission_id))
        if entry.submission_id in rows:
            rows[entry.submission_id].scores.append(entry.score)
            rows[entry.submission_id].reviews.append(entry)
    pairs = db.session.execute(visible_pairs(event.id)).all()
    names = reviewer_names(event.id)
    for reviewer_id, sub_id in pairs:
        if sub_id in rows and (reviewer_id, sub_id) not in reviewed:
            rows[sub_id].missing.append(names.get(reviewer_id, f"#{reviewer_id}"))
    for sub_id, name in db.session.execute(
        select(SubmissionSpeaker.submission_id, SpeakerProfile.name)
        .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
        .join(s, s.id == SubmissionSpeaker.submission_id)
        .where(s.event_id == event.id)
        .order_by(SubmissionSpeaker.submission_id, SubmissionSpeaker.position)
    ):
        if sub_id in rows:
            rows[sub_id].speakers.append(name)
    result = []
    for row in rows.values():
        _fill_figures(row)
        row.missing.sort(key=str.casefold)
        if filters.missing_only and not row.missing:
            continue
        if row.count < filters.min_reviews:
            continue
        result.append(row)
    return _sorted(result, filters)


def review_totals(event: Event) -> dict[int, tuple[int, float]]:
    """Submission id -> (number of reviews, mean total rounded to 2 places) for ``event``.

    Totals are those of the ranking (weighted categories mapped onto the event's scale, see
    :func:`podium.review.scoring.review_total`); submissions without reviews are absent.
    Three queries whatever the number of reviews.
    """
    totals: dict[int, list[float | int]] = defaultdict(list)
    for entry in _review_entries(Submission.event_id == event.id, event, categories_of(event)):
        totals[entry.submission_id].append(entry.score)
    return {
        sub_id: (len(values), round(statistics.fmean(values), 2))
        for sub_id, values in totals.items()
    }


def ranking_reviewers(rows: Sequence[RankingRow]) -> list[tuple[int, str]]:
    """``(reviewer id, name)`` of everyone who reviewed one of ``rows``, by name then id.

    The columns of the per-reviewer detail (page and CSV); no query.
    """
    seen = {e.reviewer_id: e.reviewer for row in rows for e in row.reviews}
    return sorted(seen.items(), key=lambda p: (p[1].casefold(), p[0]))


def _fill_figures(row: RankingRow) -> None:
    if not row.scores:
        return
    row.mean = round(statistics.fmean(row.scores), 2)
    row.median = float(statistics.median(row.scores))
    spread = max(row.scores) - min(row.scores)
    row.spread = spread if isinstance(spread, int) else round(spread, 2)
    row.stddev = round(statistics.pstdev(row.scores), 2)
    by_category: dict[int, list[int]] = defaultdict(list)
    for entry in row.reviews:
        for category_id, value in entry.scores.items():
            by_category[category_id].append(value)
    row.category_means = {
        cid: round(statistics.fmean(values), 2) for cid, values in by_category.items()
    }


def _sorted(rows: list[RankingRow], filters: RankingFilters) -> list[RankingRow]:
    # Ties fall back to the id so the order is stable between page loads.
    rows.sort(key=lambda r: r.id)
    present = [r for r in rows if _sort_value(r, filters.sort) is not None]
    absent = [r for r in rows if _sort_value(r, filters.sort) is None]
    present.sort(key=lambda r: _sort_value(r, filters.sort), reverse=filters.descending)
    return present + absent


def reviewer_names(event_id: int) -> dict[int, str]:
    """Names (or e-mails when empty) of the event's reviewers, by user id (one query)."""
    stmt = (
        select(User.id, User.name, User.email)
        .join(EventMembership, EventMembership.user_id == User.id)
        .where(EventMembership.event_id == event_id)
        .where(EventMembership.role == TeamRole.REVIEWER.value)
    )
    return {uid: (name or email) for uid, name, email in db.session.execute(stmt)}


@dataclass(frozen=True)
class AssignmentView:
    """An assignment as organizers see it: who, and what it covers in words."""

    id: int
    reviewer: str
    scope: str


def assignments(event_id: int) -> list[AssignmentView]:
    """The event's reviewer assignments, by reviewer then scope (one query)."""
    a = ReviewerAssignment
    stmt = (
        select(a.id, User.name, User.email, Track.name.label("track"), Submission.title)
        .join(User, User.id == a.reviewer_id)
        .outerjoin(Track, Track.id == a.track_id)
        .outerjoin(Submission, Submission.id == a.submission_id)
        .where(a.event_id == event_id)
        .order_by(User.name, User.email, a.id)
    )
    views = []
    for row in db.session.execute(stmt):
        if row.title is not None:
            scope = _("submission: %(title)s", title=row.title)
        elif row.track is not None:
            scope = _("track: %(track)s", track=row.track)
        else:
            scope = _("all submissions")
        views.append(AssignmentView(id=row.id, reviewer=row.name or row.email, scope=scope))
    return views


def held_decision_mails(event_id: int) -> list[OutboxMail]:
    """Decision mails of the event still held for organizers to check (one query)."""
    return list(
        db.session.scalars(
            select(OutboxMail)
            .where(OutboxMail.event_id == event_id)
            .where(OutboxMail.kind == DECISION_MAIL_KIND)
            .where(OutboxMail.state == "held")
            .order_by(OutboxMail.id)
        )
    )


def decision_templates(event_id: int) -> dict[str, DecisionMailTemplate]:
    """The event's stored decision mail templates in its default language, by kind (missing
    kinds use the defaults; texts in other languages are edited on the mail texts page)."""
    return {
        t.kind: t
        for t in db.session.scalars(
            select(DecisionMailTemplate)
            .join(Event, Event.id == DecisionMailTemplate.event_id)
            .where(
                DecisionMailTemplate.event_id == event_id,
                DecisionMailTemplate.language == Event.default_language,
            )
        )
    }


def submission_choices(event_id: int) -> Sequence[tuple[int, str]]:
    """``(id, title)`` of the event's reviewable submissions, by title (one query)."""
    stmt = (
        select(Submission.id, Submission.title)
        .where(Submission.event_id == event_id, Submission.state.in_(REVIEWABLE_STATES))
        .order_by(Submission.title)
    )
    return [(i, t) for i, t in db.session.execute(stmt)]


DECIDED_STATES = frozenset({SubmissionState.ACCEPTED.value, SubmissionState.REJECTED.value})
"""States a released decision leads to; only these can be hidden from speakers."""


def unannounced_decisions(submission_ids: Iterable[int]) -> set[int]:
    """Those of ``submission_ids`` whose released decision speakers may not see yet (1 query).

    A decision is released but unannounced while its mails are held (see
    ``Decision.announced_at``); speaker-facing pages show such a submission as still under
    review (``submitted``) and confirmation links do not work yet.
    """
    ids = sorted(set(submission_ids))
    if not ids:
        return set()  # no query: callers pass only submissions in DECIDED_STATES
    return set(
        db.session.scalars(
            select(Decision.submission_id)
            .join(Submission, Submission.id == Decision.submission_id)
            .where(Decision.submission_id.in_(ids), Decision.decision == Submission.state)
            .where(Decision.released_at.is_not(None), Decision.announced_at.is_(None))
        )
    )


def unannounced_count(event_id: int) -> int:
    """How many submissions of the event have a released decision speakers can't see yet."""
    stmt = (
        select(func.count(func.distinct(Decision.submission_id)))
        .join(Submission, Submission.id == Decision.submission_id)
        .where(Decision.event_id == event_id, Decision.decision == Submission.state)
        .where(Decision.released_at.is_not(None), Decision.announced_at.is_(None))
    )
    return int(db.session.scalar(stmt) or 0)


def speaker_state(state: str, hidden: bool) -> str:
    """The state a speaker sees: ``submitted`` while an accept/reject is not announced."""
    if hidden and state in DECIDED_STATES:
        return SubmissionState.SUBMITTED.value
    return state


def is_speaker_of(user_id: int, submission_id: int) -> bool:
    """True when ``user_id`` owns a speaker profile linked to ``submission_id`` (one query)."""
    stmt = select(
        exists()
        .where(SubmissionSpeaker.submission_id == submission_id)
        .where(SubmissionSpeaker.speaker_id == SpeakerProfile.id)
        .where(SpeakerProfile.user_id == user_id)
    )
    return bool(db.session.scalar(stmt))


def event_submission(event_id: int, submission_id: int) -> Submission | None:
    """The submission with ``submission_id`` if it belongs to ``event_id`` (one query)."""
    return db.session.scalar(
        select(Submission).where(Submission.id == submission_id, Submission.event_id == event_id)
    )


# --- bidding and automatic assignment ----------------------------------------------------------

BIDDABLE_STATES: frozenset[str] = frozenset({SubmissionState.SUBMITTED.value})
"""Proposals reviewers bid on and the automatic assignment covers: those awaiting a decision."""


def bidding_shows_speakers(event: Event) -> bool:
    """True when the bidding page may name speakers: the review phase's rule
    (:func:`podium.review.permissions.speaker_names_visible`), so anonymised review and a
    phase that hides names both hide them here too."""
    # Imported here: podium.review.permissions imports this module.
    from podium.review.permissions import speaker_names_visible

    return speaker_names_visible(event)


@dataclass(frozen=True)
class BidFilters:
    """Filters of the bidding page, parsed from query parameters: a title search ``q``, a
    ``track_id``, and ``unbid_only`` (only proposals the reviewer has not bid on yet)."""

    q: str = ""
    track_id: int | None = None
    unbid_only: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> BidFilters:
        """Parse query parameters; malformed values fall back to "no filter"."""
        return cls(
            q=args.get("q", "").strip()[:200],
            track_id=parse_id(args.get("track", "")),
            unbid_only=args.get("unbid") == "1",
        )

    @property
    def active(self) -> bool:
        """True when any filter narrows the list."""
        return bool(self.q or self.track_id or self.unbid_only)


@dataclass(frozen=True)
class BidItem:
    """A proposal on the bidding page: what anonymised review allows, and the reviewer's bid.

    ``speakers`` is empty when :func:`bidding_shows_speakers` is false; ``bid`` is a
    :class:`~podium.review.enums.BidPreference` value or ``None``.
    """

    id: int
    title: str
    abstract: str
    track: str
    session_type: str
    bid: str | None
    speakers: tuple[str, ...] = ()


def _speaks_in(user_id: Any) -> Any:
    return (
        exists()
        .where(SubmissionSpeaker.submission_id == Submission.id)
        .where(SubmissionSpeaker.speaker_id == SpeakerProfile.id)
        .where(SpeakerProfile.user_id == user_id)
    )


def biddable_ids(event_id: int, reviewer_id: int) -> Select[Any]:
    """Select the ids of proposals ``reviewer_id`` may bid on: awaiting a decision, not their
    own, no declared conflict."""
    declared = (
        exists()
        .where(ReviewConflict.submission_id == Submission.id)
        .where(ReviewConflict.reviewer_id == reviewer_id)
    )
    return select(Submission.id).where(
        Submission.event_id == event_id,
        Submission.state.in_(BIDDABLE_STATES),
        ~_speaks_in(reviewer_id),
        ~declared,
    )


def bidding_items(
    event: Event, reviewer_id: int, filters: BidFilters | None = None
) -> list[BidItem]:
    """The proposals ``reviewer_id`` may bid on, by title, with their bids (2 queries, 1 when
    speakers are hidden or nothing matches)."""
    filters = filters or BidFilters()
    s = Submission
    stmt = (
        select(
            s.id,
            s.title,
            s.abstract,
            Track.name.label("track"),
            SessionType.name.label("session_type"),
            ReviewBid.preference,
        )
        .outerjoin(Track, Track.id == s.track_id)
        .outerjoin(SessionType, SessionType.id == s.session_type_id)
        .outerjoin(
            ReviewBid, and_(ReviewBid.submission_id == s.id, ReviewBid.reviewer_id == reviewer_id)
        )
        .where(s.id.in_(biddable_ids(event.id, reviewer_id)))
        .order_by(s.title, s.id)
    )
    if filters.q:
        stmt = stmt.where(func.lower(s.title).contains(filters.q.lower(), autoescape=True))
    if filters.track_id is not None:
        stmt = stmt.where(s.track_id == filters.track_id)
    if filters.unbid_only:
        stmt = stmt.where(ReviewBid.id.is_(None))
    rows = db.session.execute(stmt).all()
    names: dict[int, list[str]] = defaultdict(list)
    if rows and bidding_shows_speakers(event):
        for sub_id, name in db.session.execute(
            select(SubmissionSpeaker.submission_id, SpeakerProfile.name)
            .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
            .where(SubmissionSpeaker.submission_id.in_([row.id for row in rows]))
            .order_by(SubmissionSpeaker.submission_id, SubmissionSpeaker.position)
        ):
            names[sub_id].append(name)
    return [
        BidItem(
            id=row.id,
            title=row.title,
            abstract=row.abstract or "",
            track=row.track or "",
            session_type=row.session_type or "",
            bid=row.preference,
            speakers=tuple(names.get(row.id, ())),
        )
        for row in rows
    ]


def bid_counts(event_id: int) -> dict[int, Counter[str]]:
    """Every reviewer's bids in the event counted by preference, by reviewer id (one query)."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    stmt = (
        select(ReviewBid.reviewer_id, ReviewBid.preference, func.count())
        .where(ReviewBid.event_id == event_id)
        .group_by(ReviewBid.reviewer_id, ReviewBid.preference)
    )
    for reviewer_id, preference, count in db.session.execute(stmt):
        counts[reviewer_id][preference] = count
    return counts


def assignment_input(event: Event, *, per_proposal: int, cap: int | None) -> AssignmentInput:
    """Everything :func:`podium.review.assignment.assign` needs for ``event`` (5 queries).

    Proposals are those in :data:`BIDDABLE_STATES`; reviewers hold the reviewer role.
    Conflicts are the declared ones and every reviewer/proposal pair where the reviewer is a
    speaker; ``existing`` are the pairs current assignments cover (:func:`visible_pairs`).
    """
    proposals = list(
        db.session.scalars(
            select(Submission.id).where(
                Submission.event_id == event.id, Submission.state.in_(BIDDABLE_STATES)
            )
        )
    )
    reviewers = sorted(reviewer_names(event.id))
    bids = {
        (r, p): pref
        for r, p, pref in db.session.execute(
            select(ReviewBid.reviewer_id, ReviewBid.submission_id, ReviewBid.preference).where(
                ReviewBid.event_id == event.id
            )
        )
    }
    conflicts = {
        (r, p)
        for r, p in db.session.execute(
            select(ReviewConflict.reviewer_id, ReviewConflict.submission_id)
            .join(Submission, Submission.id == ReviewConflict.submission_id)
            .where(Submission.event_id == event.id)
        )
    }
    conflicts |= {
        (r, p)
        for r, p in db.session.execute(
            select(SpeakerProfile.user_id, SubmissionSpeaker.submission_id)
            .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
            .join(Submission, Submission.id == SubmissionSpeaker.submission_id)
            .where(Submission.event_id == event.id, SpeakerProfile.user_id.is_not(None))
        )
    }
    existing = {(r, p) for r, p in db.session.execute(visible_pairs(event.id))}
    return AssignmentInput(
        proposals=proposals,
        reviewers=reviewers,
        per_proposal=per_proposal,
        cap=cap,
        bids=bids,
        conflicts=conflicts,
        existing=existing,
    )


def proposal_titles(event_id: int) -> dict[int, str]:
    """Titles of the event's proposals awaiting a decision, by id (one query)."""
    return {
        i: t
        for i, t in db.session.execute(
            select(Submission.id, Submission.title).where(
                Submission.event_id == event_id, Submission.state.in_(BIDDABLE_STATES)
            )
        )
    }
