"""Claiming due rows of a durable queue: the mail outbox and webhook deliveries.

Both queues are tables whose rows carry ``state``, ``next_attempt_at``, ``locked_by`` and
``locked_until``; a worker claims a batch by writing its own token into ``locked_by`` with a
lease, so several workers never send the same row, and a worker that died mid-send leaves its
lease behind for another to take over once it has expired.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update

from podium.db import utcnow
from podium.extensions import db


def due_condition(model: Any, *, queued: str, sending: str, now: datetime) -> Any:
    """Rows of ``model`` due at ``now`` (aware UTC): queued and due, or sending with an
    expired lease (the worker sending it died)."""
    return or_(
        and_(model.state == queued, model.next_attempt_at <= now),
        and_(model.state == sending, model.locked_until < now),
    )


def claim_due_rows(
    model: Any,
    *,
    queued: str,
    sending: str,
    worker: str,
    batch_size: int,
    lease_seconds: int,
) -> tuple[str, list[Any]]:
    """Atomically claim up to ``batch_size`` due rows of ``model`` for ``worker``, oldest due
    first, moving them to ``sending`` with a lease of ``lease_seconds``.

    Returns:
        ``(claim, rows)``: the token written to ``locked_by`` and the claimed rows.
    """
    now = utcnow()
    claim = f"{worker}/{secrets.token_hex(4)}"
    due = due_condition(model, queued=queued, sending=sending, now=now)
    due_ids = (
        select(model.id).where(due).order_by(model.next_attempt_at, model.id).limit(batch_size)
    )
    if db.engine.dialect.name == "postgresql":
        # Lock the due rows (skipping those another worker is claiming) in one statement and
        # update them in a second one: PostgreSQL may re-run a LIMIT ... SKIP LOCKED subquery
        # inside an UPDATE and so claim more rows than asked for.
        ids = list(db.session.scalars(due_ids.with_for_update(skip_locked=True)))
        target = model.id.in_(ids)
    else:
        # SQLite: one statement, so the write lock is taken before anything is read.
        target = model.id.in_(due_ids.scalar_subquery())
    db.session.execute(
        update(model)
        .where(target, due)
        .values(
            state=sending,
            locked_by=claim,
            locked_until=now + timedelta(seconds=lease_seconds),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    rows = db.session.scalars(
        select(model)
        .where(model.locked_by == claim, model.state == sending)
        .order_by(model.next_attempt_at, model.id)
    ).all()
    return claim, list(rows)


def finish_claimed(model: Any, row_id: int, claim: str, *, sending: str, **values: Any) -> bool:
    """Store the outcome of sending row ``row_id`` of ``model`` (``values``: its new state
    and the columns that go with it) and release its lease, then commit.

    Only if this worker still holds the row (``locked_by == claim`` and still ``sending``):
    returns False when the lease expired and another worker took the row over, whose
    outcome must not be overwritten.
    """
    result = db.session.execute(
        update(model)
        .where(model.id == row_id, model.locked_by == claim, model.state == sending)
        .values(locked_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount)


def retry_delay(attempts: int, *, first_seconds: float, max_seconds: float) -> float:
    """Seconds to wait before the next try after ``attempts`` failed tries: ``first_seconds``
    after the first, doubling each time, at most ``max_seconds`` (never less than the first)."""
    delay = first_seconds * (2 ** max(0, attempts - 1))
    return min(delay, max(max_seconds, first_seconds))
