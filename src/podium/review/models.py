"""Reviewer assignments, reviews and their per-category scores, score categories, review
phases and declared conflicts of interest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from podium.db import utcnow
from podium.events.models import Track
from podium.extensions import db


class ReviewerAssignment(db.Model):
    """What a reviewer must review: one submission, one track, or (both None) everything."""

    __tablename__ = "reviewer_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE")
    )
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Review(db.Model):
    """One reviewer's comment for one submission; its scores are :class:`ReviewScore` rows."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("submission_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReviewConflict(db.Model):
    """A conflict of interest a reviewer declared; hides that submission from them."""

    __tablename__ = "review_conflicts"
    __table_args__ = (UniqueConstraint("submission_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(db.Model):
    """An organizer's accept/reject decision on a submission, recorded with who and when.

    The newest unreleased row of a submission mirrors ``Submission.pending_state``; releasing
    decisions stamps ``released_at``/``released_by_id`` (UTC) on every unreleased row, so the
    history of decisions and their release stays visible after the submission's state moved.

    ``announced_at`` (UTC) is when the speakers may see the released decision: when its mail
    was queued for sending, or when the organizer released without mail. Until then speakers
    still see the submission as under review.
    """

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(String(20))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    released_at: Mapped[datetime | None]
    announced_at: Mapped[datetime | None]


class DecisionMailTemplate(db.Model):
    """An event's editable mail text (``kind`` is one of :data:`podium.mail.emails.MAIL_TEXTS`)
    in one ``language`` (the event's default language or one of its content languages).

    ``subject`` and ``body`` are plain text with ``{placeholder}`` fields; see
    :data:`podium.review.emails.PLACEHOLDERS`.
    """

    __tablename__ = "decision_mail_templates"
    __table_args__ = (UniqueConstraint("event_id", "kind", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10), default="en", server_default="en")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReviewBid(db.Model):
    """A reviewer's bid on one submission before assignment: a :class:`BidPreference` value.

    One per reviewer and submission; no row means "no bid". A "conflict" bid keeps the
    automatic assignment away from the pair (it does not hide the submission like a declared
    :class:`ReviewConflict` does). ``updated_at`` is UTC.
    """

    __tablename__ = "review_bids"
    __table_args__ = (UniqueConstraint("reviewer_id", "submission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    preference: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


score_category_tracks = db.Table(
    "score_category_tracks",
    db.Column(
        "category_id",
        ForeignKey("score_categories.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    db.Column("track_id", ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True),
)
"""Which tracks a score category is limited to; no row means it applies to every track."""


class ScoreCategory(db.Model):
    """One thing reviewers score (content, relevance, speaker ...) on its own scale.

    ``score_min``..``score_max`` is the inclusive integer scale; ``labels`` maps a value (as a
    string, JSON keys are strings) to what it means. ``weight`` (1-100) is its share of a
    review's total; see :func:`podium.review.scoring.review_total`. ``tracks`` limits it to
    submissions in those tracks (empty: every submission).
    """

    __tablename__ = "score_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    help_text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    score_min: Mapped[int] = mapped_column(Integer)
    score_max: Mapped[int] = mapped_column(Integer)
    labels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    weight: Mapped[int] = mapped_column(Integer, default=1)

    tracks: Mapped[list[Track]] = relationship(
        secondary=score_category_tracks, order_by="Track.name"
    )


class ReviewScore(db.Model):
    """One review's value in one score category (on that category's scale)."""

    __tablename__ = "review_scores"
    __table_args__ = (UniqueConstraint("review_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("score_categories.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[int] = mapped_column(Integer)


class ReviewPhase(db.Model):
    """A stretch of the review process and what it allows.

    A phase is current while ``starts_at`` <= now < ``ends_at`` (aware UTC; ``None`` is an
    open end), unless an organizer pinned a phase by hand (``is_pinned``, at most one per
    event), which then wins over every date. See :func:`podium.review.phases.current_phase`.
    """

    __tablename__ = "review_phases"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    can_review: Mapped[bool] = mapped_column(Boolean, default=True)
    can_see_other_reviews: Mapped[bool] = mapped_column(Boolean, default=False)
    can_see_speaker_names: Mapped[bool] = mapped_column(Boolean, default=True)
    speakers_can_edit: Mapped[bool] = mapped_column(Boolean, default=True)
