"""Queueing test mails through the real ``queue_mail`` and reading rows back."""

from __future__ import annotations

from sqlalchemy import select

from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.mail.services import queue_mail


def queue_test_mails(count: int, prefix: str = "person") -> list[OutboxMail]:
    """Queue ``count`` "password changed" mails to ``<prefix><i>@example.org``."""
    mails = [
        queue_mail(
            to=[f"{prefix}{i}@example.org"],
            template="password_changed",
            context={"name": f"Person {i}", "reset_url": "http://localhost/account/reset"},
            commit=False,
        )
        for i in range(count)
    ]
    db.session.commit()
    return mails


def all_mails() -> list[OutboxMail]:
    """Every outbox row, fresh from the database, by id."""
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
