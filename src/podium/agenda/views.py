"""Personal agenda pages, the agenda feed, and the embeddable schedule widget.

Stars of account holders are plain POST forms with CSRF (the program pages' star buttons
submit the layout's ``agenda-stars`` form; agenda.js sends the same form with ``fetch``).
Browser-only stars live in ``localStorage`` (agenda.js) and reach the server only as the
``?s=`` list of the anonymous "My agenda" page, or merged into the account at log-in.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from podium.agenda import permissions, queries, services
from podium.agenda.forms import WidgetSettingsForm
from podium.agenda.personal import build_agenda, feed_sessions
from podium.agenda.stars import stars_tag
from podium.agenda.widget import WidgetOptions, widget_csp, widget_options
from podium.events import queries as event_queries
from podium.events.models import Event
from podium.exchange.ical import PRODID, write_ical
from podium.i18n.dates import current_language, format_wall
from podium.program import queries as program_queries
from podium.program import timezones
from podium.program.http import accepts_gzip, body_response, cached_body, is_fresh, variant_tag
from podium.program.queries import ProgramHead
from podium.program.timeline import day_grid, local_range, local_when

bp = Blueprint("agenda", __name__, template_folder="templates")

ICAL_TYPE = "text/calendar; charset=utf-8"
PRIVATE_CACHE_CONTROL = "private, no-cache"
WIDGET_CACHE_CONTROL = "public, no-cache"
WIDGET_JS_CACHE_CONTROL = "public, max-age=300"
MAX_BROWSER_STARS = 300  # guids in an anonymous agenda's ?s= (about 11 kB of URL)


# --------------------------------------------------------------------------- My agenda


@bp.get("/<slug>/agenda/")
def my_agenda(slug: str) -> Any:
    """The viewer's starred sessions in time order (``?tz=`` zone), overlaps and the latest
    release's changes marked. Account holders see their stored stars; anonymous visitors the
    ``?s=`` guids agenda.js sends from the browser's storage."""
    return _agenda_page(slug)


@bp.post("/<slug>/agenda/star")
def star(slug: str) -> Any:
    """Star (field ``star``) or unstar (field ``unstar``) one session, given by guid.

    Answers JSON ``{"guid": ..., "starred": bool}`` to ``Accept: application/json``, else
    redirects to the form's ``next`` page. 404 for a guid the published program lacks.
    """
    wants_json = _wants_json()
    permissions.require_account(json=wants_json)
    event, head = _event_and_head(slug)
    guid = request.form.get("star") or request.form.get("unstar") or ""
    starring = "star" in request.form
    if starring:
        if (
            head.release_id is None
            or guid not in program_queries.program_data(head).sessions_by_guid
        ):
            abort(404, description=_("There is no such session in the published schedule."))
        try:
            services.star_session(user=current_user, event=event, guid=guid)
        except services.AgendaError as error:
            abort(400, description=str(error))
    elif guid:
        services.unstar_session(user=current_user, event=event, guid=guid)
    else:
        abort(
            400,
            description=_("Say which session to star (field star) or unstar (field unstar)."),
        )
    if wants_json:
        return jsonify(guid=guid, starred=starring)
    return redirect(_safe_next(request.form.get("next"), slug), 303)


@bp.post("/<slug>/agenda/merge")
def merge(slug: str) -> Any:
    """Add the browser's stars (JSON ``{"guids": [...]}``) to the account's; answers
    ``{"starred": [...]}`` (all stored guids, sorted). Guids not in the program are ignored."""
    permissions.require_account(json=True)
    event, head = _event_and_head(slug)
    payload = request.get_json(silent=True)
    guids = payload.get("guids") if isinstance(payload, dict) else None
    if not isinstance(guids, list) or not all(isinstance(g, str) for g in guids):
        abort(
            make_response(jsonify(error='Send JSON like {"guids": ["<session guid>", ...]}.'), 400)
        )
    known = program_queries.program_data(head).sessions_by_guid if head.release_id else {}
    starred = services.merge_stars(
        user=current_user, event=event, guids=[g for g in guids if g in known]
    )
    return jsonify(starred=sorted(starred))


@bp.post("/<slug>/agenda/feed")
def regenerate_feed(slug: str) -> Any:
    """Make a new secret feed address (revoking the old one) and show it once."""
    permissions.require_account()
    event, _head = _event_and_head(slug)
    token = services.regenerate_feed(user=current_user, event=event)
    return _agenda_page(
        slug, feed_url=url_for("agenda.feed", slug=slug, token=token, _external=True)
    )


