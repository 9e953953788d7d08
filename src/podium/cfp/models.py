"""Submissions (proposals), their speakers and the record of every state change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from podium.db import utcnow
from podium.extensions import db


class SpeakerProfile(db.Model):
    """How a speaker appears in the program: name, biography (Markdown), avatar.

    A profile belongs to a user account when the speaker signed up (``user_id``); speakers that
    came with an imported schedule have no account and are recognised on re-import by
    ``import_key`` (the source file's person guid or id).
    """

    __tablename__ = "speaker_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    import_key: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    biography: Mapped[str] = mapped_column(Text, default="")
    avatar_filename: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("event_id", "import_key"),)


class Submission(db.Model):
    """A proposal for a session; becomes a session in the program once accepted and scheduled.

    ``state`` is a :class:`podium.cfp.enums.SubmissionState` value and changes only through
    ``podium.cfp.services.change_state``. ``pending_state`` holds an organizer's decision
    (accepted/rejected) until decisions are released. ``guid`` is stable across exports and
    re-imports. ``duration_minutes`` defaults from the session type.

    ``links`` holds the session's links and attachments (slides, video, chat...) in the order
    the program shows them: a list of ``{"kind": "link" | "attachment", "title": str,
    "url": str}`` with absolute http(s) URLs only (``podium.exchange`` fills and checks it).
    """

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    guid: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str] = mapped_column(String(300), default="")
    abstract: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    session_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_types.id", ondelete="SET NULL")
    )
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id", ondelete="SET NULL"))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(20), default="en")
    audience_level: Mapped[str] = mapped_column(String(20), default="all")
    do_not_record: Mapped[bool] = mapped_column(Boolean, default=False)
    # A JSON list on the row rather than a child table: it is only ever read and written
    # whole, together with its submission, so it costs no extra query anywhere.
    links: Mapped[list[dict[str, str]]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    # Facts an imported schedule gave that have no column (logo, feedback and origin URLs,
    # recording licence, stream opt-out), kept so the exports say them again.
    exchange_extra: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )
    # The session's id and slug in the schedule file it was imported from: schedule apps key
    # favourites and alarms on them, so exports keep them (NULL: created in Podium).
    schedule_id: Mapped[int | None] = mapped_column(Integer)
    schedule_slug: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    pending_state: Mapped[str | None] = mapped_column(String(20))
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    speakers: Mapped[list[SubmissionSpeaker]] = relationship(
        back_populates="submission",
        order_by="SubmissionSpeaker.position",
        cascade="all, delete-orphan",
    )
    session_type = relationship("SessionType")
    track = relationship("Track")
    event = relationship("Event")


class SubmissionSpeaker(db.Model):
    """Links a speaker profile to a submission; ``position`` orders the speakers' names."""

    __tablename__ = "submission_speakers"
    __table_args__ = (UniqueConstraint("submission_id", "speaker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speaker_profiles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_submitter: Mapped[bool] = mapped_column(Boolean, default=False)

    submission: Mapped[Submission] = relationship(back_populates="speakers")
    speaker: Mapped[SpeakerProfile] = relationship()


class CoSpeakerInvitation(db.Model):
    """An e-mailed invitation to co-present a submission; the invitee must accept it.

    ``name`` is what the submitter typed; it never overwrites an existing account's name.
    An invitation is open while both ``accepted_at`` and ``canceled_at`` are empty; a canceled
    row is kept (not deleted) so it still counts towards the inviter's sending limit.
    """

    __tablename__ = "co_speaker_invitations"
    # The sending limit counts an inviter's invitations of the last hours.
    __table_args__ = (
        Index(None, "invited_by_id", "created_at"),
        # One open invitation per address and submission, even when two saves race.
        Index(
            "uq_co_speaker_invitations_open",
            "submission_id",
            "email",
            unique=True,
            sqlite_where=text("accepted_at IS NULL AND canceled_at IS NULL"),
            postgresql_where=text("accepted_at IS NULL AND canceled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    token: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    canceled_at: Mapped[datetime | None]


class SubmissionStateChange(db.Model):
    """Audit record of one state change: from, to, who (``actor_id``, None for the system), when."""

    __tablename__ = "submission_state_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Who made the change, loaded with it (the history lists names; no schema change).
    actor = relationship("User", lazy="joined", viewonly=True)
