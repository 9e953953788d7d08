"""Queueing mail: every mail is rendered from templates into an outbox row.

Sending happens later in the worker (``podium worker``), so a web request never waits on SMTP
and a down SMTP server never loses a mail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import render_template

from podium.extensions import db
from podium.mail.models import OutboxMail


def render_mail(template: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    """Render ``mail/<template>.subject.txt``, ``.txt`` and ``.html``.

    Returns:
        ``(subject, text body, HTML body)``; the subject is stripped to one line.

    Raises:
        jinja2.TemplateNotFound: when the template set is incomplete.
    """
    subject = render_template(f"mail/{template}.subject.txt", **context)
    text = render_template(f"mail/{template}.txt", **context)
    html = render_template(f"mail/{template}.html", **context)
    return " ".join(subject.split()), text, html


def queue_mail(
    *,
    to: Sequence[str],
    template: str,
    context: Mapping[str, Any],
    event_id: int | None = None,
    hold: bool = False,
    commit: bool = True,
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
    """
    subject, text, html = render_mail(template, context)
    mail = OutboxMail(
        recipients=list(to),
        subject=subject,
        body_text=text,
        body_html=html,
        kind=template,
        context=dict(context),
        event_id=event_id,
        state="held" if hold else "queued",
    )
    db.session.add(mail)
    if commit:
        db.session.commit()
    return mail
