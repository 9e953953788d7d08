"""Conference editions and what belongs to them: tracks, rooms, session types, team."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from podium.db import utcnow
from podium.extensions import db


class Event(db.Model):
    """One conference edition.

    ``time_zone`` is an IANA name (e.g. ``Europe/Brussels``); ``start_date``/``end_date`` are
    local calendar days in that zone. CfP and review instants are stored in UTC and shown in
    the event's zone. ``day_change_minutes`` is the local time (minutes after midnight) at which
    one conference day ends and the next begins, e.g. 240 for 04:00, so late-night sessions
    belong to the day they started on.
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    day_change_minutes: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    cfp_opens_at: Mapped[datetime | None]
    cfp_closes_at: Mapped[datetime | None]
    # Review settings live on the event because each edition picks its own scale and rules.
    anonymised_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_closes_at: Mapped[datetime | None]
    score_min: Mapped[int] = mapped_column(Integer, default=0)
    score_max: Mapped[int] = mapped_column(Integer, default=3)
    score_labels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # How many reviews each submission should get; the dashboard lists those with fewer.
    reviews_per_submission: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # Facts an imported schedule gave that have no column (logo, venue, city), kept so the
    # exports say them again; see podium.exchange.kept.
    exchange_extra: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )
    # Whether the CfP asks every submitter when they can present (podium.availability).
    availability_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The schedule editor's grid step in minutes (5, 10, 15 or 30): drops and resizes snap to it.
    slot_step_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    # Interface language for visitors whose browser asks for none Podium has, and of e-mails
    # to people who chose none (a code of podium.i18n.locales.LANGUAGES).
    default_language: Mapped[str] = mapped_column(String(10), default="en", server_default="en")
    # Languages sessions may be held in (codes such as "en", "de"; any BCP 47 primary tag);
    # empty: only ``default_language``. Proposals pick one; the program filters by it.
    content_languages: Mapped[list[str]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )

    tracks: Mapped[list[Track]] = relationship(
        back_populates="event", order_by="Track.name", cascade="all, delete-orphan"
    )
    rooms: Mapped[list[Room]] = relationship(
        back_populates="event", order_by="Room.position", cascade="all, delete-orphan"
    )
    session_types: Mapped[list[SessionType]] = relationship(
        back_populates="event", order_by="SessionType.name", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class Track(db.Model):
    """A thematic track of an event; ``color`` is a CSS hex colour like ``#3366cc``."""

    __tablename__ = "tracks"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    color: Mapped[str] = mapped_column(String(7), default="#3b6ea8")

    event: Mapped[Event] = relationship(back_populates="tracks")


class Room(db.Model):
    """A room; ``position`` orders the columns of the schedule grid; ``guid`` is for exports."""

    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    guid: Mapped[str | None] = mapped_column(String(64))

    event: Mapped[Event] = relationship(back_populates="rooms")


class SessionType(db.Model):
    """A kind of session (talk, workshop, lightning talk) with its default length in minutes."""

    __tablename__ = "session_types"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    default_duration_minutes: Mapped[int] = mapped_column(Integer, default=30)

    event: Mapped[Event] = relationship(back_populates="session_types")


class EventMembership(db.Model):
    """A team role of a user in one event: ``organizer`` or ``reviewer`` (see events.enums)."""

    __tablename__ = "event_memberships"
    __table_args__ = (UniqueConstraint("event_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TeamInvitation(db.Model):
    """An e-mailed invitation to join an event's team; accepting it needs an account."""

    __tablename__ = "team_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
