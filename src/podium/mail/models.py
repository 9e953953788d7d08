"""The outbox: every mail Podium sends is first a row here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from podium.db import utcnow
from podium.extensions import db


class OutboxMail(db.Model):
    """One outgoing mail and its delivery state.

    ``state`` is ``held`` (waiting for an organizer to release it), ``queued``, ``sending``
    (claimed by a worker until ``locked_until``), ``sent`` or ``failed`` (permanent).
    ``next_attempt_at`` implements the retry backoff; all instants are UTC.
    """

    __tablename__ = "outbox_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    recipients: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(50), default="")
    # The language the mail was written in ("de"), sent as Content-Language; "" when unknown
    # (a text organizers wrote themselves).
    language: Mapped[str] = mapped_column(String(10), default="", server_default="")
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    locked_by: Mapped[str] = mapped_column(String(100), default="")
    sent_at: Mapped[datetime | None]


class MailRecipientCount(db.Model):
    """How many mails one recipient address was given in one clock hour (UTC).

    ``address_hash`` is the SHA-256 (hex) of the address in its canonical form (see
    :func:`podium.mail.caps.canonical_address`), so the table never holds addresses;
    ``hour`` is the hour number since the Unix epoch (``int(timestamp // 3600)``).
    An address's rows of past hours are deleted when its first mail of a new hour is counted.
    """

    __tablename__ = "mail_recipient_counts"

    address_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
