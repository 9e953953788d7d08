"""Queueing mail: rendering subjects and bodies into outbox rows."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.mail.services import MAX_SUBJECT_LENGTH, queue_mail


def test_queue_mail_cuts_a_subject_longer_than_the_column(app: Flask) -> None:
    # 200 + 300 + 200 characters of names and title: PostgreSQL refused the row with a 500.
    queue_mail(
        to=["co@example.org"],
        template="cfp_co_speaker_invitation",
        context={
            "inviter_name": "N" * 200,
            "submission_title": "T" * 300,
            "event_name": "E" * 200,
            "invitation_url": "http://localhost/invite/speaker/x",
            "name": "Co",
        },
    )
    mail = db.session.scalars(select(OutboxMail)).one()
    assert len(mail.subject) == MAX_SUBJECT_LENGTH == 300
    assert mail.subject == "N" * 200 + " invites you to co-present “" + "T" * 71 + "…"
