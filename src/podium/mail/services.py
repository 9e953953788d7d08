"""Queueing mail: every mail is rendered from templates into an outbox row.

Sending happens later in the worker (``podium worker``), so a web request never waits on SMTP
and a down SMTP server never loses a mail.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from podium.db import utcnow
from podium.extensions import db
from podium.i18n.locales import DEFAULT_LANGUAGE, normalise_language
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
    _name, address = parseaddr(current_app.config["MAIL_FROM"])
    domain = address.rpartition("@")[2] or "podium.invalid"
    return f"<podium.{secrets.token_hex(12)}@{domain}>"


MAX_SUBJECT_LENGTH = 300  # OutboxMail.subject is String(300)


def event_language(event_id: int | None) -> str | None:
    """The default language of event ``event_id`` (a code of :data:`LANGUAGES`), or None."""
    if event_id is None:
        return None
    from podium.events.models import Event

    event = db.session.get(Event, event_id)
    return normalise_language(event.default_language) if event is not None else None


def mail_language(
    user_language: str | None = None, event_default: str | None = None, event_id: int | None = None
) -> str:
    """The language of a mail to one person: their saved preference, else the event's default
    language (``event_default``, or looked up from ``event_id``), else English."""
    return (
        normalise_language(user_language)
        or normalise_language(event_default)
        or event_language(event_id)
        or DEFAULT_LANGUAGE
    )


def recipient_language(to: Sequence[str], event_id: int | None = None) -> str:
    """The language of a mail to ``to``: the saved preference of the account with the first
    address, else the event's default language, else English (an address without an account,
    such as an invited co-speaker, gets the event's default)."""
    from podium.accounts.models import User

    user_language = None
    if to:
        user_language = db.session.scalar(
            select(User.language).where(func.lower(User.email) == to[0].strip().lower()).limit(1)
        )
    return mail_language(user_language, event_id=event_id)


