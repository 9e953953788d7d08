"""Read-side of review: who may see which submission, reviewer projections, ranking figures.

:func:`visible_pairs` is THE visibility rule. Every reviewer-facing page, export and API
response selects submissions through it, so a guessed URL for a submission a reviewer is not
assigned to (or speaks in, or declared a conflict with) finds nothing and answers 404.

Reviewer-facing data is built as :class:`ReviewItem` projections from explicitly selected
columns: speaker e-mails and avatars are never selected, and with anonymised review neither are
speaker names, biographies nor the submission's notes.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select

from podium.accounts.models import User
from podium.cfp.enums import SubmissionState
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.enums import TeamRole
from podium.events.models import Event, EventMembership, SessionType, Track
from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.questions.permissions import reviewer_may_see
from podium.questions.queries import AnswerView, answers_by_submission
from podium.review.enums import DECISION_MAIL_KIND, REVIEWABLE_STATES
from podium.review.models import (
    Decision,
    DecisionMailTemplate,
    Review,
    ReviewConflict,
    ReviewerAssignment,
)
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

    Holds no e-mail or avatar ever; ``speakers`` is empty and ``notes`` is ``""`` when the
    event's review is anonymised. ``duration_minutes`` is whole minutes.
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
    my_score: int | None
    my_comment: str
    speakers: tuple[SpeakerView, ...] = field(default=())
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
            "my_comment": self.my_comment,
            "speakers": [{"name": s.name, "biography": s.biography} for s in self.speakers],
            "answers": [
                {"question": a.label, "speaker": a.speaker, "answer": a.value} for a in self.answers
            ],
        }


def reviewer_items(
    event: Event, reviewer_id: int, *, submission_id: int | None = None
) -> list[ReviewItem]:
    """The submissions ``reviewer_id`` may review in ``event`` as projections (at most 6 queries).

    Pass ``submission_id`` to fetch one; an empty list then means "not visible" (answer 404).
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
            Review.score,
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
    speakers: dict[int, list[SpeakerView]] = defaultdict(list)
    if not event.anonymised_review:
        ids = [row.id for row in rows]
        for sub_id, name, bio in db.session.execute(
            select(SubmissionSpeaker.submission_id, SpeakerProfile.name, SpeakerProfile.biography)
            .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
            .where(SubmissionSpeaker.submission_id.in_(ids))
            .order_by(SubmissionSpeaker.submission_id, SubmissionSpeaker.position)
        ):
            speakers[sub_id].append(SpeakerView(name=name, biography=bio or ""))
    answers = _reviewer_answers(event, [row.id for row in rows])
    return [
        ReviewItem(
            id=row.id,
            title=row.title,
            subtitle=row.subtitle or "",
            abstract=row.abstract or "",
            description=row.description or "",
            notes="" if event.anonymised_review else (row.notes or ""),
            track=row.track or "",
            session_type=row.session_type or "",
            duration_minutes=row.duration_minutes,
            language=row.language or "",
            audience_level=row.audience_level or "",
            my_score=row.score,
            my_comment=row.comment or "",
            speakers=tuple(speakers.get(row.id, ())),
            answers=answers.get(row.id, ()),
        )
        for row in rows
    ]


def _reviewer_answers(event: Event, submission_ids: list[int]) -> dict[int, tuple[AnswerView, ...]]:
    """Answers reviewers may read, by submission (at most 4 queries): archived questions are
    no longer asked, and :func:`podium.questions.permissions.reviewer_may_see` decides the rest."""
    found = answers_by_submission(event.id, submission_ids)
    return {
        sub_id: tuple(a for a in views if not a.archived and reviewer_may_see(a, event))
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
    Reviews have a single overall score today; a per-category model would add its scores here.
    """

    submission_id: int
    reviewer_id: int
    reviewer: str
    score: int
    comment: str
    created_at: datetime
    updated_at: datetime


def _review_entries(where: Any) -> list[ReviewEntry]:
    stmt = (
        select(
            Review.submission_id,
            Review.reviewer_id,
            User.name,
            User.email,
            Review.score,
            Review.comment,
            Review.created_at,
            Review.updated_at,
        )
        .join(User, User.id == Review.reviewer_id)
        .join(Submission, Submission.id == Review.submission_id)
        .where(where)
        .order_by(Review.submission_id, func.lower(User.name), User.email, Review.id)
    )
    return [
        ReviewEntry(
            submission_id=row.submission_id,
            reviewer_id=row.reviewer_id,
            reviewer=row.name or row.email,
            score=row.score,
            comment=row.comment or "",
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        for row in db.session.execute(stmt)
    ]


def submission_reviews(submission_id: int) -> list[ReviewEntry]:
    """Every review of one submission, by reviewer name (one query). For organizers only."""
    return _review_entries(Review.submission_id == submission_id)


@dataclass
class RankingRow:
    """One submission's review figures for organizers.

    ``mean``/``median``/``stddev`` (population) and ``spread`` (max - min) are ``None``
    without reviews; ``missing`` names the assigned reviewers who have not scored it yet;
    ``reviews`` holds every review (reviewer, score, comment, time) by reviewer name.
    """

    id: int
    title: str
    state: str
    pending_state: str | None
    track: str
    track_id: int | None
    speakers: list[str]
    scores: list[int]
    missing: list[str]
    reviews: list[ReviewEntry] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    spread: int | None = None
    stddev: float | None = None

    @property
    def count(self) -> int:
        """Number of reviews."""
        return len(self.scores)


SORT_KEYS = ("mean", "median", "count", "spread", "stddev", "missing", "title", "id", "state")


@dataclass(frozen=True)
class RankingFilters:
    """Filters and order of the ranking, parsed from query parameters.

    ``sort`` is one of :data:`SORT_KEYS`; ``descending`` flips it; ``track_id``/``state``
    restrict; ``q`` searches titles (case-insensitive); ``missing_only`` keeps submissions
    with assigned reviewers still to score; ``min_reviews`` keeps those with that many reviews.
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
        if sort not in SORT_KEYS:
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
    return getattr(row, key)


def ranking(event: Event, filters: RankingFilters | None = None) -> list[RankingRow]:
    """Every reviewable submission of ``event`` with its figures, filtered and sorted.

    Runs five queries whatever the number of submissions, reviews or reviewers. Rows without
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
    for entry in _review_entries(s.event_id == event.id):
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
    row.spread = max(row.scores) - min(row.scores)
    row.stddev = round(statistics.pstdev(row.scores), 2)


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
            scope = f"submission: {row.title}"
        elif row.track is not None:
            scope = f"track: {row.track}"
        else:
            scope = "all submissions"
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
    """The event's stored decision mail templates by kind (missing kinds use the defaults)."""
    return {
        t.kind: t
        for t in db.session.scalars(
            select(DecisionMailTemplate).where(DecisionMailTemplate.event_id == event_id)
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
