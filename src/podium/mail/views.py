"""The outbox in the browser.

``/mail/outbox`` is the whole outbox, for administrators: a developer without any mail server
can open a confirmation link from here. ``/orga/<slug>/mail/`` is one event's mail for its
organizers: held, queued, sent and failed, with edit/discard for held mail and "send all".
"""

from __future__ import annotations

import re

import nh3
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from podium.accounts.forms import EmptyForm
from podium.cfp.models import Submission
from podium.events.models import Event, SessionType, Track
from podium.extensions import db
from podium.i18n.locales import LANGUAGES
from podium.mail import compose, emails, queries, services
from podium.mail.enums import MailState, state_label, submission_state_label
from podium.mail.forms import ComposeForm, HeldMailForm, MailTextForm
from podium.mail.models import OutboxMail
from podium.mail.permissions import require_event_mail_reader, require_outbox_reader
from podium.mail.services import requeue_mail

bp = Blueprint("mail", __name__, template_folder="templates")

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


@bp.get("/mail/outbox")
def outbox():  # type: ignore[no-untyped-def]
    """Mails newest first, filterable by state, 50 per page (two queries)."""
    require_outbox_reader()
    state = request.args.get("state") or None
    if state is not None and state not in set(MailState):
        abort(400, _("state must be one of %(states)s", states=", ".join(MailState)))
    page = request.args.get("page", 1, type=int) or 1
    if not 1 <= page <= MAX_PAGE:
        abort(400, _("page must be between 1 and %(max)s", max=MAX_PAGE))
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


@bp.get("/mail/outbox/<int:mail_id>")
def outbox_mail(mail_id: int):  # type: ignore[no-untyped-def]
    """One mail: headers, delivery state, text part with clickable links, cleaned HTML part."""
    require_outbox_reader()

    mail = db.get_or_404(OutboxMail, mail_id, description=_("There is no mail %(id)s.", id=mail_id))
    return render_template(
        "mail/outbox_mail.html",
        mail=mail,
        text=linkify(mail.body_text),
        html=clean_mail_html(mail.body_html) if mail.body_html else None,
        form=EmptyForm(),
    )


@bp.post("/mail/outbox/<int:mail_id>/requeue")
def requeue(mail_id: int):  # type: ignore[no-untyped-def]
    """Queue a failed mail again (POST with CSRF)."""
    require_outbox_reader()

    mail = db.get_or_404(OutboxMail, mail_id, description=_("There is no mail %(id)s.", id=mail_id))
    if not EmptyForm().validate_on_submit():
        abort(400, _("The form expired; reload the page and try again."))
    if requeue_mail(mail=mail):
        flash(_("Mail %(id)s is queued again.", id=mail_id), "success")
    else:
        flash(
            _(
                "Mail %(id)s is %(state)s; only failed mail can be queued again.",
                id=mail_id,
                state=state_label(mail.state),
            ),
            "error",
        )
    return redirect(url_for("mail.outbox_mail", mail_id=mail_id))


# --- one event's mail, for its organizers ---------------------------------------------------


def _organized_event(slug: str) -> Event:
    """The event named in the URL (404 if unknown), after checking the user organizes it."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    require_event_mail_reader(event)
    return event


def _page_args() -> tuple[str | None, int]:
    state = request.args.get("state") or None
    if state is not None and state not in set(MailState):
        abort(400, _("state must be one of %(states)s", states=", ".join(MailState)))
    page = request.args.get("page", 1, type=int) or 1
    if not 1 <= page <= MAX_PAGE:
        abort(400, _("page must be between 1 and %(max)s", max=MAX_PAGE))
    return state, page


bp.add_app_template_global(state_label, "mail_state_label")
bp.add_app_template_global(submission_state_label, "mail_submission_state_label")


@bp.app_template_global("mail_dashboard_panel")
def mail_dashboard_panel(event: Event) -> dict[str, object]:
    """What the dashboard's mail panel shows (two queries, whatever the amount of mail).

    Returns:
        ``{"counts": {state: n}, "last_error": OutboxMail | None, "sender": bool,
        "waiting": int}`` where ``waiting`` counts held and queued mail.
    """
    counts = queries.event_state_counts(event.id)
    return {
        "counts": counts,
        "last_error": queries.last_event_error(event.id),
        "sender": services.sender_configured(),
        "waiting": counts.get(MailState.HELD, 0) + counts.get(MailState.QUEUED, 0),
    }


@bp.get("/orga/<slug>/mail/")
def event_outbox(slug: str):  # type: ignore[no-untyped-def]
    """The event's mails newest first, filterable by state, 50 per page (a fixed query count)."""
    event = _organized_event(slug)
    state, page = _page_args()
    mails = queries.event_mails(
        event.id, state=state, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE
    )
    return render_template(
        "mail/event_outbox.html",
        event=event,
        mails=mails[:PER_PAGE],
        has_next=len(mails) > PER_PAGE,
        page=page,
        state=state,
        states=list(MailState),
        panel=mail_dashboard_panel(event),
        form=EmptyForm(),
    )


