"""The outbox in the browser, for administrators: a developer without any mail server can
open a confirmation link from here."""

from __future__ import annotations

import re

import nh3
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from podium.extensions import db
from podium.mail import queries
from podium.mail.enums import MailState
from podium.mail.models import OutboxMail
from podium.mail.permissions import require_outbox_reader
from podium.mail.services import requeue_mail

bp = Blueprint("mail", __name__, url_prefix="/mail", template_folder="templates")

PER_PAGE = 50
MAX_PAGE = 1_000_000  # keeps the OFFSET within what the database accepts
_URL = re.compile(r"https?://[^\s<>\"']+")
_MAIL_TAGS = {"p", "br", "a", "strong", "em", "ul", "ol", "li", "h1", "h2", "h3", "blockquote"}


def linkify(text: str) -> Markup:
    """Escape plain ``text`` and turn its http(s) URLs into links."""
    escaped = str(escape(text))
    return Markup(  # noqa: S704  input escaped above; only our own <a> tags are added
        _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    )


def clean_mail_html(html: str) -> Markup:
    """The mail's HTML part reduced to text formatting and links (no style, no script)."""
    cleaned = nh3.clean(
        html, tags=_MAIL_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"}
    )
    return Markup(cleaned)  # noqa: S704  output of nh3.clean


@bp.before_request
def _only_admins() -> None:
    require_outbox_reader()


@bp.get("/outbox")
def outbox():  # type: ignore[no-untyped-def]
    """Mails newest first, filterable by state, 50 per page (two queries)."""
    state = request.args.get("state") or None
    if state is not None and state not in set(MailState):
        abort(400, f"state must be one of {', '.join(MailState)}")
    page = request.args.get("page", 1, type=int) or 1
    if not 1 <= page <= MAX_PAGE:
        abort(400, f"page must be between 1 and {MAX_PAGE}")
    mails = queries.latest_mails(state=state, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
    return render_template(
        "mail/outbox.html",
        mails=mails[:PER_PAGE],
        has_next=len(mails) > PER_PAGE,
        page=page,
        state=state,
        states=list(MailState),
        counts=queries.state_counts(),
    )


@bp.get("/outbox/<int:mail_id>")
def outbox_mail(mail_id: int):  # type: ignore[no-untyped-def]
    """One mail: headers, delivery state, text part with clickable links, cleaned HTML part."""
    from podium.accounts.forms import EmptyForm

    mail = db.get_or_404(OutboxMail, mail_id, description=f"There is no mail {mail_id}.")
    return render_template(
        "mail/outbox_mail.html",
        mail=mail,
        text=linkify(mail.body_text),
        html=clean_mail_html(mail.body_html) if mail.body_html else None,
        form=EmptyForm(),
    )


@bp.post("/outbox/<int:mail_id>/requeue")
def requeue(mail_id: int):  # type: ignore[no-untyped-def]
    """Queue a failed mail again (POST with CSRF)."""
    from podium.accounts.forms import EmptyForm

    mail = db.get_or_404(OutboxMail, mail_id, description=f"There is no mail {mail_id}.")
    if not EmptyForm().validate_on_submit():
        abort(400, "The form expired; reload the page and try again.")
    if requeue_mail(mail=mail):
        flash(f"Mail {mail_id} is queued again.", "success")
    else:
        flash(f"Mail {mail_id} is {mail.state}; only failed mail can be queued again.", "error")
    return redirect(url_for("mail.outbox_mail", mail_id=mail_id))
