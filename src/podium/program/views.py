"""The public program: event page, schedule grid and list, sessions, speakers, search,
releases and the exports. No login, no JavaScript needed.

Everything renders from the latest release's snapshot, never from live slots, so a page or an
export is cached per release (see :mod:`podium.program.cache`) and revalidated with ETag /
Last-Modified. A cached request runs one SQL query: the event and its latest release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from podium.agenda import queries as agenda_queries
from podium.agenda.stars import STAR_VIEWS, mark_stars, stars_tag
from podium.events.languages import language_name, primary_code
from podium.events.permissions import is_organizer
from podium.exchange.frab_xml import write_frab_xml
from podium.exchange.ical import write_ical_person, write_ical_program, write_ical_session
from podium.exchange.schedule_json import write_schedule_json
from podium.exchange.schedule_v2 import write_schedule_v2
from podium.i18n.dates import current_language, format_wall
from podium.program import queries, timezones
from podium.program.cache import caches
from podium.program.http import (
    accepts_gzip,
    body_response,
    cached_body,
    gzip_body,
    is_fresh,
    variant_tag,
)
from podium.program.queries import ProgramHead
from podium.program.response_cache import mark_shareable
from podium.program.richtext import render_rich_text
from podium.program.timeline import (
    ProgramData,
    day_grid,
    local_range,
    local_when,
    speaker_ref,
)
from podium.program.timeline import track_css as timeline_track_css
from podium.text import render_markdown

bp = Blueprint("program", __name__, template_folder="templates")

# The same page for every anonymous visitor: a shared cache (the compose stack's proxy) may keep
# it too; browsers still revalidate every time (so a new release shows at once).
ANONYMOUS_HTML_CACHE_CONTROL = "public, no-cache"
EXPORT_CACHE_CONTROL = "public, max-age=60"
# A private event's program (its organizers check it before opening it), a page rendered for
# a logged-in user or with a flash message: browsers may keep and revalidate it, shared caches
# (a reverse proxy, a CDN) must never store it.
PRIVATE_CACHE_CONTROL = "private, no-cache"
MAX_QUERY_LENGTH = 200
ICAL_TYPE = "text/calendar; charset=utf-8"


@bp.get("/<slug>/")
def event(slug: str) -> Any:
    """The event page: dates, zone, description, links into the program and exports."""
    head = _head(slug)
    event_row = queries.event_row(head.event_id)
    program = queries.program_data(head) if head.release_id is not None else None
    response = Response(
        render_template(
            "program/event.html",
            head=head,
            event=event_row,
            program=program,
            description=Markup(render_markdown(event_row.description or "")) if event_row else "",  # noqa: S704  nh3-cleaned
        ),
        mimetype="text/html",
    )
    response.headers["Cache-Control"] = _html_cache_control(head)
    return response


@bp.get("/<slug>/schedule/")
def schedule(slug: str) -> Any:
    """One conference day as a grid: rooms as columns, time down the side (``?day=``)."""
    head = _head(slug)
    tz_name, visitor = _tz(head)
    day_param = request.args.get("day", "")
    language = _language()

    def build(program: ProgramData) -> tuple[str, str]:
        day = _day_or_404(program, day_param)
        _language_or_404(program, language)
        zone = timezones.zone_info(tz_name)
        grid = day_grid(program, day, zone, language or None) if day else None
        keep = {"day": day_param} if day_param else {}
        keep |= {"language": language} if language else {}
        html = render_template(
            "program/schedule.html",
            **_common(head, program, tz_name, visitor, keep or None),
            day=day,
            grid=grid,
            language=language,
        )
        title = (
            _("Schedule, %(day)s", day=format_wall(day.date, "day_month")) if day else _("Schedule")
        )
        return title, html

    return _page(head, "schedule", (tz_name, day_param, language), build)


@bp.get("/<slug>/schedule/list")
def schedule_list(slug: str) -> Any:
    """Every session as a list, grouped by conference day; ``?language=de`` keeps the
    sessions held in that language (404 for a language no session of the release is in)."""
    head = _head(slug)
    tz_name, visitor = _tz(head)
    language = _language()

    def build(program: ProgramData) -> tuple[str, str]:
        _language_or_404(program, language)
        keep = {"language": language} if language else None
        html = render_template(
            "program/schedule_list.html",
            **_common(head, program, tz_name, visitor, keep),
            language=language,
        )
        if language:
            return _("Schedule (list), %(language)s", language=language_name(language)), html
        return _("Schedule (list)"), html

    return _page(head, "list", (tz_name, language), build)


@bp.get("/<slug>/sessions/<guid>", endpoint="session")
def session_page(slug: str, guid: str) -> Any:
    """One session: when (in the chosen zone), where, who, abstract and description."""
    if guid.endswith(".ics"):
        return session_ics(slug, guid[: -len(".ics")])
    head = _head(slug)
    tz_name, visitor = _tz(head)

    def build(program: ProgramData) -> tuple[str, str]:
        item = program.sessions_by_guid.get(guid)
        if item is None:
            abort(404, description=_("There is no such session in the published schedule."))
        html = render_template(
            "program/session.html",
            **_common(head, program, tz_name, visitor),
            item=item,
            day=program.data.day_of(item),
            abstract=_markdown(item.abstract),
            description=_markdown(item.description),
        )
        return item.title, html

    return _page(head, "session", (tz_name, guid), build)


@bp.get("/<slug>/speakers/")
def speakers(slug: str) -> Any:
    """The speakers of the latest release with their sessions; ``?q=`` keeps the speakers
    whose name has words starting with every query word (case- and accent-insensitive)."""
    head = _head(slug)
    tz_name, visitor = _tz(head)
    query = _query()

    def build(program: ProgramData) -> tuple[str, str]:
        html = render_template(
            "program/speakers.html",
            **_common(head, program, tz_name, visitor),
            query=query,
            entries=program.speaker_list(query),
            total=len(program.speaker_list()),
        )
        return (_("Speakers: %(query)s", query=query) if query else _("Speakers")), html

    return _page(head, "speakers", (tz_name, query), build)


@bp.get("/<slug>/speakers/<ref>")
def speaker(slug: str, ref: str) -> Any:
    """One speaker: biography and their sessions."""
    if ref.endswith(".ics"):
        return speaker_ics(slug, ref[: -len(".ics")])
    head = _head(slug)
    tz_name, visitor = _tz(head)

    def build(program: ProgramData) -> tuple[str, str]:
        person = program.speakers.get(ref)
        if person is None:
            abort(404, description=_("There is no such speaker in the published schedule."))
        html = render_template(
            "program/speaker.html",
            **_common(head, program, tz_name, visitor),
            person=person,
            biography=_markdown(person.biography),
            items=program.speaker_sessions.get(ref, []),
        )
        return person.name, html

    return _page(head, "speaker", (tz_name, ref), build)


@bp.get("/<slug>/search")
def search(slug: str) -> Any:
    """Sessions whose title, track or speakers have words starting with every word of ``?q=``
    (case- and accent-insensitive)."""
    head = _head(slug)
    tz_name, visitor = _tz(head)
    query = _query()

    def build(program: ProgramData) -> tuple[str, str]:
        html = render_template(
            "program/search.html",
            **_common(head, program, tz_name, visitor),
            query=query,
            results=program.search(query),
        )
        return (_("Search: %(query)s", query=query) if query else _("Search")), html

    return _page(head, "search", (tz_name, query), build)


@bp.get("/<slug>/releases/")
def releases(slug: str) -> Any:
    """Every published release with its changelog, newest first (cached per latest release:
    releases never change, and a new one changes the cache key)."""
    head = _head(slug)

    def build(program: ProgramData) -> tuple[str, str]:
        html = render_template(
            "program/releases.html",
            head=head,
            event=head,
            tz_arg=None,
            releases=queries.releases_of(head.event_id),
        )
        return _("Releases"), html

    return _page(head, "releases", (), build)


# --------------------------------------------------------------------------- exports


@bp.get("/<slug>/schedule.xml")
def export_xml(slug: str) -> Response:
    """frab/pentabarf schedule.xml of the latest release (c3voc XSD valid)."""
    return _export(
        _head(slug),
        ("xml",),
        lambda p: write_frab_xml(p.data, generator_version=_version()),
        "application/xml; charset=utf-8",
        "schedule.xml",
    )


@bp.get("/<slug>/schedule.json")
def export_json(slug: str) -> Response:
    """Schedule JSON (frab/pretalx shape, schema 1) of the latest release."""
    return _export(
        _head(slug),
        ("json",),
        lambda p: write_schedule_json(p.data, generator_version=_version()),
        "application/json",
        "schedule.json",
    )


@bp.get("/<slug>/schedule-v2.json")
def export_json_v2(slug: str) -> Response:
    """c3voc schedule JSON version 2 (flat events list, schema2) of the latest release."""
    return _export(
        _head(slug),
        ("json-v2",),
        lambda p: write_schedule_v2(p.data, generator_version=_version()),
        "application/json",
        "schedule-v2.json",
    )


@bp.get("/<slug>/schedule.ics")
def export_ics(slug: str) -> Response:
    """The whole program as iCalendar (UTC times)."""
    head = _head(slug)
    return _export(
        head,
        ("ics",),
        lambda p: write_ical_program(p.data, stamp=head.published_at),
        ICAL_TYPE,
        f"{head.slug}.ics",
    )


@bp.get("/<slug>/tracks.css")
def track_css(slug: str) -> Response:
    """The latest release's track colours as CSS (custom properties per track class); pages
    link it with the release in the URL, so a new release is never shown old colours."""
    return _export(
        _head(slug),
        ("css",),
        lambda p: timeline_track_css(p).encode(),
        "text/css; charset=utf-8",
        "tracks.css",
    )


def session_ics(slug: str, guid: str) -> Response:
    """One session as iCalendar (served for ``/<slug>/sessions/<guid>.ics``)."""
    head = _head(slug)

    def build(program: ProgramData) -> bytes:
        if guid not in program.sessions_by_guid:
            abort(404, description=_("There is no such session in the published schedule."))
        return write_ical_session(program.data, guid, stamp=head.published_at)

    return _export(head, ("ics-session", guid), build, ICAL_TYPE, f"{guid}.ics")


def speaker_ics(slug: str, ref: str) -> Response:
    """One speaker's sessions as iCalendar (served for ``/<slug>/speakers/<id>.ics``)."""
    head = _head(slug)

    def build(program: ProgramData) -> bytes:
        person = program.speakers.get(ref)
        if person is None:
            abort(404, description=_("There is no such speaker in the published schedule."))
        return write_ical_person(program.data, person, stamp=head.published_at)

    return _export(head, ("ics-speaker", ref), build, ICAL_TYPE, f"{ref}.ics")


