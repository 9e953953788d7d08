"""One row per range of time a speaker can present at one event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from podium.extensions import db


class SpeakerAvailability(db.Model):
    """A speaker can present at ``event_id`` from ``start_at`` until ``end_at`` (UTC instants).

    The ranges of one speaker and event are kept merged (no two overlap or touch) by
    :func:`podium.availability.services.set_availability`, the only writer. A speaker without
    rows has not said when they can present, which constrains nothing.
    """

    __tablename__ = "speaker_availability"
    __table_args__ = (Index("ix_speaker_availability_event_speaker", "event_id", "speaker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speaker_profiles.id", ondelete="CASCADE"), index=True
    )
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