def _render_event_mail(  # type: ignore[no-untyped-def]
    event: Event, mail: OutboxMail, edit: HeldMailForm | None, status: int = 200
):
    if edit is None and mail.state == MailState.HELD:
        body = (mail.context or {}).get("body", mail.body_text)
        edit = HeldMailForm(formdata=None, data={"subject": mail.subject, "body": body})
    return (
        render_template(
            "mail/event_mail.html",
            event=event,
            mail=mail,
            text=linkify(mail.body_text),
            html=clean_mail_html(mail.body_html) if mail.body_html else None,
            edit=edit,
            form=EmptyForm(),
            sender=services.sender_configured(),
        ),
        status,
    )


def _event_mail_or_404(event: Event, mail_id: int) -> OutboxMail:
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None or mail.event_id != event.id:
        abort(404, _("There is no mail %(id)s in this event.", id=mail_id))
    return mail


@bp.get("/orga/<slug>/mail/<int:mail_id>")
def event_mail(slug: str, mail_id: int):  # type: ignore[no-untyped-def]
    """One of the event's mails; a held one can be edited or discarded here."""
    event = _organized_event(slug)
    return _render_event_mail(event, _event_mail_or_404(event, mail_id), None)


@bp.post("/orga/<slug>/mail/<int:mail_id>")
def edit_event_mail(slug: str, mail_id: int):  # type: ignore[no-untyped-def]
    """Change a held mail's subject and text (400 with the form's errors when invalid)."""
    event = _organized_event(slug)
    mail = _event_mail_or_404(event, mail_id)
    form = HeldMailForm()
    if form.validate():
        try:
            services.edit_held_mail(
                event_id=event.id, mail_id=mail_id, subject=form.subject.data, body=form.body.data
            )
        except services.MailNotFound:
            abort(
                409,
                _(
                    "Mail %(id)s is %(state)s; only held mail can be changed.",
                    id=mail_id,
                    state=state_label(mail.state),
                ),
            )
        except services.MailEditError as error:
            getattr(form, error.field).errors = [str(error)]
        else:
            flash(_("Mail %(id)s was changed.", id=mail_id), "success")
            return redirect(url_for("mail.event_mail", slug=event.slug, mail_id=mail_id))
    return _render_event_mail(event, mail, form, 400)


@bp.post("/orga/<slug>/mail/<int:mail_id>/discard")
def discard_event_mail(slug: str, mail_id: int):  # type: ignore[no-untyped-def]
    """Delete a held mail so it is never sent."""
    event = _organized_event(slug)
    mail = _event_mail_or_404(event, mail_id)
    if not EmptyForm().validate_on_submit():
        abort(400, _("The form expired; reload the page and try again."))
    try:
        services.discard_held_mail(event_id=event.id, mail_id=mail_id)
    except services.MailNotFound:
        abort(
            409,
            _(
                "Mail %(id)s is %(state)s; only held mail can be discarded.",
                id=mail_id,
                state=state_label(mail.state),
            ),
        )
    flash(_("Mail %(id)s was discarded.", id=mail_id), "success")
    return redirect(url_for("mail.event_outbox", slug=event.slug, state="held"))


@bp.post("/orga/<slug>/mail/<int:mail_id>/requeue")
def requeue_event_mail(slug: str, mail_id: int):  # type: ignore[no-untyped-def]
    """Queue a failed mail of the event again."""
    event = _organized_event(slug)
    mail = _event_mail_or_404(event, mail_id)
    if not EmptyForm().validate_on_submit():
        abort(400, _("The form expired; reload the page and try again."))
    if services.requeue_event_mail(event_id=event.id, mail_id=mail_id):
        flash(_("Mail %(id)s is queued again.", id=mail_id), "success")
    else:
        flash(
            _(
                "Mail %(id)s is %(state)s; only failed mail can be queued again.",
                id=mail_id,
                state=state_label(mail.state),
            ),
            "error",
        )
    return redirect(url_for("mail.event_mail", slug=event.slug, mail_id=mail_id))


@bp.post("/orga/<slug>/mail/send")
def send_event_mails(slug: str):  # type: ignore[no-untyped-def]
    """Queue every held mail of the event; the message says if no SMTP server can send it."""
    event = _organized_event(slug)
    if not EmptyForm().validate_on_submit():
        abort(400, _("The form expired; reload the page and try again."))
    count = services.send_held_mails(event_id=event.id)
    flash(services.queued_message(count), "success" if services.sender_configured() else "warning")
    return redirect(url_for("mail.event_outbox", slug=event.slug))


