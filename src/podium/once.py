"""Double submits create one object: each form carries a one-time token, stored once.

A double click, a reload that re-posts, or a retry after a slow answer sends the same form
twice, often at the same moment on two workers. Forms that create something carry a random
``form_token`` (see :func:`new_form_token`, rendered as a hidden field); the service claims it
with :func:`claim` before creating anything, in the same transaction. The token column is
unique, so a second request with the same token waits for the first to commit (PostgreSQL row
lock, SQLite's write lock) and then finds its claim, and :func:`claim` hands back the id the
first request created: both requests end on the same object.

A request without a token (API clients, older pages) is not de-duplicated.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from podium.db import utcnow
from podium.extensions import db

# What token_urlsafe(24) makes, with room to spare; anything else is ignored, not stored.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class FormSubmission(db.Model):
    """One form token used once: what it created (``kind`` and ``object_id``) and when (UTC).

    ``object_id`` is set in the transaction that created the object, so a committed row
    always has it.
    """

    __tablename__ = "form_submissions"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def new_form_token() -> str:
    """A fresh random token for one rendering of a form (URL-safe, 32 characters)."""
    return secrets.token_urlsafe(24)


def usable_token(value: object) -> str | None:
    """``value`` if it looks like a token from :func:`new_form_token`, else ``None``."""
    if isinstance(value, str) and _TOKEN_SHAPE.fullmatch(value):
        return value
    return None


class Claim:
    """A claimed token: call :meth:`done` with the created object's id before committing."""

    def __init__(self, row: FormSubmission | None) -> None:
        self._row = row

    def done(self, object_id: int) -> None:
        """Record what the token created (no-op without a token)."""
        if self._row is not None:
            self._row.object_id = object_id


def claim(*, token: str | None, kind: str, user_id: int | None) -> Claim | int:
    """Claim ``token`` for creating one ``kind`` of object, before anything else is written.

    Must be the first write of the service's transaction: on a duplicate the transaction is
    rolled back (nothing of the caller's is lost because nothing was written yet).

    Returns:
        A :class:`Claim` when this request goes on to create the object (also when ``token``
        is ``None`` or malformed); or the ``object_id`` an earlier request with the same token
        created, when it was for the same ``kind`` and user. A token already used for another
        kind of form or by another user gives a :class:`Claim` that records nothing.
    """
    token = usable_token(token)
    if token is None:
        return Claim(None)
    row = FormSubmission(token=token, kind=kind, user_id=user_id)
    db.session.add(row)
    try:
        # Waits here while another request holds the same token, until it commits.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = db.session.scalar(select(FormSubmission).where(FormSubmission.token == token))
        if earlier is None or earlier.object_id is None:
            return Claim(None)
        if earlier.kind != kind or earlier.user_id != user_id:
            # A token copied into another form, or another user's: no shortcut to their object.
            return Claim(None)
        return earlier.object_id
    return Claim(row)