# --------------------------------------------------------------------------- helpers


def _head(slug: str) -> ProgramHead:
    head = queries.program_head(slug)
    if head is None:
        abort(404, description=_("There is no event %(slug)s.", slug=repr(slug)))
    # A private event's program is visible to its organizers only (to check it before
    # opening it); everyone else must not learn that it exists.
    if not head.is_public and not is_organizer(current_user, queries.event_row(head.event_id)):
        abort(404, description=_("There is no event %(slug)s.", slug=repr(slug)))
    return head


def _query() -> str:
    """The ``q`` argument, stripped; 400 when longer than ``MAX_QUERY_LENGTH``."""
    query = request.args.get("q", "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        abort(
            400,
            description=_(
                "The q parameter is longer than %(max)s characters.", max=MAX_QUERY_LENGTH
            ),
        )
    return query


def _language() -> str:
    """The ``language`` argument as a primary language code ("de"), or "" when absent;
    400 for something that is no language code."""
    raw = request.args.get("language", "").strip()
    code = primary_code(raw)
    if raw and not (code.isascii() and code.isalpha() and 2 <= len(code) <= 3):
        abort(
            400,
            description=_(
                "The language parameter %(value)s is not a language code like de or fr.",
                value=repr(raw[:20]),
            ),
        )
    return code


