"""Stars, personal calendar feeds and the widget's allowed origins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from podium.db import utcnow
from podium.extensions import db

GUID_MAX_LENGTH = 200


class AgendaStar(db.Model):
    """A session a user starred in an event.

    Sessions are named by their ``guid`` in the schedule releases (not by slot or submission),
    so a star survives moves and re-imports, and a session a later release drops is recognised
    as canceled.
    """

    __tablename__ = "agenda_stars"
    __table_args__ = (UniqueConstraint("user_id", "event_id", "session_guid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    session_guid: Mapped[str] = mapped_column(String(GUID_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgendaFeed(db.Model):
    """A user's secret iCalendar feed address for one event (at most one at a time).

    Only the SHA-256 of the secret is stored, so a leaked database does not give out working
    feed addresses; regenerating replaces the row, which revokes the old address.
    """

    __tablename__ = "agenda_feeds"
    __table_args__ = (UniqueConstraint("user_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WidgetSettings(db.Model):
    """Which web origins may frame an event's schedule widget.

    ``allowed_origins`` holds normalised origins (``https://example.org``), one per line;
    empty means no site may frame it (``frame-ancestors 'none'``, like every other page).
    """

    __tablename__ = "widget_settings"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    allowed_origins: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
