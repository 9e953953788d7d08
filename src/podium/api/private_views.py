"""The token API under ``/api/v1``: what organizers see, and writes to the working schedule.

Every request here needs ``Authorization: Bearer <token>`` of the event named in the URL
(:func:`podium.api.permissions.require_token`); the login cookie is never consulted, which is
why these routes alone are exempt from CSRF. Responses are ``Cache-Control: private,
no-store`` with ``Vary: Authorization``: a shared cache must never keep them, and they never
touch the public API's per-release cache.

Writes go through :mod:`podium.schedule.services`, the same functions (and conflict rules) as
the schedule editor. Errors are JSON: 400 naming the field at fault, 401/403/404 for the
token, 409 when the schedule refuses the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from sqlalchemy import select

from podium.api import private_queries
from podium.api.enums import TokenScope
from podium.api.permissions import require_token
from podium.api.services import note_token_use
from podium.cfp.enums import SubmissionState
from podium.cfp.models import Submission
from podium.events.models import Event, Room
from podium.extensions import csrf, db
from podium.schedule import services as schedule
from podium.schedule.models import Slot
from podium.security import parse_id

bp = Blueprint("api_private", __name__, url_prefix="/api/v1")
# Token requests carry no cookie credentials that a forged cross-site request could borrow.
csrf.exempt(bp)

READ = frozenset({TokenScope.READ_PRIVATE})
WRITE = frozenset({TokenScope.WRITE_SCHEDULE})
READ_OR_WRITE = READ | WRITE
MAX_COMMENT_LENGTH = 500


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    response.vary.add("Authorization")
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="podium"'
    return response


@bp.get("/events/<slug>/submissions")
def list_submissions(slug: str) -> Response:
    """Every submission in every state (``?state=`` filters), with speakers' e-mail
    addresses and review aggregates. Scope ``read:private``."""
    event = _authorized(slug, READ)
    state = request.args.get("state")
    if state is not None and state not in set(SubmissionState):
        abort(400, description=f"The state parameter must be one of {', '.join(SubmissionState)}.")
    return jsonify(event=event.slug, submissions=private_queries.submissions(event.id, state=state))


@bp.get("/events/<slug>/slots")
def list_slots(slug: str) -> Response:
    """The working schedule (rooms and slots, not yet published). Either scope."""
    event = _authorized(slug, READ_OR_WRITE)
    return jsonify(
        event=event.slug, time_zone=event.time_zone, **private_queries.working_schedule(event.id)
    )


@bp.post("/events/<slug>/slots")
def create_slot(slug: str) -> tuple[Response, int]:
    """Place an accepted or confirmed submission: ``{"submission_id", "room_id", "start"}``.
    Scope ``write:schedule``; 201 with the slot."""
    event = _authorized(slug, WRITE)
    body = _json_body(required={"submission_id", "room_id", "start"}, optional=set())
    submission = _in_event(event, Submission, _id(body, "submission_id"), "submission_id")
    room = _in_event(event, Room, _id(body, "room_id"), "room_id")
    start = _instant(body, "start")
    slot = _schedule_call(
        schedule.place_session,
        body,
        versioned=False,
        event=event,
        submission=submission,
        room=room,
        start_at=start,
    )
    return jsonify(slot=private_queries.slot_dict(slot, submission.guid)), 201


@bp.patch("/events/<slug>/slots/<slot_id>")
def update_slot(slug: str, slot_id: str) -> Response:
    """Move a slot: ``{"room_id", "start"}`` (either may be left out, keeping it; a break
    may take ``"room_id": null`` for every room). Scope ``write:schedule``."""
    event = _authorized(slug, WRITE)
    slot = _in_event(event, Slot, _path_id(slot_id), "slot_id")
    body = _json_body(required=set(), optional={"room_id", "start", "version"})
    room = slot.room
    if "room_id" in body:
        raw = body["room_id"]
        room = None if raw is None else _in_event(event, Room, _id(body, "room_id"), "room_id")
    start = _instant(body, "start") if "start" in body else slot.start_at
    slot = _schedule_call(
        schedule.move_slot, body, versioned=True, event=event, slot=slot, room=room, start_at=start
    )
    guid = slot.submission.guid if slot.submission is not None else None
    return jsonify(slot=private_queries.slot_dict(slot, guid))


@bp.delete("/events/<slug>/slots/<slot_id>")
def delete_slot(slug: str, slot_id: str) -> tuple[str, int]:
    """Unschedule a session (it goes back to the unscheduled list) or delete a block.
    Scope ``write:schedule``; 204."""
    event = _authorized(slug, WRITE)
    slot = _in_event(event, Slot, _path_id(slot_id), "slot_id")
    body = {"version": _version_arg()} if request.args.get("version") is not None else {}
    _schedule_call(schedule.unschedule_slot, body, versioned=True, event=event, slot=slot)
    return "", 204


@bp.post("/events/<slug>/releases")
def create_release(slug: str) -> tuple[Response, int]:
    """Publish the working schedule as the next release: ``{"comment", "allow_unchanged"}``
    (both optional). Scope ``write:schedule``; 201 with the release and its changelog."""
    event = _authorized(slug, WRITE)
    body = _json_body(required=set(), optional={"comment", "allow_unchanged"}, may_be_empty=True)
    comment = body.get("comment", "")
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT_LENGTH:
        abort(400, description=f"comment must be text of at most {MAX_COMMENT_LENGTH} characters.")
    allow = body.get("allow_unchanged", False)
    if not isinstance(allow, bool):
        abort(400, description="allow_unchanged must be true or false.")
    try:
        release = schedule.publish_release(
            event=event, actor=None, comment=comment, allow_unchanged=allow
        )
    except schedule.ScheduleError as error:
        abort(409, description=str(error))
    return jsonify(
        release={
            "version": release.version,
            "published_at": private_queries.iso(release.published_at),
            "comment": release.comment,
            "changelog": release.changelog,
        }
    ), 201


# --------------------------------------------------------------------------- helpers


def _authorized(slug: str, scopes: frozenset[TokenScope]) -> Event:
    """The event named in the URL once the request's token may act on it with ``scopes``."""
    event = private_queries.event_by_slug(slug)
    if event is None:
        abort(404, description=f"There is no event {slug[:80]!r}.")
    note_token_use(token=require_token(event, scopes))
    return event