@bp.post("/<slug>/agenda/feed/revoke")
def revoke_feed(slug: str) -> Any:
    """Stop the feed address from working."""
    permissions.require_account()
    event, _head = _event_and_head(slug)
    services.revoke_feed(user=current_user, event=event)
    flash(_("Your agenda feed address no longer works."), "success")
    return redirect(url_for("agenda.my_agenda", slug=slug), 303)


@bp.get("/<slug>/agenda/feed/<token>.ics")
def feed(slug: str, token: str) -> Response:
    """The feed owner's starred sessions of the latest release as iCalendar (UTC times);
    canceled sessions are left out. 404 for an unknown or revoked token."""
    owner = queries.feed_owner(token)
    if owner is None or owner[1].slug != slug or not permissions.can_see_event(*owner):
        abort(404, description=_("This feed address does not exist or was revoked."))
    user, event = owner
    head = program_queries.program_head(slug)
    assert head is not None  # the event exists
    starred = queries.starred_guids(user.id, event.id)
    etag = f"{head.release_key}-feed-{stars_tag(starred)}"
    # ETag only: a star added since the client's copy changes the feed, not the release date.
    if is_fresh(etag, None):
        response = Response(status=304)
    else:
        program = program_queries.program_data(head) if head.release_id else None
        sessions = feed_sessions(program, starred) if program else []
        data = program.data if program else None
        body = (
            write_ical(
                data, sessions=sessions, name=f"My agenda ({event.name})", stamp=head.published_at
            )
            if data
            else _empty_calendar()
        )
        response = Response(body, content_type=ICAL_TYPE)
        response.headers["Content-Disposition"] = f'inline; filename="{event.slug}-agenda.ics"'
    response.set_etag(etag)
    response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


# --------------------------------------------------------------------------- widget


@bp.get("/<slug>/widget")
def widget(slug: str) -> Any:
    """The embeddable schedule (``?view=list|grid&day=&track=&tz=``), framable only by the
    event's allowed origins; the body is cached per release and variant."""
    head = _public_head(slug)
    options = _widget_options(head)
    gzipped = accepts_gzip()
    origins = queries.widget_origins(head.event_id)
    # One cached copy per interface language (labels and dates are translated).
    key = (*options.key(), current_language())
    etag = f"{head.release_key}-widget-{variant_tag(key)}" + ("-gz" if gzipped else "")
    if is_fresh(etag, head.published_at):
        response = Response(status=304)
    else:
        body = cached_body(
            (head.release_key, "widget", *key),
            lambda: _render_widget(head, options).encode("utf-8"),
            gzipped,
        )
        response = body_response(body, mimetype="text/html")
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    response.vary.add("Accept-Encoding")
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    if head.published_at is not None:
        response.last_modified = head.published_at
    response.headers["Cache-Control"] = WIDGET_CACHE_CONTROL
    response.headers["Content-Security-Policy"] = widget_csp(origins)
    return response


@bp.get("/<slug>/widget.js")
def widget_js(slug: str) -> Any:
    """The embedding script: turns its own ``<script data-view=... data-day=...
    data-track=...>`` tag into an iframe of the widget in the visitor's time zone."""
    head = _public_head(slug)
    body = render_template(
        "agenda/widget.js",
        widget_url=url_for("agenda.widget", slug=head.slug, _external=True),
        origin=request.host_url.rstrip("/"),
    ).encode("utf-8")
    etag = variant_tag((body,))
    if is_fresh(etag, None):
        response = Response(status=304)
    else:
        response = Response(body, content_type="text/javascript; charset=utf-8")
    response.set_etag(etag)
    response.headers["Cache-Control"] = WIDGET_JS_CACHE_CONTROL
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/orga/<slug>/widget", methods=["GET", "POST"])
def widget_settings(slug: str) -> Any:
    """Organizers set which sites may frame the widget, and copy the embedding code."""
    event = event_queries.event_by_slug(slug)
    if event is None:
        abort(404)
    permissions.require_widget_organizer(event)
    form = WidgetSettingsForm()
    if request.method == "GET":
        form.origins.data = "\n".join(queries.widget_origins(event.id))
    if form.validate_on_submit():
        try:
            services.set_widget_origins(event=event, text=form.origins.data or "")
        except services.AgendaError as error:
            form.origins.errors = [str(error)]
        else:
            flash(_("Widget settings saved."), "success")
            return redirect(url_for("agenda.widget_settings", slug=slug), 303)
    status = 400 if request.method == "POST" else 200
    return (
        render_template(
            "agenda/widget_settings.html",
            form=form,
            event=event,
            script_url=url_for("agenda.widget_js", slug=slug, _external=True),
            frame_url=url_for("agenda.widget", slug=slug, _external=True),
        ),
        status,
    )


