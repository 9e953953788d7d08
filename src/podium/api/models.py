"""API tokens: per-event credentials for scripts and other programs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from podium.db import utcnow
from podium.extensions import db


class ApiToken(db.Model):
    """One API token of one event.

    The token a client sends is ``pdm_<prefix>_<secret>``; only ``prefix`` (to find the row)
    and ``secret_hash`` (SHA-256 hex of the whole token) are stored, so a database leak gives
    no usable token. ``scopes`` is a list of :class:`podium.api.enums.TokenScope` values.
    ``last_used_at`` (UTC) is refreshed at most once a minute; ``revoked_at`` (UTC) set means
    the token no longer works.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
