"""User accounts."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from podium.db import utcnow
from podium.extensions import db


class User(UserMixin, db.Model):
    """A person with a login: speaker, reviewer, organizer or site administrator.

    ``email`` is stored lower-cased and is unique. ``password_hash`` is empty for accounts
    that cannot log in yet (e.g. invited but not signed up). ``email_confirmed_at`` is the
    UTC instant the address was confirmed, or ``None``.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    email_confirmed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Changing this invalidates sessions and one-time links issued before (login rotation,
    # password change, used reset links).
    security_stamp: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Interface and e-mail language chosen on the account page or with the language switch
    # (a code of podium.i18n.locales.LANGUAGES); None: the browser's or the event's.
    language: Mapped[str | None] = mapped_column(String(10))

    @property
    def is_active(self) -> bool:  # Flask-Login's name for "may log in"
        return self.is_active_account

    def get_id(self) -> str:
        """Session identifier: id plus security stamp, so a stamp change logs sessions out."""
        return f"{self.id}:{self.security_stamp}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
