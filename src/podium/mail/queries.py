"""Reading the outbox for the admin pages and ``podium mail list``."""

from __future__ import annotations

from sqlalchemy import func, select

from podium.extensions import db
from podium.mail.models import OutboxMail


def latest_mails(*, state: str | None = None, limit: int = 50, offset: int = 0) -> list[OutboxMail]:
    """Mails newest first, optionally only in ``state`` (one query)."""
    query = select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit).offset(offset)
    if state:
        query = query.where(OutboxMail.state == state)
    return list(db.session.scalars(query))


def state_counts() -> dict[str, int]:
    """Number of mails per state, e.g. ``{"queued": 3, "sent": 10}`` (one query)."""
    rows = db.session.execute(
        select(OutboxMail.state, func.count()).group_by(OutboxMail.state)
    ).all()
    return {state: count for state, count in rows}


def event_mails(
    event_id: int, *, state: str | None = None, limit: int = 50, offset: int = 0
) -> list[OutboxMail]:
    """One event's mails newest first, optionally only in ``state`` (one query).

    Account mail (``event_id`` NULL: password resets, address confirmations) is never included.
    """
    query = (
        select(OutboxMail)
        .where(OutboxMail.event_id == event_id)
        .order_by(OutboxMail.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if state:
        query = query.where(OutboxMail.state == state)
    return list(db.session.scalars(query))


def event_state_counts(event_id: int) -> dict[str, int]:
    """Number of the event's mails per state, e.g. ``{"held": 2, "sent": 10}`` (one query)."""
    rows = db.session.execute(
        select(OutboxMail.state, func.count())
        .where(OutboxMail.event_id == event_id)
        .group_by(OutboxMail.state)
    ).all()
    return {state: count for state, count in rows}


def last_event_error(event_id: int) -> OutboxMail | None:
    """The event's most recent mail that carries a delivery error (failed or retrying), if any.

    One query; the worker records ``last_error`` on every failed attempt.
    """
    return db.session.scalar(
        select(OutboxMail)
        .where(OutboxMail.event_id == event_id, OutboxMail.last_error != "")
        .where(OutboxMail.state.in_(("failed", "queued", "sending")))
        .order_by(OutboxMail.id.desc())
        .limit(1)
    )
