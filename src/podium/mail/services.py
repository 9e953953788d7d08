"""Queueing mail: every mail is rendered from templates into an outbox row.

Sending happens later in the worker (``podium worker``), so a web request never waits on SMTP
and a down SMTP server never loses a mail.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from sqlalchemy import update

from podium.db import utcnow
from podium.extensions import db
from podium.mail.caps import CAP_SETTING, take_mail_allowance
from podium.mail.enums import MailState
from podium.mail.models import OutboxMail


def external_url(endpoint: str, **values: Any) -> str:
    """Absolute URL of ``endpoint`` under the ``BASE_URL`` setting, for links in mail.

    Works with or without a request (CLI, worker), and never trusts the request's Host header,
    so a forged Host cannot redirect confirmation links elsewhere.
    """
    base = urlsplit(current_app.config["BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


def new_message_id() -> str:
    """A globally unique ``Message-ID`` (with angle brackets) in the sender's domain.

    It is fixed when the mail is queued, so every retry of the same row carries the same id and
    a receiver can drop a duplicate after an uncertain send.
    """
    _, address = parseaddr(current_app.config["MAIL_FROM"])
    domain = address.rpartition("@")[2] or "podium.invalid"
    return f"<podium.{secrets.token_hex(12)}@{domain}>"


MAX_SUBJECT_LENGTH = 300  # OutboxMail.subject is String(300)


def render_mail(template: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    """Render ``mail/<template>.subject.txt``, ``.txt`` and ``.html``.

    Returns:
        ``(subject, text body, HTML body)``; the subject is stripped to one line and cut to
        :data:`MAX_SUBJECT_LENGTH` characters (ending in "…" when cut).

    Raises:
        jinja2.TemplateNotFound: when the template set is incomplete.
    """
    subject = render_template(f"mail/{template}.subject.txt", **context)
    text = render_template(f"mail/{template}.txt", **context)
    html = render_template(f"mail/{template}.html", **context)
    subject = " ".join(subject.split())
    if len(subject) > MAX_SUBJECT_LENGTH:
        # Titles, names and event names filled into a subject can outgrow the column, which
        # PostgreSQL refuses (a 500 that would also undo the submission or decision release).
        subject = subject[: MAX_SUBJECT_LENGTH - 1].rstrip() + "…"
    return subject, text, html


def queue_mail(
    *,
    to: Sequence[str],
    template: str,
    context: Mapping[str, Any],
    event_id: int | None = None,
    hold: bool = False,
    commit: bool = True,
    recipient_cap: bool = True,
) -> OutboxMail:
    """Render a mail and add it to the outbox.

    Args:
        to: recipient addresses.
        template: template name under ``mail/`` (``<name>.subject.txt``, ``.txt``, ``.html``).
        context: template variables; stored so the mail can be re-rendered after edits.
        event_id: the event the mail belongs to, if any.
        hold: keep it ``held`` until an organizer releases it (decision mails) instead of
            ``queued`` for the worker.
        commit: commit the session (pass False to commit together with the caller's change).
        recipient_cap: count the mail against each recipient's hourly cap (see
            :mod:`podium.mail.caps`); recipients over it are left out, and a mail left with
            none is stored ``failed`` (an administrator may still send it with "Retry").
            Only mails organizers write or release to the speakers of their own event pass
            False.
    """
    subject, text, html = render_mail(template, context)
    recipients, capped = list(to), []
    if recipient_cap:
        capped = [address for address in recipients if not take_mail_allowance(address)]
        recipients = [address for address in recipients if address not in capped] or capped
    mail = OutboxMail(
        recipients=recipients,
        subject=subject,
        body_text=text,
        body_html=html,
        kind=template,
        context=dict(context),
        event_id=event_id,
        state=MailState.HELD if hold else MailState.QUEUED,
        message_id=new_message_id(),
    )
    if capped:
        _note_capped(mail, capped, every_recipient=recipients == capped)
    db.session.add(mail)
    if commit:
        db.session.commit()
    return mail


def _note_capped(mail: OutboxMail, capped: list[str], *, every_recipient: bool) -> None:
    # Whoever triggered the mail sees the usual answer (it must not tell whether an address
    # has an account); the operator finds the reason here and in the log.
    limit = current_app.config[CAP_SETTING]
    note = f"not sent to {len(capped)} recipient(s): more than {limit} mails in this hour"
    current_app.logger.warning("%s mail %s", mail.kind, note)
    if every_recipient:
        mail.state = MailState.FAILED
        mail.last_error = f"{note} ({CAP_SETTING})"


def requeue_mail(*, mail: OutboxMail) -> bool:
    """Put a ``failed`` mail back in the queue for an immediate new try.

    Returns:
        True if the mail was failed and is now queued; False if it was in another state.
    """
    result = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail.id, OutboxMail.state == MailState.FAILED)
        .values(state=MailState.QUEUED, next_attempt_at=utcnow(), attempts=0, locked_by="")
    )
    db.session.commit()
    db.session.refresh(mail)
    return bool(result.rowcount)
