"""The read-only JSON API under ``/api/v1``: public events, their published sessions and
speakers, and the OpenAPI document describing them.

Like the public program, sessions and speakers are served from the current release's snapshot
through the program's per-release cache (:mod:`podium.program.cache`): a response body is
built once per release and variant, revalidated by an ETag naming the release, and a cached
request runs one SQL query (the event and its latest release). Responses may be read from any
origin (``Access-Control-Allow-Origin: *``): everything here is public.

Errors are JSON (:mod:`podium.errors`): 404 for an unknown or private event or an unknown
session, 400 naming the query parameter at fault.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, request, url_for

from podium.api import openapi, queries, serialize
from podium.api.queries import ApiEvent
from podium.program.body_files import SpilledBody
from podium.program.http import (
    accepts_gzip,
    body_response,
    cached_body,
    gzip_body,
    is_fresh,
    variant_tag,
)
from podium.program.queries import program_data
from podium.program.response_cache import mark_shareable
from podium.program.timeline import ProgramData
from podium.program.timezones import zone_info

bp = Blueprint("api", __name__, url_prefix="/api/v1")

CACHE_CONTROL = "public, max-age=60"  # as the program's exports: a new release shows within 60 s
JSON_TYPE = "application/json"
MAX_FILTER_LENGTH = 200
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
# Headers a browser may send cross-origin (revalidation) and read back (validators).
CORS_REQUEST_HEADERS = "If-None-Match, If-Modified-Since"
CORS_EXPOSED_HEADERS = "ETag, Last-Modified"


@bp.get("/events")
def list_events() -> Response:
    """Every public event with its links and current release version (one query)."""
    events = queries.public_events()
    return _live({"events": [serialize.event_summary(e, _url) for e in events]})


@bp.get("/events/<slug>")
def get_event(slug: str) -> Response:
    """One public event with the tracks, rooms and session types of its current release."""
    event = _event_or_404(slug)
    program = program_data(event.head) if event.release_id is not None else None
    return _live(serialize.event_detail(event, program, _url))


@bp.get("/events/<slug>/sessions")
def list_sessions(slug: str) -> Response:
    """The sessions of the current release in time order, filtered by ``?track=``, ``?room=``
    and ``?day=`` (a conference day, YYYY-MM-DD in the event's zone); filters combine."""
    event = _event_or_404(slug)
    track = _text_arg("track")
    room = _text_arg("room")
    day = _day_arg()

    def build(program: ProgramData | None) -> dict[str, Any]:
        body = _envelope(event, program)
        if program is None:
            body["sessions"] = []
            return body
        _check_known(program, track=track, room=room, day=day)
        items = program.sessions_by_day.get(day, []) if day else program.data.sessions_sorted()
        zone = zone_info(program.time_zone)
        urls = _PatternUrls()
        body["sessions"] = [
            serialize.session(item, program, event.slug, zone, urls)
            for item in items
            if (track is None or item.track == track) and (room is None or item.room == room)
        ]
        return body

    return _from_release(event, ("sessions", track, room, day and day.isoformat()), build)


@bp.get("/events/<slug>/sessions/<guid>")
def get_session(slug: str, guid: str) -> Response:
    """One session of the current release by its guid."""
    event = _event_or_404(slug)

    def build(program: ProgramData | None) -> dict[str, Any]:
        item = program.sessions_by_guid.get(guid) if program is not None else None
        if program is None or item is None:
            abort(404, description="There is no such session in the published schedule.")
        body = _envelope(event, program)
        zone = zone_info(program.time_zone)
        body["session"] = serialize.session(item, program, event.slug, zone, _url)
        return body

    return _from_release(event, ("session", guid), build)


@bp.get("/events/<slug>/speakers")
def list_speakers(slug: str) -> Response:
    """The speakers of the current release's sessions, by name."""
    event = _event_or_404(slug)

    def build(program: ProgramData | None) -> dict[str, Any]:
        body = _envelope(event, program)
        people = sorted((program.speakers if program else {}).items(), key=_by_name)
        urls = _PatternUrls()
        body["speakers"] = [
            serialize.speaker(ref, person, program, event.slug, urls)  # type: ignore[arg-type]
            for ref, person in people
        ]
        return body

    return _from_release(event, ("speakers",), build)


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 document of this API (no database access)."""
    return _live(openapi.document(server_url=_base_url() + bp.url_prefix))


@bp.after_app_request
def _cors(response: Response) -> Response:
    # On the whole /api/ tree (not only this blueprint's routes), so that 404s for unknown
    # paths are readable cross-origin too. No credentials: the API never looks at the login.
    if request.path.startswith("/api/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


# --------------------------------------------------------------------------- helpers


def _event_or_404(slug: str) -> ApiEvent:
    event = queries.public_event(slug)
    if event is None:
        abort(404, description=f"There is no public event {slug[:80]!r}.")
    return event


def _envelope(event: ApiEvent, program: ProgramData | None) -> dict[str, Any]:
    return {
        "event": event.slug,
        # The zone frozen in the release, which the local times use; the live one before that.
        "time_zone": program.time_zone if program is not None else event.time_zone,
        "release": serialize.release(event) if program is not None else None,
    }


def _text_arg(name: str) -> str | None:
    values = request.args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        abort(400, description=f"Give the {name} parameter once.")
    value = values[0]
    if not value.strip():
        abort(400, description=f"The {name} parameter is empty; leave it out to get every {name}.")
    if len(value) > MAX_FILTER_LENGTH:
        abort(
            400,
            description=(f"The {name} parameter is longer than {MAX_FILTER_LENGTH} characters."),
        )
    return value


def _day_arg() -> dt.date | None:
    raw = _text_arg("day")
    if raw is None:
        return None
    try:
        if not _DAY.match(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        abort(400, description=f"The day parameter {raw[:20]!r} is not a date like 2025-02-01.")


def _check_known(
    program: ProgramData, *, track: str | None, room: str | None, day: dt.date | None
) -> None:
    """400 for a filter naming nothing in the release (most likely a typing error)."""
    if track is not None and track not in {t.name for t in program.data.tracks} | {
        s.track for s in program.data.sessions if s.track
    }:
        abort(400, description=f"The track parameter {track[:80]!r} is no track of this event.")
    if room is not None and room not in {r.name for r in program.data.all_rooms()}:
        abort(400, description=f"The room parameter {room[:80]!r} is no room of this event.")
    if day is not None and program.day(day) is None:
        first, last = program.days[0].date, program.days[-1].date
        abort(
            400,
            description=f"The day parameter {day.isoformat()} is not a day of this event "
            f"({first.isoformat()} to {last.isoformat()}).",
        )


def _by_name(item: tuple[str, Any]) -> tuple[str, str]:
    ref, person = item
    return (person.name.casefold(), ref)


def _base_url() -> str:
    return str(current_app.config.get("BASE_URL") or request.host_url).rstrip("/")


def _url(endpoint: str, **values: Any) -> str:
    """An absolute URL on ``BASE_URL`` (not the request's host, so cached bodies are equal
    whichever name a client used)."""
    return _base_url() + url_for(endpoint, **values)


# What werkzeug's default path converter leaves unquoted in a path segment.
_PATH_SAFE = "!$&'()*+,/:;=@"


class _PatternUrls:
    """Like :func:`_url`, but builds each endpoint's URL once and fills in values after.

    A full sessions list links ~2,400 sessions and speakers; ``url_for`` costs tens of
    microseconds each, a third of a cold render. Only for path variables with werkzeug's
    default (string) converter, quoted the same way.
    """

    def __init__(self) -> None:
        self._patterns: dict[tuple[str, tuple[str, ...]], tuple[str, re.Pattern[str]]] = {}

    def __call__(self, endpoint: str, **values: Any) -> str:
        names = tuple(sorted(values))
        if not names:
            return _url(endpoint)
        known = self._patterns.get((endpoint, names))
        if known is None:
            pattern = _url(endpoint, **{name: f"_podium_{name}_" for name in names})
            longest_first = sorted(names, key=len, reverse=True)  # "a_b" before its prefix "a"
            placeholders = re.compile("|".join(re.escape(f"_podium_{n}_") for n in longest_first))
            known = self._patterns[endpoint, names] = (pattern, placeholders)
        pattern, placeholders = known
        # One pass, so a value that happens to contain a placeholder is not filled in again.
        return placeholders.sub(
            lambda found: quote(str(values[found.group(0)[8:-1]]), safe=_PATH_SAFE), pattern
        )


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _from_release(
    event: ApiEvent,
    variant: tuple[Any, ...],
    build: Callable[[ProgramData | None], dict[str, Any]],
) -> Response:
    """Serve ``build(program)`` of the current release: 304 when the client's ETag names
    this release and variant, else the body from the per-release cache (built on a miss).

    Without a release the (small) body is built each time and validated by its hash.
    """
    if event.release_id is None:
        return _live(build(None))
    mark_shareable()
    head = event.head
    gzipped = accepts_gzip()
    # The base of the URLs in the body is part of the variant: without BASE_URL it is the
    # request's Host, and one client's forged Host must not reach another's cached body.
    base = _base_url()
    tag = variant_tag((base, *variant))
    etag = f"{head.release_key}-api-{variant[0]}-{tag}" + ("-gz" if gzipped else "")
    if is_fresh(etag, event.published_at):
        return _respond(b"", etag, event.published_at, gzipped, status=304)
    # Bad filters and unknown sessions abort inside build, so they are never cached.
    body = cached_body(
        (head.release_key, "api", base, *variant),
        lambda: _encode(build(program_data(head))),
        gzipped,
    )
    return _respond(body, etag, event.published_at, gzipped)


def _live(document: dict[str, Any]) -> Response:
    """Serve a body built from live event fields, validated by a hash of its content."""
    body = _encode(document)
    gzipped = accepts_gzip() and len(body) > 1024
    etag = "h-" + hashlib.blake2b(body, digest_size=10).hexdigest() + ("-gz" if gzipped else "")
    if is_fresh(etag, None):
        return _respond(b"", etag, None, gzipped, status=304)
    return _respond(gzip_body(body) if gzipped else body, etag, None, gzipped)


def _respond(
    body: bytes | SpilledBody,
    etag: str,
    modified: dt.datetime | None,
    gzipped: bool,
    status: int = 200,
) -> Response:
    response = body_response(body, status=status, content_type=JSON_TYPE)
    if status == 304:
        response.headers.pop("Content-Type", None)
    elif gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    response.vary.add("Accept-Encoding")
    if modified is not None:
        response.last_modified = modified
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response