def _language_or_404(program: ProgramData, language: str) -> None:
    if language and language not in program.languages():
        abort(
            404,
            description=_(
                "No session of the published schedule is held in the language “%(code)s”.",
                code=language,
            ),
        )


def _tz(head: ProgramHead) -> tuple[str, bool]:
    try:
        return timezones.resolve(request.args.get("tz"), head.time_zone)
    except timezones.UnknownTimeZone as exc:
        abort(400, description=str(exc))


def _common(
    head: ProgramHead,
    program: ProgramData,
    tz_name: str,
    visitor: bool,
    keep: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Template values every program page uses; ``keep`` are query arguments the time zone
    form must carry along (only ones that are part of the cache key)."""
    zone = timezones.zone_info(tz_name)
    tz_arg = tz_name if visitor else None
    return {
        "head": head,
        "program": program,
        "tz": tz_name,
        "tz_arg": tz_arg,
        "visitor_tz": visitor,
        "event_tz": program.time_zone,
        "zone": zone,
        "local_range": lambda a, b, day=None: local_range(a, b, zone, day),
        "local_when": lambda a, b: local_when(a, b, zone),
        "speaker_ref": speaker_ref,
        "tz_keep": keep or {},
        "language_name": language_name,
    }


def _day_or_404(program: ProgramData, raw: str) -> Any:
    if not raw:
        return program.day(None)
    try:
        wanted = dt.date.fromisoformat(raw)
    except ValueError:
        abort(
            400,
            description=_(
                "The day parameter %(value)s is not a date like 2025-02-01.", value=repr(raw[:20])
            ),
        )
    day = program.day(wanted)
    if day is None:
        abort(404, description=_("The schedule has no day %(day)s.", day=wanted.isoformat()))
    return day


def _markdown(text: str) -> Markup:
    return render_rich_text(text)


def _html_cache_control(head: ProgramHead) -> str:
    """Shared caches may keep a page only of a public event, rendered for nobody in particular."""
    shared = head.is_public and not current_user.is_authenticated and "_flashes" not in session
    return ANONYMOUS_HTML_CACHE_CONTROL if shared else PRIVATE_CACHE_CONTROL


def _not_modified(etag: str, head: ProgramHead, cache_control: str) -> Response:
    response = Response(status=304)
    _validators(response, etag, head, cache_control)
    return response


def _validators(
    response: Response, etag: str, head: ProgramHead, cache_control: str, gzipped: bool = False
) -> None:
    response.set_etag(etag)
    response.vary.add("Accept-Encoding")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    if head.published_at is not None:
        response.last_modified = head.published_at
    response.headers["Cache-Control"] = cache_control


def _page(
    head: ProgramHead,
    view: str,
    variant: tuple[Any, ...],
    build: Callable[[ProgramData], tuple[str, str]],
) -> Any:
    """Serve a cached HTML page of the latest release.

    Anonymous visitors without pending flash messages get the whole page from the cache;
    logged-in users get the cached program fragment inside a freshly rendered layout (their
    name and a CSRF token must never be cached). The ETag covers the user and the sessions
    they starred, so logging in or out, or starring, never revalidates a page rendered for
    someone else or before.
    """
    if head.release_id is None:
        unpublished = Response(
            render_template("program/unpublished.html", head=head, event=head), mimetype="text/html"
        )
        unpublished.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return unpublished
    anonymous = not current_user.is_authenticated
    user_part = "anon" if anonymous else f"u{current_user.get_id()}"
    # Pages differ by interface language (labels, dates); one cached copy per language.
    variant = (*variant, current_language())
    # Stars: static hidden buttons for anonymous visitors (one cached page for all of them);
    # a logged-in user's page is rendered for them anyway, so one small query marks theirs.
    stars = view in STAR_VIEWS
    starred = None
    if stars and not anonymous:
        starred = agenda_queries.starred_guids(current_user.id, head.event_id)
        user_part += f"-{stars_tag(starred)}"
    gzipped = accepts_gzip()
    etag = f"{head.release_key}-{view}-{variant_tag((*variant, user_part))}"
    etag += "-gz" if gzipped else ""
    flashes = "_flashes" in session
    cache_control = _html_cache_control(head)
    mark_shareable()
    if not flashes and is_fresh(etag, head.published_at):
        return _not_modified(etag, head, cache_control)
    rendered = caches().rendered
    fragment_key = (head.release_key, "fragment", view, *variant)

    def fragment() -> tuple[str, bytes]:
        title, html = build(queries.program_data(head))
        # UTF-8 bytes: a str holding one non-Latin-1 character takes 2-4 bytes per character.
        return title, html.encode("utf-8")

    def page(title_html: tuple[str, bytes]) -> bytes:
        title, html = title_html
        text = html.decode("utf-8")
        if starred is not None:
            text = mark_stars(text, starred)
        body = Markup(text)  # noqa: S704  our own rendered, escaped template
        return render_template(
            "program/page.html", head=head, title=title, body=body, stars=stars
        ).encode()

    if anonymous and not flashes:
        # The whole page is cached, so its fragment need not be kept as well.
        key = (head.release_key, "page", view, *variant)
        body = cached_body(key, lambda: page(rendered.get(fragment_key) or fragment()), gzipped)  # type: ignore[arg-type]
    else:
        body = page(rendered.get_or_build(fragment_key, fragment))  # type: ignore[arg-type]
        body = gzip_body(body) if gzipped else body
    response = body_response(body, mimetype="text/html")
    _validators(response, etag, head, cache_control, gzipped)
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    response.content_language.add(variant[-1])
    return response


def _export(
    head: ProgramHead,
    variant: tuple[str, ...],
    build: Callable[[ProgramData], bytes],
    mimetype: str,
    filename: str,
) -> Response:
    """Serve an export of the latest release from the cache, or 304, or 404 if unpublished."""
    if head.release_id is None:
        abort(404, description=_("This event has not published a schedule yet."))
    gzipped = accepts_gzip()
    etag = (
        f"{head.release_key}-{'-'.join(variant)}"
        if len(variant) == 1
        else (f"{head.release_key}-{variant[0]}-{variant_tag(variant)}")
    )
    etag += "-gz" if gzipped else ""
    cache_control = EXPORT_CACHE_CONTROL if head.is_public else PRIVATE_CACHE_CONTROL
    mark_shareable()
    if is_fresh(etag, head.published_at):
        return _not_modified(etag, head, cache_control)
    body = cached_body(
        (head.release_key, "export", *variant), lambda: build(queries.program_data(head)), gzipped
    )
    response = body_response(body, content_type=mimetype)
    _validators(response, etag, head, cache_control, gzipped)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"  # schedule apps and widgets fetch these
    return response


@cache
def _version() -> str:
    try:
        return version("podium")
    except PackageNotFoundError:  # running from a source tree without metadata
        return ""
