"""Slots (what happens where and when) and published schedule releases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from podium.db import utcnow
from podium.extensions import db


class Slot(db.Model):
    """A block in the working schedule: a session (``submission_id``) or a break/other block
    (``title`` set, no submission) in a room from ``start_at`` to ``end_at`` (UTC instants).
    A submission has at most one slot; unscheduled submissions have none.

    ``version`` counts the slot's changes (1 when created); SQLAlchemy bumps it on every
    UPDATE and refuses (``StaleDataError``) an UPDATE or DELETE of a row another request
    changed meanwhile, so two organizers never silently overwrite each other.
    """

    __tablename__ = "slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), unique=True
    )
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20), default="session")
    title: Mapped[str] = mapped_column(String(300), default="")
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    submission = relationship("Submission")
    room = relationship("Room")

    __mapper_args__ = {"version_id_col": version}


class ScheduleRelease(db.Model):
    """A published, numbered, frozen version of an event's schedule.

    ``snapshot`` is ``podium.exchange.schedule_data.ScheduleData.to_dict()`` of the slots at
    publication; public pages and exports render from it, so a release never changes.
    ``changelog`` lists what changed against the previous release
    (``{"new": [...], "moved": [...], "room_changed": [...], "changed": [...],
    "canceled": [...], "blocks": [...]}``; releases published before ``changed`` lack it).
    """

    __tablename__ = "schedule_releases"
    __table_args__ = (UniqueConstraint("event_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(500), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changelog: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