def render_mail(
    template: str, context: Mapping[str, Any], language: str | None = None
) -> tuple[str, str, str]:
    """Render ``mail/<template>.subject.txt``, ``.txt`` and ``.html``, in ``language`` when
    given (translated texts and dates), else in the current one.

    Returns:
        ``(subject, text body, HTML body)``; the subject is stripped to one line and cut to
        :data:`MAX_SUBJECT_LENGTH` characters (ending in "…" when cut).

    Raises:
        jinja2.TemplateNotFound: when the template set is incomplete.
    """
    if language:
        with force_locale(language):
            return render_mail(template, context)
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
    kind: str | None = None,
    language: str | None = None,
) -> OutboxMail:
    """Render a mail in its recipient's language and add it to the outbox.

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
        kind: what the mail is (``OutboxMail.kind``) when it differs from the template name,
            e.g. a speaker message rendered by the generic ``mail_text`` template.
        language: the language to write in (the recipient's preference when the caller
            knows it); else :func:`recipient_language` of ``to`` (one query). Stored as
            ``OutboxMail.language`` (the ``Content-Language`` header).
    """
    language = normalise_language(language) or recipient_language(to, event_id)
    subject, text, html = render_mail(template, context, language)
    recipients, capped = list(to), []
    if recipient_cap:
        capped = [address for address in recipients if not take_mail_allowance(address)]
        recipients = [address for address in recipients if address not in capped] or capped
    mail = OutboxMail(
        recipients=recipients,
        subject=subject,
        body_text=text,
        body_html=html,
        kind=kind or template,
        language=language,
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


def queue_event_mail(
    *,
    to: Sequence[str],
    template: str,
    context: Mapping[str, Any],
    event_id: int,
    text_kind: str,
    values: Mapping[str, str],
    language: str | None = None,
) -> OutboxMail:
    """Queue one of the event's editable mails (not committed), in the recipient's language.

    ``language`` is the recipient's (else :func:`recipient_language` of ``to``). When the event
    has its own text for ``text_kind`` in that language, or else in its default language (see
    :mod:`podium.mail.emails`), the mail is that text with ``values`` filled in; otherwise the
    built-in ``template`` is rendered with ``context`` in that language, as :func:`queue_mail`
    does. ``OutboxMail.kind`` is ``template`` either way, so the outbox and its filters do not
    depend on the wording.
    """
    from podium.mail.emails import EventTexts, fill_placeholders

    language = normalise_language(language) or recipient_language(to, event_id)
    text_language, subject, body, own = EventTexts(event_id).choose(text_kind, language)
    if not own:
        return queue_mail(
            to=to,
            template=template,
            context=context,
            event_id=event_id,
            commit=False,
            language=language,
        )
    return queue_text_mail(
        to=to,
        subject=fill_placeholders(subject, values),
        body=fill_placeholders(body, values),
        event_id=event_id,
        kind=template,
        extra={"text_kind": text_kind},
        hold=False,
        recipient_cap=True,
        language=text_language,
    )


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


# --- one event's mail, for its organizers ------------------------------------------------------

TEXT_TEMPLATE = "mail_text"  # renders ``subject`` and ``body`` from the context as they are


class MailNotFound(LookupError):
    """No mail with that id in that event in a state that allows the action (shown as 404)."""


class MailEditError(ValueError):
    """An edit the outbox refuses; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _event_mail(event_id: int, mail_id: int, *, state: str | None = None) -> OutboxMail:
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None or mail.event_id != event_id or (state and mail.state != state):
        raise MailNotFound(f"no mail {mail_id} in this event")
    return mail


def queue_text_mail(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    event_id: int,
    kind: str,
    extra: Mapping[str, Any] | None = None,
    hold: bool = True,
    recipient_cap: bool = False,
    language: str | None = None,
) -> OutboxMail:
    """Add a plain-text mail written by organizers (placeholders already filled) to the outbox.

    The text part is ``body`` unchanged; the HTML part is its paragraphs, escaped. ``extra``
    is stored in the context next to ``subject`` and ``body`` (ids of the submission, speaker).
    Organizers write these to their own event's speakers, so the per-recipient cap applies only
    when ``recipient_cap`` is set (mails a visitor's action triggers, such as a receipt sent
    with the event's own text). Not committed: the caller commits once for a whole batch.
    """
    return queue_mail(
        to=to,
        template=TEXT_TEMPLATE,
        context={**(extra or {}), "subject": subject, "body": body},
        event_id=event_id,
        hold=hold,
        commit=False,
        kind=kind,
        recipient_cap=recipient_cap,
        language=language,
    )


def edit_held_mail(*, event_id: int, mail_id: int, subject: str, body: str) -> OutboxMail:
    """Replace a held mail's subject and text; its HTML part is re-rendered from the text.

    Raises:
        MailNotFound: no held mail ``mail_id`` in event ``event_id`` (sent ones can't change).
        MailEditError: empty subject or text, or a ``{placeholder}`` in either: a held mail is
            already written for its recipient, so nothing would fill it in.
    """
    from podium.mail.emails import unknown_placeholders

    mail = _event_mail(event_id, mail_id, state=MailState.HELD)
    subject = " ".join(subject.split())
    if not subject:
        raise MailEditError(_("the subject is required"), "subject")
    if not body.strip():
        raise MailEditError(_("the text is required"), "body")
    for field, text in (("subject", subject), ("body", body)):
        left = unknown_placeholders(text, ())
        if left:
            raise MailEditError(
                _(
                    "%(placeholder)s would be sent as it is: placeholders are filled when a "
                    "mail is written, so write the text itself here",
                    placeholder="{" + left[0] + "}",
                ),
                field,
            )
    context = dict(mail.context or {})
    context.update(subject=subject[:MAX_SUBJECT_LENGTH], body=body)
    mail.subject, mail.body_text, mail.body_html = render_mail(
        TEXT_TEMPLATE, context, mail.language or None
    )
    mail.context = context
    db.session.commit()
    return mail


def discard_held_mail(*, event_id: int, mail_id: int) -> None:
    """Delete a held mail of the event so it is never sent.

    Raises:
        MailNotFound: no held mail ``mail_id`` in event ``event_id``.
    """
    db.session.delete(_event_mail(event_id, mail_id, state=MailState.HELD))
    db.session.commit()


# Features whose held mails mean something when they leave (a decision mail makes the decision
# visible to its speakers) register here, so every path that sends held mail (the decisions page,
# the event outbox) has the same effect without the mail package knowing those features.
_release_hooks: dict[str, Callable[[int, list[Mapping[str, Any]]], None]] = {}


def on_held_mail_release(kind: str, hook: Callable[[int, list[Mapping[str, Any]]], None]) -> None:
    """Call ``hook(event_id, contexts)`` whenever held mails of ``kind`` are sent.

    ``contexts`` are the released mails' template contexts; the hook runs in the same
    transaction as the release, before it commits.
    """
    _release_hooks[kind] = hook


def send_held_mails(*, event_id: int, kind: str | None = None) -> int:
    """Move the event's held mails (only those of ``kind`` if given) to ``queued`` (one UPDATE).

    Hooks registered with :func:`on_held_mail_release` for the released kinds run first.

    Returns:
        how many mails were queued.
    """
    held = (OutboxMail.event_id == event_id, OutboxMail.state == MailState.HELD)
    kinds = [k for k in _release_hooks if kind is None or k == kind]
    if kinds:
        rows = db.session.execute(
            select(OutboxMail.kind, OutboxMail.context).where(*held, OutboxMail.kind.in_(kinds))
        ).all()
        for hook_kind in kinds:
            contexts = [dict(c or {}) for k, c in rows if k == hook_kind]
            if contexts:
                _release_hooks[hook_kind](event_id, contexts)
    query = update(OutboxMail).where(*held)
    if kind is not None:
        query = query.where(OutboxMail.kind == kind)
    result = db.session.execute(
        query.values(state=MailState.QUEUED, next_attempt_at=utcnow()).execution_options(
            synchronize_session=False
        )
    )
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def requeue_event_mail(*, event_id: int, mail_id: int) -> bool:
    """:func:`requeue_mail` for a mail of one event.

    Raises:
        MailNotFound: no mail ``mail_id`` in event ``event_id``.
    """
    return requeue_mail(mail=_event_mail(event_id, mail_id))


def sender_configured() -> bool:
    """True when an SMTP server is set (``PODIUM_SMTP_HOST``), i.e. queued mail can leave."""
    return bool(current_app.config.get("SMTP_HOST"))


def queued_message(count: int) -> str:
    """What "send" tells the organizer, honest about whether mail can leave at all.

    Without an SMTP server the worker keeps every mail in the outbox (pretalx#692 was exactly
    this: "sent" mails that never left), so the message says so instead of "queued".
    """
    if sender_configured():
        return ngettext(
            "%(num)d mail(s) queued for sending.", "%(num)d mail(s) queued for sending.", count
        )
    return ngettext(
        "%(num)d mail(s) moved to the outbox queue, but no SMTP server is configured "
        "(PODIUM_SMTP_HOST): mail stays in the outbox until one is.",
        "%(num)d mail(s) moved to the outbox queue, but no SMTP server is configured "
        "(PODIUM_SMTP_HOST): mail stays in the outbox until one is.",
        count,
    )
