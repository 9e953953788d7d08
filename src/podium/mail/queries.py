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