# --- the event's mail texts ---------------------------------------------------------------------


def _text_language(event: Event) -> str:
    """The language of the texts being edited: ``?language=`` or the form's ``language``
    when the event may have texts in it, else the event's default language."""
    return emails.text_language(event, request.form.get("language") or request.args.get("language"))


def _text_forms(event: Event, language: str) -> dict[str, MailTextForm]:
    stored = emails.stored_texts(event.id, language)
    forms = {}
    for kind in emails.MAIL_TEXTS:
        subject, body = stored.get(kind) or emails.default_text(kind, language)
        forms[kind] = MailTextForm(
            prefix=kind, formdata=None, data={"subject": subject, "body": body}
        )
    return forms


def _render_texts(  # type: ignore[no-untyped-def]
    event: Event, forms: dict[str, MailTextForm], language: str, status: int = 200
):
    return (
        render_template(
            "mail/texts.html",
            event=event,
            texts=emails.MAIL_TEXTS,
            placeholders=emails.PLACEHOLDERS,
            customised=set(emails.stored_texts(event.id, language)),
            forms=forms,
            form=EmptyForm(),
            language=language,
            languages=[(code, LANGUAGES[code]) for code in emails.text_languages(event)],
        ),
        status,
    )


def _texts_url(event: Event, language: str, kind: str) -> str:
    default = emails.text_language(event)
    args = {} if language == default else {"language": language}
    return url_for("mail.mail_texts", slug=event.slug, **args) + f"#text-{kind}"


@bp.get("/orga/<slug>/mail/templates")
def mail_texts(slug: str):  # type: ignore[no-untyped-def]
    """Every mail the event sends, editable, with its placeholders and "reset to default",
    in one of the event's languages (``?language=``, default: the event's default)."""
    event = _organized_event(slug)
    language = _text_language(event)
    return _render_texts(event, _text_forms(event, language), language)


@bp.post("/orga/<slug>/mail/templates/<kind>")
def save_mail_text(slug: str, kind: str):  # type: ignore[no-untyped-def]
    """Store the event's text for ``kind``; an unknown placeholder is a form error naming it."""
    event = _organized_event(slug)
    if kind not in emails.MAIL_TEXTS:
        abort(404, _("There is no mail text %(kind)s.", kind=repr(kind)))
    language = _text_language(event)
    form = MailTextForm(prefix=kind)
    if form.validate():
        try:
            emails.save_event_text(
                event_id=event.id,
                kind=kind,
                subject=form.subject.data,
                body=form.body.data,
                language=language,
            )
        except emails.TextError as error:
            getattr(form, error.field).errors = [str(error)]
        else:
            flash(
                _("The %(text)s text was saved.", text=str(emails.MAIL_TEXTS[kind].label).lower()),
                "success",
            )
            return redirect(_texts_url(event, language, kind))
    forms = _text_forms(event, language)
    forms[kind] = form
    return _render_texts(event, forms, language, 400)


@bp.post("/orga/<slug>/mail/templates/<kind>/reset")
def reset_mail_text(slug: str, kind: str):  # type: ignore[no-untyped-def]
    """Go back to Podium's default text for ``kind``."""
    event = _organized_event(slug)
    if kind not in emails.MAIL_TEXTS:
        abort(404, _("There is no mail text %(kind)s.", kind=repr(kind)))
    if not EmptyForm().validate_on_submit():
        abort(400, _("The form expired; reload the page and try again."))
    language = _text_language(event)
    emails.reset_event_text(event_id=event.id, kind=kind, language=language)
    flash(
        _(
            "The %(text)s text is back to the default.",
            text=str(emails.MAIL_TEXTS[kind].label).lower(),
        ),
        "success",
    )
    return redirect(_texts_url(event, language, kind))


# --- writing to speakers --------------------------------------------------------------------

COMPOSE_START = _l("Dear {speaker_name},\n\n\n\nThank you,\nthe {event_name} team\n")


def _compose_form(event: Event, **kwargs: object) -> ComposeForm:
    """The compose form with the event's groups, tracks, session types and proposals (3 queries)."""
    form = ComposeForm(**kwargs)  # type: ignore[arg-type]
    form.group.choices = [(key, label) for key, (label, _) in compose.GROUPS.items()]
    tracks = db.session.scalars(
        select(Track).where(Track.event_id == event.id).order_by(Track.name)
    )
    form.track_id.choices = [(0, _("Any track"))] + [(t.id, t.name) for t in tracks]
    types = db.session.scalars(
        select(SessionType).where(SessionType.event_id == event.id).order_by(SessionType.name)
    )
    form.session_type_id.choices = [(0, _("Any session type"))] + [(t.id, t.name) for t in types]
    proposals = db.session.execute(
        select(Submission.id, Submission.title, Submission.state)
        .where(Submission.event_id == event.id, Submission.state != "draft")
        .order_by(Submission.title, Submission.id)
    )
    form.submission_ids.choices = [
        (i, f"{title} ({submission_state_label(state)})") for i, title, state in proposals
    ]
    return form