def _json_body(
    *, required: set[str], optional: set[str], may_be_empty: bool = False
) -> dict[str, Any]:
    """The request's JSON object (``{}`` for no body when ``may_be_empty``); 400 naming a
    missing or unknown field."""
    if may_be_empty and not request.get_data(cache=True):
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description="Send a JSON object with Content-Type: application/json.")
    missing = sorted(required - body.keys())
    if missing:
        abort(400, description=f"The field {missing[0]} is required.")
    unknown = sorted(body.keys() - required - optional)
    if unknown:
        abort(400, description=f"The field {unknown[0][:80]!r} is not known here.")
    return body


def _whole(value: Any) -> int | None:
    """``value`` as an int if it is a JSON whole number (``3`` or ``3.0``), else None."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _id(body: dict[str, Any], field: str) -> int:
    value = _whole(body[field])
    if value is None or not 1 <= value < 2**31:
        abort(400, description=f"{field} must be a positive whole number.")
    return value


def _instant(body: dict[str, Any], field: str) -> dt.datetime:
    """An ISO 8601 date-time with a UTC offset (``Z`` or ``+01:00``), as aware UTC."""
    raw = body[field]
    try:
        if not isinstance(raw, str) or len(raw) > 40:
            raise ValueError(raw)
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        abort(400, description=f"{field} must be a date-time like 2030-02-02T10:00:00+01:00.")
    if value.tzinfo is None:
        abort(400, description=f"{field} needs a UTC offset, such as Z or +01:00.")
    if not 1900 <= value.year <= 2999:
        abort(400, description=f"{field} must be in the years 1900 to 2999.")
    if value.second or value.microsecond:
        # Slots start on whole minutes, as in the editor; durations are whole minutes too.
        abort(400, description=f"{field} must be on a whole minute (seconds 00).")
    return value.astimezone(dt.UTC)


def _path_id(raw: str) -> int:
    # Parsed here rather than by the <int:> converter: a too-large id must be a JSON 404,
    # not a routing miss that werkzeug answers with 405 (the other method's rule matches).
    ident = parse_id(raw)
    if ident is None:
        abort(404, description=f"There is no slot {raw[:20]!r} in this event.")
    return ident


def _version_arg() -> int:
    raw = request.args.get("version", "")
    if not raw.isdigit() or len(raw) > 9:
        abort(400, description="The version parameter must be a whole number.")
    return int(raw)


def _in_event(event: Event, model: type[Any], ident: int, field: str) -> Any:
    """The ``model`` row ``ident`` of ``event``; 404 naming ``field`` otherwise."""
    row = db.session.scalar(select(model).where(model.id == ident, model.event_id == event.id))
    if row is None:
        abort(404, description=f"There is no {field.removesuffix('_id')} {ident} in this event.")
    return row


def _schedule_call(
    service: Callable[..., Any], body: dict[str, Any], *, versioned: bool, **kwargs: Any
) -> Any:
    """Call a schedule service; 409 when it refuses (a stale ``version`` included).

    ``versioned`` services (move, unschedule) get the client's optional ``version`` as
    ``expected_version``: the slot's optimistic-concurrency check.
    """
    if versioned and "version" in body:
        version = _whole(body["version"])
        if version is None or version < 0:
            abort(400, description="version must be a whole number.")
        kwargs["expected_version"] = version
    try:
        return service(**kwargs)
    except schedule.ScheduleError as error:
        db.session.rollback()
        field = f" ({error.field})" if error.field else ""
        abort(409, description=f"{error}{field}")
