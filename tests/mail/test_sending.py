"""The worker sending through a real SMTP server (aiosmtpd on 127.0.0.1) and its failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from podium.db import utcnow
from podium.mail.enums import MailState
from podium.mail.sending import SmtpSettings
from podium.mail.worker import WorkerOptions, backoff_seconds, claim_batch, run_once
from tests.mail.helpers import all_mails, queue_test_mails
from tests.mail.smtp_server import RecordingSMTPServer, free_port

OPTIONS = WorkerOptions(batch_size=10, retry_seconds=60, max_retry_seconds=1800, max_attempts=3)


def _settings(port: int) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1", port=port, timeout=5, sender="Podium Test <podium@example.org>"
    )


def test_worker_delivers_queued_mail_to_real_smtp_server(app: Flask) -> None:
    queued = queue_test_mails(3)
    expected = {m.id: (m.message_id, m.recipients[0]) for m in queued}
    with RecordingSMTPServer() as server:
        result = run_once(settings=_settings(server.port), options=OPTIONS, worker="t1")
    assert (result.sent, result.retried, result.failed) == (3, 0, 0)
    assert len(server.messages) == 3
    by_id = {str(m["Message-ID"]): m for m in server.messages}
    for message_id, recipient in expected.values():
        message = by_id[message_id]
        assert message["To"] == recipient
        assert message["From"] == "Podium Test <podium@example.org>"
        assert message["Subject"] == "Your password has been changed"
        assert message["Auto-Submitted"] == "auto-generated"
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "the password of your account has just been changed" in text
        assert '<a href="http://localhost/account/reset">reset your password now</a>' in html
    assert server.envelopes[0][0] == "podium@example.org"
    for mail in all_mails():
        assert mail.state == MailState.SENT
        assert mail.attempts == 1
        assert mail.last_error == ""
        assert mail.sent_at is not None
        assert mail.locked_until is None


def test_worker_with_smtp_down_keeps_mail_queued_with_readable_error(app: Flask) -> None:
    queue_test_mails(2)
    port = free_port()
    before = utcnow()
    result = run_once(settings=_settings(port), options=OPTIONS, worker="t1")
    assert (result.sent, result.retried, result.failed) == (0, 2, 0)
    assert (
        result.server_error == f"cannot connect to SMTP server 127.0.0.1:{port}: connection refused"
    )
    for mail in all_mails():
        assert mail.state == MailState.QUEUED
        assert mail.attempts == 1
        assert (
            mail.last_error == f"cannot connect to SMTP server 127.0.0.1:{port}: connection refused"
        )
        assert (
            before + timedelta(seconds=59) < mail.next_attempt_at < utcnow() + timedelta(seconds=61)
        )


def test_worker_with_smtp_down_never_fails_mail_permanently(app: Flask) -> None:
    queue_test_mails(1)
    port = free_port()
    options = WorkerOptions(retry_seconds=0.01, max_retry_seconds=0.01, max_attempts=2)
    for _ in range(5):
        run_once(settings=_settings(port), options=options, worker="t1")
        _make_all_due()
    [mail] = all_mails()
    assert mail.state == MailState.QUEUED
    assert mail.attempts == 5


def _make_all_due() -> None:
    from sqlalchemy import update

    from podium.extensions import db
    from podium.mail.models import OutboxMail

    db.session.execute(update(OutboxMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_mail_is_delivered_after_server_comes_back_with_same_message_id(app: Flask) -> None:
    [queued] = queue_test_mails(1)
    message_id = queued.message_id
    server = RecordingSMTPServer()
    run_once(settings=_settings(server.port), options=OPTIONS, worker="t1")
    _make_all_due()
    with server:
        result = run_once(settings=_settings(server.port), options=OPTIONS, worker="t1")
    assert result.sent == 1
    assert server.received_ids() == [message_id]
    [mail] = all_mails()
    assert (mail.state, mail.attempts) == (MailState.SENT, 2)


def test_recipient_refused_with_5xx_fails_mail_at_once(app: Flask) -> None:
    queue_test_mails(2)
    with RecordingSMTPServer() as server:
        server.rcpt_reply = lambda a: (
            "550 5.1.1 mailbox unavailable" if a.startswith("person0") else None
        )
        result = run_once(settings=_settings(server.port), options=OPTIONS, worker="t1")
    assert (result.sent, result.failed) == (1, 1)
    first, second = all_mails()
    assert first.state == MailState.FAILED
    assert first.attempts == 1
    assert first.last_error == (
        f"SMTP server 127.0.0.1:{server.port} refused every recipient: "
        "person0@example.org (550 5.1.1 mailbox unavailable)"
    )
    assert second.state == MailState.SENT
    assert [str(m["To"]) for m in server.messages] == ["person1@example.org"]


def test_temporary_4xx_is_retried_then_fails_after_max_attempts(app: Flask) -> None:
    queue_test_mails(1)
    with RecordingSMTPServer() as server:
        server.data_reply = lambda: "451 4.3.0 try again later"
        for expected_state in (MailState.QUEUED, MailState.QUEUED, MailState.FAILED):
            run_once(settings=_settings(server.port), options=OPTIONS, worker="t1")
            [mail] = all_mails()
            assert mail.state == expected_state
            _make_all_due()
    assert mail.attempts == 3
    assert mail.last_error == (
        f"SMTP server 127.0.0.1:{server.port} rejected the message: 451 4.3.0 try again later"
    )
    assert server.messages == []


@pytest.mark.parametrize(
    ("attempts", "expected"), [(1, 60), (2, 120), (3, 240), (5, 960), (6, 1800), (12, 1800)]
)
def test_backoff_doubles_and_is_capped(attempts: int, expected: float) -> None:
    assert backoff_seconds(attempts, OPTIONS) == expected


def test_two_workers_never_claim_the_same_mail(app: Flask) -> None:
    queue_test_mails(5)
    options = WorkerOptions(batch_size=3)
    claim_a, mails_a = claim_batch(worker="a", options=options)
    claim_b, mails_b = claim_batch(worker="b", options=options)
    claim_c, mails_c = claim_batch(worker="c", options=options)
    ids_a, ids_b = {m.id for m in mails_a}, {m.id for m in mails_b}
    assert (len(ids_a), len(ids_b), mails_c) == (3, 2, [])
    assert ids_a.isdisjoint(ids_b)
    rows = {m.id: m for m in all_mails()}
    assert {rows[i].locked_by for i in ids_a} == {claim_a}
    assert {rows[i].locked_by for i in ids_b} == {claim_b}
    assert claim_a.startswith("a/") and claim_a != claim_b != claim_c


def test_expired_lease_of_dead_worker_is_taken_over(app: Flask) -> None:
    from sqlalchemy import update

    from podium.extensions import db
    from podium.mail.models import OutboxMail

    queue_test_mails(1)
    claim_batch(worker="dead", options=WorkerOptions())
    assert claim_batch(worker="alive", options=WorkerOptions())[1] == []
    db.session.execute(update(OutboxMail).values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    claim, mails = claim_batch(worker="alive", options=WorkerOptions())
    assert len(mails) == 1
    assert mails[0].locked_by == claim


def test_held_mail_is_not_sent(app: Flask) -> None:
    from podium.mail.services import queue_mail

    queue_mail(
        to=["held@example.org"],
        template="password_changed",
        context={"name": "H", "reset_url": "http://localhost/"},
        hold=True,
    )
    with RecordingSMTPServer() as server:
        result = run_once(settings=_settings(server.port), options=OPTIONS, worker="t1")
    assert result.sent == 0
    assert server.messages == []
    assert [m.state for m in all_mails()] == [MailState.HELD]


def test_smtp_login_with_right_credentials_delivers(app: Flask) -> None:
    queue_test_mails(1)
    with RecordingSMTPServer(credentials=("podium", "s3cret")) as server:
        settings = SmtpSettings(
            host="127.0.0.1", port=server.port, user="podium", password="s3cret"
        )
        result = run_once(settings=settings, options=OPTIONS, worker="t1")
    assert result.sent == 1
    assert len(server.messages) == 1


def test_smtp_login_refused_is_reported_in_words(app: Flask) -> None:
    queue_test_mails(1)
    with RecordingSMTPServer(credentials=("podium", "s3cret")) as server:
        settings = SmtpSettings(host="127.0.0.1", port=server.port, user="podium", password="nope")
        result = run_once(settings=settings, options=OPTIONS, worker="t1")
    assert result.server_error == (
        f"SMTP server 127.0.0.1:{server.port} refused the login of user 'podium': "
        "535 5.7.8 Authentication credentials invalid; check PODIUM_SMTP_USER and "
        "PODIUM_SMTP_PASSWORD"
    )
    [mail] = all_mails()
    assert (mail.state, mail.last_error) == (MailState.QUEUED, result.server_error)
    assert server.messages == []


def test_starttls_asked_of_a_server_without_it_is_reported_in_words(app: Flask) -> None:
    queue_test_mails(1)
    with RecordingSMTPServer() as server:
        settings = SmtpSettings(host="127.0.0.1", port=server.port, security="starttls")
        result = run_once(settings=settings, options=OPTIONS, worker="t1")
    assert result.server_error == (
        f"SMTP server 127.0.0.1:{server.port} does not support STARTTLS or login; "
        "check PODIUM_SMTP_SECURITY"
    )


def test_tls_to_a_plain_server_is_reported_in_words(app: Flask) -> None:
    queue_test_mails(1)
    with RecordingSMTPServer() as server:
        settings = SmtpSettings(host="127.0.0.1", port=server.port, security="tls", timeout=5)
        result = run_once(settings=settings, options=OPTIONS, worker="t1")
    assert result.server_error is not None
    assert result.server_error.startswith(f"TLS with SMTP server 127.0.0.1:{server.port} failed: ")
    assert "Traceback" not in result.server_error