def _render_compose(  # type: ignore[no-untyped-def]
    event: Event, form: ComposeForm, previews: list[compose.SpeakerMail] | None, status: int = 200
):
    return (
        render_template(
            "mail/compose.html",
            event=event,
            form=form,
            previews=previews,
            placeholders={name: emails.PLACEHOLDERS[name] for name in compose.COMPOSE_PLACEHOLDERS},
        ),
        status,
    )


@bp.get("/orga/<slug>/mail/compose")
def compose_mail(slug: str):  # type: ignore[no-untyped-def]
    """Write to a group of speakers; ``?text=reminder`` starts from the event's reminder text."""
    event = _organized_event(slug)
    # A new text starts in the event's default language, the language of its mails.
    with force_locale(emails.text_language(event)):
        start = str(COMPOSE_START)
    data: dict[str, object] = {"group": "accepted", "subject": "", "body": start}
    if request.args.get("text") == "reminder":
        subject, body = emails.event_text(event.id, "reminder")
        data = {"group": "unconfirmed", "subject": subject, "body": body}
    return _render_compose(event, _compose_form(event, formdata=None, data=data), None)


@bp.post("/orga/<slug>/mail/compose")
def compose_mail_post(slug: str):  # type: ignore[no-untyped-def]
    """ "Preview" renders each recipient's mail; "Hold" puts them in the outbox as held."""
    event = _organized_event(slug)
    form = _compose_form(event)
    if not form.validate():
        return _render_compose(event, form, None, 400)
    audience = compose.Audience(
        group=form.group.data,
        track_id=form.track_id.data or None,
        session_type_id=form.session_type_id.data or None,
        submission_ids=tuple(form.submission_ids.data or ()),
    )
    try:
        if request.form.get("action") == "hold":
            held = compose.hold_mail_to_speakers(
                event=event, audience=audience, subject=form.subject.data, body=form.body.data
            )
        else:
            previews = compose.render_speaker_mails(
                event=event, audience=audience, subject=form.subject.data, body=form.body.data
            )
            return _render_compose(event, form, previews)
    except emails.TextError as error:
        getattr(form, error.field).errors = [str(error)]
        return _render_compose(event, form, None, 400)
    if not held:
        form.group.errors = [_("Nobody in this group has an e-mail address; no mail was held.")]
        return _render_compose(event, form, [], 400)
    flash(
        ngettext(
            "%(num)d mail(s) held in the outbox: check them, then send them.",
            "%(num)d mail(s) held in the outbox: check them, then send them.",
            held,
        ),
        "success",
    )
    return redirect(url_for("mail.event_outbox", slug=event.slug, state="held"))


# --- after a schedule release ------------------------------------------------------------------


@bp.get("/orga/<slug>/mail/schedule-changes")
def schedule_notices(slug: str):  # type: ignore[no-untyped-def]
    """The latest release's moved sessions and the notices their speakers would get."""
    event = _organized_event(slug)
    release = compose.latest_release(event)
    return render_template(
        "mail/schedule_notices.html",
        event=event,
        release=release,
        changes=compose.release_changes(release, event.time_zone) if release else [],
        previews=compose.render_schedule_notices(event=event, release=release) if release else [],
        already=compose.notices_held_for(event, release.version) if release else 0,
        form=EmptyForm(),
    )


@bp.post("/orga/<slug>/mail/schedule-changes")
def hold_schedule_notices(slug: str):  # type: ignore[no-untyped-def]
    """Hold the schedule-change notices of the latest release for checking in the outbox."""
    event = _organized_event(slug)
    if not EmptyForm().validate_on_submit():
        abort(400, _("The form expired; reload the page and try again."))
    held = compose.hold_schedule_notices(event=event)
    if not held:
        flash(_("No notice was held: nothing moved, or this release's notices exist."), "error")
        return redirect(url_for("mail.schedule_notices", slug=event.slug))
    flash(
        ngettext(
            "%(num)d schedule-change notice(s) held in the outbox: check them, then send them.",
            "%(num)d schedule-change notice(s) held in the outbox: check them, then send them.",
            held,
        ),
        "success",
    )
    return redirect(url_for("mail.event_outbox", slug=event.slug, state="held"))
