"""The mail worker: claims due outbox rows, sends them over SMTP, records the outcome.

Several workers (processes, machines) may run at once. A worker claims mails with one atomic
``UPDATE ... SET state='sending', locked_by=<claim> WHERE id IN (<due ids>) AND <still due>``;
a row another worker claimed first no longer matches, so no mail is claimed twice. PostgreSQL
also skips rows locked by a concurrent claim (``FOR UPDATE SKIP LOCKED``); SQLite serialises
writers. A claim is a lease until ``locked_until``: if a worker dies mid-send, the mail becomes
due again after the lease and is resent with the same ``Message-ID`` (at-least-once delivery,
de-duplicable by the receiver).

Retries back off exponentially: ``retry_seconds * 2**(attempts-1)``, capped at
``max_retry_seconds``. A server problem (SMTP down) never fails a mail permanently; a 5xx reply
does at once, a 4xx reply after ``max_attempts`` tries.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from podium.db import utcnow
from podium.extensions import db
from podium.mail.enums import MailState
from podium.mail.models import OutboxMail
from podium.mail.sending import DeliveryError, FailureKind, SmtpConnection, SmtpSettings
from podium.outbox import claim_due_rows, finish_claimed, retry_delay

log = logging.getLogger("podium.mail.worker")


@dataclass(frozen=True)
class WorkerOptions:
    """Tuning of the worker; times in seconds."""

    batch_size: int = 20
    retry_seconds: float = 60
    max_retry_seconds: float = 1800
    max_attempts: int = 10
    lease_seconds: float = 300


@dataclass
class RunResult:
    """What one :func:`run_once` did: counts of mails, and the last server problem if any."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    server_error: str | None = None
    errors: list[str] = field(default_factory=list)


def worker_name() -> str:
    """``host:pid`` of this process, shown in ``locked_by``."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}"


def backoff_seconds(attempts: int, options: WorkerOptions) -> float:
    """Delay before the next try after ``attempts`` failed tries (1 → ``retry_seconds``)."""
    return retry_delay(
        attempts, first_seconds=options.retry_seconds, max_seconds=options.max_retry_seconds
    )


def claim_batch(*, worker: str, options: WorkerOptions) -> tuple[str, list[OutboxMail]]:
    """Atomically claim up to ``options.batch_size`` due mails for ``worker``.

    Returns:
        ``(claim, mails)``: the claim token written to ``locked_by`` and the claimed rows,
        oldest due first.
    """
    return claim_due_rows(
        OutboxMail,
        queued=MailState.QUEUED,
        sending=MailState.SENDING,
        worker=worker,
        batch_size=options.batch_size,
        lease_seconds=options.lease_seconds,
    )


def _finish(mail_id: int, claim: str, **values: object) -> bool:
    stored = finish_claimed(OutboxMail, mail_id, claim, sending=MailState.SENDING, **values)
    if not stored:
        log.warning("mail %s: lease expired before the result was stored", mail_id)
    return stored


def mark_sent(mail: OutboxMail, claim: str, note: str = "") -> None:
    """Record a successful delivery (``note`` names refused recipients, if any)."""
    _finish(
        mail.id,
        claim,
        state=MailState.SENT,
        sent_at=utcnow(),
        attempts=mail.attempts + 1,
        last_error=note,
    )


def mark_failed_attempt(
    mail: OutboxMail, claim: str, error: DeliveryError, options: WorkerOptions
) -> str:
    """Record a failed try: back in the queue with backoff, or ``failed`` for good.

    Returns:
        The new state (``queued`` or ``failed``).
    """
    attempts = mail.attempts + 1
    permanent = error.kind is FailureKind.PERMANENT or (
        error.kind is FailureKind.TEMPORARY and attempts >= options.max_attempts
    )
    if permanent:
        _finish(mail.id, claim, state=MailState.FAILED, attempts=attempts, last_error=str(error))
        return MailState.FAILED
    delay = backoff_seconds(attempts, options)
    _finish(
        mail.id,
        claim,
        state=MailState.QUEUED,
        attempts=attempts,
        last_error=str(error),
        next_attempt_at=utcnow() + timedelta(seconds=delay),
    )
    return MailState.QUEUED


def _record_failure(
    mail: OutboxMail, claim: str, error: DeliveryError, options: WorkerOptions, result: RunResult
) -> None:
    mail_id, recipients = mail.id, ", ".join(mail.recipients)
    state = mark_failed_attempt(mail, claim, error, options)
    if state == MailState.FAILED:
        result.failed += 1
        log.error("mail %s to %s failed for good: %s", mail_id, recipients, error)
    else:
        result.retried += 1
        if error.kind is not FailureKind.SERVER:
            log.warning("mail %s: %s; will retry", mail_id, error)


def send_batch(
    *, settings: SmtpSettings, mails: list[OutboxMail], claim: str, options: WorkerOptions
) -> RunResult:
    """Send claimed ``mails`` over one SMTP connection and record each outcome."""
    result = RunResult()
    pending = list(mails)
    try:
        with SmtpConnection(settings) as connection:
            while pending:
                mail = pending[0]
                try:
                    note = connection.send(mail)
                except DeliveryError as error:
                    if error.kind is FailureKind.SERVER:
                        raise
                    pending.pop(0)
                    _record_failure(mail, claim, error, options, result)
                    result.errors.append(str(error))
                    continue
                pending.pop(0)
                mail_id, recipients = mail.id, ", ".join(mail.recipients)
                mark_sent(mail, claim, note)
                result.sent += 1
                log.info("mail %s sent to %s", mail_id, recipients)
    except DeliveryError as error:
        # The server is the problem, not the mails: keep every unsent one queued.
        result.server_error = str(error)
        result.errors.append(str(error))
        delays = []
        for mail in pending:
            delays.append(backoff_seconds(mail.attempts + 1, options))
            _record_failure(mail, claim, error, options, result)
        log.warning(
            "%s; %d mail(s) stay queued, next try in %.0f s or later",
            error,
            len(pending),
            min(delays, default=options.retry_seconds),
        )
    return result


def run_once(*, settings: SmtpSettings, options: WorkerOptions, worker: str) -> RunResult:
    """Send every mail that is due now, batch by batch; stop early if the server is down."""
    total = RunResult()
    while True:
        claim, mails = claim_batch(worker=worker, options=options)
        if not mails:
            return total
        result = send_batch(settings=settings, mails=mails, claim=claim, options=options)
        total.sent += result.sent
        total.retried += result.retried
        total.failed += result.failed
        total.errors.extend(result.errors)
        if result.server_error:
            total.server_error = result.server_error
            return total


def run_forever(
    *,
    settings: SmtpSettings,
    options: WorkerOptions,
    worker: str,
    interval: float,
    stop: threading.Event,
    also: Callable[[], object] | None = None,
) -> None:
    """Poll for due mail every ``interval`` seconds until ``stop`` is set.

    ``also`` runs after each look at the outbox (the webhook deliveries, which the same
    worker sends). A batch in progress is finished before stopping, so a stop never leaves a
    mail claimed.
    """
    log.info("mail worker %s sending through %s", worker, settings.address)
    while not stop.is_set():
        run_once(settings=settings, options=options, worker=worker)
        if also is not None:
            also()
        db.session.remove()  # do not keep a snapshot or a pooled transaction while idle
        stop.wait(interval)
    log.info("mail worker %s stopped", worker)


def count_waiting() -> int:
    """How many mails are queued or being sent."""
    waiting = OutboxMail.state.in_([MailState.QUEUED, MailState.SENDING])
    return db.session.scalar(select(func.count()).select_from(OutboxMail).where(waiting)) or 0
