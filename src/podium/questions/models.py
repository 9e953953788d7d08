"""Custom questions of an event, their options and the answers speakers give."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from podium.db import utcnow
from podium.extensions import db


class Question(db.Model):
    """One question an event asks in its CfP.

    ``kind`` is a :class:`podium.questions.enums.QuestionKind`, ``target`` a
    :class:`~podium.questions.enums.QuestionTarget`. ``session_type_ids`` / ``track_ids`` limit
    the question to proposals of those session types / tracks (empty: asked of all).
    ``min_number`` / ``max_number`` bound NUMBER answers (inclusive; ``None``: unbounded).
    Speakers answer while they may edit the proposal (the CfP is open), organizers at any
    time. ``archived_at`` (aware UTC) is set instead of deleting a question
    that has answers: it is no longer asked, its answers stay readable by organizers.
    """

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(20), default="submission")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    min_number: Mapped[float | None] = mapped_column(Float)
    max_number: Mapped[float | None] = mapped_column(Float)
    session_type_ids: Mapped[list[int]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    track_ids: Mapped[list[int]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    hidden_from_reviewers: Mapped[bool] = mapped_column(Boolean, default=False)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question",
        order_by="QuestionOption.position, QuestionOption.id",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.label!r}>"


class QuestionOption(db.Model):
    """One option of a choice question; ``position`` orders them in the form."""

    __tablename__ = "question_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    question: Mapped[Question] = relationship(back_populates="options")


class Answer(db.Model):
    """A speaker's answer to a question, about a submission or about a speaker profile.

    Exactly one of ``submission_id`` (submission questions) and ``speaker_id`` (speaker
    questions) is set. ``value`` is the answer as shown everywhere (a choice's label, "yes"
    or "no", an ISO date, a number as typed): it stays readable when the question's options
    change or the question is archived. ``option_ids`` are the chosen options' ids (choice
    questions), used to fill the form again.
    """

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("question_id", "submission_id"),
        UniqueConstraint("question_id", "speaker_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("speaker_profiles.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(Text, default="")
    option_ids: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    question: Mapped[Question] = relationship()
