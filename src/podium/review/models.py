"""Reviewer assignments, reviews and declared conflicts of interest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from podium.db import utcnow
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
    """One reviewer's score (on the event's scale) and comment for one submission."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("submission_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
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
    """An event's editable decision mail (``kind`` is ``accept`` or ``reject``).

    ``subject`` and ``body`` are plain text with ``{placeholder}`` fields; see
    :data:`podium.review.emails.PLACEHOLDERS`.
    """

    __tablename__ = "decision_mail_templates"
    __table_args__ = (UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
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