# --------------------------------------------------------------------------- helpers


def _agenda_page(slug: str, feed_url: str | None = None) -> Any:
    event, head = _event_and_head(slug)
    tz_name, visitor = _tz(head)
    zone = timezones.zone_info(tz_name)
    account = current_user.is_authenticated
    if account:
        starred: frozenset[str] = queries.starred_guids(current_user.id, event.id)
    else:
        raw = request.args.get("s", "")
        starred = frozenset(g for g in raw.split(",")[:MAX_BROWSER_STARS] if g)
    program = program_queries.program_data(head) if head.release_id else None
    changelog = queries.release_changelog(head.release_id) if head.release_id and starred else {}
    entries = build_agenda(program, starred, changelog) if program else []
    html = render_template(
        "agenda/my_agenda.html",
        event=event,
        head=head,
        program=program,
        entries=entries,
        account=account,
        has_feed=account and queries.has_feed(current_user.id, event.id),
        feed_url=feed_url,
        browser_list=",".join(sorted(starred)) if not account else "",
        tz=tz_name,
        tz_arg=tz_name if visitor else None,
        visitor_tz=visitor,
        event_tz=head.time_zone,
        tz_keep={"s": request.args["s"]} if not account and request.args.get("s") else {},
        local_when=lambda a, b: local_when(a, b, zone),
        local_start=lambda a: format_wall(a.astimezone(zone), "day_time"),
    )
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def _event_and_head(slug: str) -> tuple[Event, ProgramHead]:
    event = permissions.require_visible(event_queries.event_by_slug(slug))
    head = program_queries.program_head(slug)
    assert head is not None  # the event exists
    return event, head


def _public_head(slug: str) -> ProgramHead:
    """The head of a public event (the widget is for public programs only), else 404."""
    head = program_queries.program_head(slug)
    if head is None or not head.is_public:
        abort(404, description=_("There is no event %(slug)s.", slug=repr(slug)))
    return head


def _tz(head: ProgramHead) -> tuple[str, bool]:
    try:
        return timezones.resolve(request.args.get("tz"), head.time_zone)
    except timezones.UnknownTimeZone as exc:
        abort(400, description=str(exc))


def _widget_options(head: ProgramHead) -> WidgetOptions:
    tz_name, _visitor = _tz(head)
    try:
        return widget_options(request.args, tz_name)
    except ValueError as exc:
        abort(400, description=str(exc))


def _render_widget(head: ProgramHead, options: WidgetOptions) -> str:
    if head.release_id is None:
        return render_template("agenda/widget.html", head=head, program=None, options=options)
    program = program_queries.program_data(head)
    zone = timezones.zone_info(options.tz)
    if options.track and options.track not in {s.track for s in program.sessions_by_guid.values()}:
        abort(
            404,
            description=_("The schedule has no track %(track)s.", track=repr(options.track[:80])),
        )
    days = program.days
    if options.day is not None:
        days = [d for d in program.days if d.date == options.day]
        if not days:
            abort(
                404,
                description=_("The schedule has no day %(day)s.", day=options.day.isoformat()),
            )
    grid_day = days[0] if options.view == "grid" and days else None
    return render_template(
        "agenda/widget.html",
        head=head,
        program=program,
        options=options,
        days=days,
        grid=day_grid(program, grid_day, zone) if grid_day else None,
        grid_day=grid_day,
        local_range=lambda a, b, day=None: local_range(a, b, zone, day),
        session_url=lambda guid: url_for(
            "program.session",
            slug=head.slug,
            guid=guid,
            tz=options.tz if options.tz != head.time_zone else None,
            _external=True,
        ),
    )


def _empty_calendar() -> bytes:
    """A valid calendar without events: the feed of an event that has published nothing yet,
    so a calendar app that subscribed early keeps its subscription."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "END:VCALENDAR"]
    return ("\r\n".join(lines) + "\r\n").encode()


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes["application/json"] > 0


def _safe_next(target: str | None, slug: str) -> str:
    """A same-site path to go back to after starring, else the agenda page."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return quote(target, safe="/?=&%:+,;@-._~")
    return url_for("agenda.my_agenda", slug=slug)
