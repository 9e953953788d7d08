"""``podium worker`` (send queued mail) and ``podium mail list|show`` (read the outbox)."""

from __future__ import annotations

import logging
import signal
import sys
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from podium.database import check_reachable
from podium.extensions import db
from podium.mail import queries
from podium.mail.enums import MailState
from podium.mail.models import OutboxMail
from podium.mail.sending import SmtpSettings
from podium.mail.worker import WorkerOptions, count_waiting, run_forever, run_once, worker_name
from podium.webhooks.worker import run_once as send_webhooks


def _setup_logging() -> None:
    logging.basicConfig(
        level=current_app.config.get("LOG_LEVEL", "INFO"),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _require_database() -> None:
    problem = check_reachable(db.engine)
    if problem:
        click.echo(f"podium: database: cannot connect ({problem}); check DATABASE_URL", err=True)
        sys.exit(2)


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def _handler(signum: int, _frame: object) -> None:
        logging.getLogger("podium.mail.worker").info(
            "got %s, stopping after the current batch", signal.Signals(signum).name
        )
        stop.set()

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)
    return stop


@click.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, then exit (for cron and tests).")
@click.option(
    "--interval",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Seconds between looks at the outbox.",
)
@click.option(
    "--batch-size",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Mails claimed and sent per SMTP connection.",
)
@click.option(
    "--retry-delay",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Seconds before the first retry; doubles with each failed try (at most 30 min).",
)
@click.option(
    "--max-attempts",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="Tries before a mail the server answers with a temporary error is marked failed.",
)
@with_appcontext
def worker_command(
    once: bool, interval: float, batch_size: int, retry_delay: float, max_attempts: int
) -> None:
    """Send queued mail over SMTP and webhook deliveries, retrying with backoff; safe to run
    several at once."""
    _setup_logging()
    _require_database()
    config = current_app.config
    name = worker_name()

    def webhooks() -> None:
        result = send_webhooks(worker=name)
        if once and (result.delivered or result.retried or result.failed):
            click.echo(
                f"podium worker: webhooks delivered {result.delivered}, "
                f"retrying {result.retried}, failed {result.failed}"
            )

    if not config["SMTP_HOST"]:
        stop = _stop_on_signals()
        waiting = count_waiting()
        click.echo(
            f"podium worker: PODIUM_SMTP_HOST is not set, so mail stays in the outbox "
            f"({waiting} waiting); read it with `podium mail list` or at /mail/outbox",
            err=True,
        )
        if once:
            webhooks()
            return
        # Keep sending webhooks (and stay up, so a supervisor does not restart us in a loop).
        while not stop.is_set():
            webhooks()
            db.session.remove()
            stop.wait(interval)
        return
    settings = SmtpSettings.from_config(config)
    options = WorkerOptions(
        batch_size=batch_size,
        retry_seconds=retry_delay,
        max_retry_seconds=max(1800.0, retry_delay),
        max_attempts=max_attempts,
    )
    if once:
        result = run_once(settings=settings, options=options, worker=name)
        summary = f"sent {result.sent}, retrying {result.retried}, failed {result.failed}"
        if result.server_error:
            summary += f"; {result.server_error}"
        click.echo(f"podium worker: {summary}")
        webhooks()
        return
    run_forever(
        settings=settings,
        options=options,
        worker=name,
        interval=interval,
        stop=_stop_on_signals(),
        also=webhooks,
    )


@click.group("mail")
def mail_group() -> None:
    """Read the outbox: every mail Podium sent or will send."""


@mail_group.command("list")
@click.option(
    "--state",
    type=click.Choice([s.value for s in MailState]),
    help="Only mails in this state.",
)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def list_command(state: str | None, limit: int) -> None:
    """List mails, newest first: id, state, tries, created (UTC), recipients, subject."""
    mails = queries.latest_mails(state=state, limit=limit)
    if not mails:
        click.echo(
            _("The outbox is empty.") if state is None else _("No %(state)s mail.", state=state)
        )
        return
    click.echo(f"{'ID':>6}  {'STATE':<8} {'TRIES':>5}  {'CREATED (UTC)':<16}  TO / SUBJECT")
    for mail in mails:
        created = mail.created_at.strftime("%Y-%m-%d %H:%M")
        click.echo(
            f"{mail.id:>6}  {mail.state:<8} {mail.attempts:>5}  {created:<16}  "
            f"{', '.join(mail.recipients)} / {mail.subject}"
        )
    counts = queries.state_counts()
    click.echo("; ".join(f"{counts[s]} {s}" for s in MailState if counts.get(s)))


@mail_group.command("show")
@click.argument("mail_id", metavar="ID", type=int)
@with_appcontext
def show_command(mail_id: int) -> None:
    """Show one mail: headers, delivery state, last error and the plain-text body."""
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.id == mail_id))
    if mail is None:
        raise click.BadParameter(_("no mail with id %(id)s", id=mail_id), param_hint="ID")
    fmt = "%Y-%m-%d %H:%M:%S UTC"
    lines = [
        f"Mail {mail.id}: {mail.state}, {mail.attempts} attempt(s)",
        f"Message-ID: {mail.message_id}",
        f"From: {current_app.config['MAIL_FROM']}",
        f"To: {', '.join(mail.recipients)}",
        f"Subject: {mail.subject}",
        f"Created: {mail.created_at.strftime(fmt)}",
    ]
    if mail.sent_at:
        lines.append(f"Sent: {mail.sent_at.strftime(fmt)}")
    elif mail.state == MailState.QUEUED:
        lines.append(f"Next attempt: {mail.next_attempt_at.strftime(fmt)}")
    if mail.last_error:
        lines.append(f"Last error: {mail.last_error}")
    click.echo("\n".join(lines))
    click.echo("")
    click.echo(mail.body_text)


def register_cli(group: click.Group) -> None:
    """Add ``worker`` and ``mail`` to the ``podium`` command."""
    group.add_command(worker_command)
    group.add_command(mail_group)
