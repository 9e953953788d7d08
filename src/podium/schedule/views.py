"""The organizers' schedule editor: place, move, unschedule, blocks, conflicts, publish.

Server-rendered per conference day with an optional room filter, so it stays usable with
40 rooms and ~950 sessions without JavaScript. Every change is a POST form with CSRF.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from podium.cfp.models import Submission
from podium.errors import render_error
from podium.events.models import Event, Room
from podium.events.times import LocalTimeError, is_ambiguous, offset_label
from podium.extensions import db
from podium.forms import offer_stored_time, resolve_local_time
from podium.i18n.dates import format_wall
from podium.schedule import queries, services
from podium.schedule.conflicts import conflicts_by_slot
from podium.schedule.forms import (
    BlockForm,
    ConfirmForm,
    MoveForm,
    PlaceForm,
    PublishForm,
    ResizeForm,
    StepForm,
    UnscheduleForm,
    choices,
)
from podium.schedule.grid import build_day_grid
from podium.schedule.labels import slot_kind_label, state_label
from podium.schedule.models import Slot
from podium.schedule.permissions import require_schedule_editor

bp = Blueprint(
    "schedule", __name__, template_folder="templates", url_prefix="/orga/<slug>/schedule"
)


@bp.get("/")
def editor(slug: str) -> Any:
    """The editor for one day (``?day=YYYY-MM-DD``) and optionally one room (``?room=id``)."""
    event = _editor_event(slug)
    return _render_editor(event)


@bp.post("/place")
def place_session(slug: str) -> Any:
    """Schedule an accepted/confirmed submission; shows the conflicts it created."""
    event = _editor_event(slug)
    form = PlaceForm()
    _room_choices(form, event)
    form.submission_id.choices = choices(
        (s.id, s.title) for s in queries.unscheduled_submissions(event)
    )
    start = _local_start(form, event) if form.validate_on_submit() else None
    if start is None:
        return _render_editor(event, place_form=form, status=400)
    submission = db.session.get(Submission, form.submission_id.data)
    room = db.session.get(Room, form.room_id.data)
    try:
        slot = services.place_session(event=event, submission=submission, room=room, start_at=start)
    except services.ScheduleError as exc:
        _field_error(form, exc)
        return _render_editor(event, place_form=form, status=400)
    _flash_result(event, slot.id, _("Scheduled “%(title)s”.", title=submission.title))
    return _back_to_day(event, slot.start_at, slot.room_id)


@bp.route("/slots/<int:slot_id>", methods=["GET", "POST"])
def edit_slot(slug: str, slot_id: int) -> Any:
    """Move a slot to another room or start time (GET shows the form)."""
    event = _editor_event(slug)
    slot = queries.slot_or_404(event, slot_id)
    form = MoveForm()
    _room_choices(form, event, allow_all=slot.submission_id is None)
    if request.method == "GET":
        form.room_id.data = slot.room_id or 0
        form.start.data = _to_local(slot.start_at, event)
        offer_stored_time(slot.start_at, form.start_fold, event.time_zone)
        form.version.data = slot.version
        return _render_slot(event, slot, form)
    start = _local_start(form, event) if form.validate_on_submit() else None
    if start is None:
        return _render_slot(event, slot, form, status=400)
    room = db.session.get(Room, form.room_id.data) if form.room_id.data else None
    try:
        services.move_slot(
            event=event,
            slot=slot,
            room=room,
            start_at=start,
            expected_version=form.version.data,
        )
    except services.StaleSlotError as exc:
        return _stale_slot_page(event, slot_id, exc)
    except services.ScheduleError as exc:
        _field_error(form, exc)
        return _render_slot(event, slot, form, status=400)
    _flash_result(event, slot.id, _("Moved."))
    return _back_to_day(event, slot.start_at, slot.room_id)


@bp.post("/slots/<int:slot_id>/unschedule")
def unschedule_slot(slug: str, slot_id: int) -> Any:
    """Remove a slot (a session goes back to the unscheduled list)."""
    event = _editor_event(slug)
    slot = queries.slot_or_404(event, slot_id)
    form = UnscheduleForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return redirect(url_for("schedule.editor", slug=event.slug))
    start, room_id = slot.start_at, slot.room_id
    try:
        services.unschedule_slot(event=event, slot=slot, expected_version=form.version.data)
    except services.StaleSlotError as exc:
        flash(str(exc), "error")
        return _back_to_day(event, start, room_id)
    flash(_("Removed from the schedule."), "success")
    return _back_to_day(event, start, room_id)


@bp.post("/slots/<int:slot_id>/resize")
def resize_slot(slug: str, slot_id: int) -> Any:
    """Change a slot's length in minutes (the form twin of dragging a card's end)."""
    event = _editor_event(slug)
    slot = queries.slot_or_404(event, slot_id)
    form = ResizeForm()
    if not form.validate_on_submit():
        return _render_slot(
            event, slot, _filled_move_form(event, slot), resize_form=form, status=400
        )
    try:
        services.resize_slot(
            event=event,
            slot=slot,
            minutes=form.minutes.data or 0,
            expected_version=form.version.data,
        )
    except services.StaleSlotError as exc:
        return _stale_slot_page(event, slot_id, exc)
    except services.ScheduleError as exc:
        _field_error(form, exc)
        return _render_slot(
            event, slot, _filled_move_form(event, slot), resize_form=form, status=400
        )
    _flash_result(event, slot.id, _("Now %(n)s minutes long.", n=form.minutes.data))
    return _back_to_day(event, slot.start_at, slot.room_id)


@bp.post("/blocks")
def add_block(slug: str) -> Any:
    """Add a break or other block (room 0 means every room)."""
    event = _editor_event(slug)
    form = BlockForm()
    _room_choices(form, event, allow_all=True)
    start = _local_start(form, event) if form.validate_on_submit() else None
    if start is None:
        return _render_editor(event, block_form=form, status=400)
    room = db.session.get(Room, form.room_id.data) if form.room_id.data else None
    try:
        slot = services.add_block(
            event=event,
            title=form.title.data or "",
            kind=form.kind.data or "",
            room=room,
            start_at=start,
            duration_minutes=form.duration_minutes.data or 0,
            actor_id=current_user.id,
            form_token=request.form.get("form_token"),
        )
    except services.ScheduleError as exc:
        _field_error(form, exc)
        return _render_editor(event, block_form=form, status=400)
    _flash_result(event, slot.id, _("Added “%(title)s”.", title=slot.title))
    return _back_to_day(event, slot.start_at, slot.room_id)


@bp.post("/publish")
def publish(slug: str) -> Any:
    """Publish the current slots as the next numbered release."""
    event = _editor_event(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        return _render_editor(event, publish_form=form, status=400)
    try:
        release = services.publish_release(
            event=event,
            actor=current_user._get_current_object(),
            comment=form.comment.data or "",
            allow_unchanged=bool(form.allow_unchanged.data),
        )
    except services.ScheduleError as exc:
        _field_error(form, exc)
        return _render_editor(event, publish_form=form, status=409)
    counts = {key: len(items) for key, items in release.changelog.items()}
    blocks, edited = counts.get("blocks", 0), counts.get("changed", 0)
    message = _(
        "Published release %(version)s: %(new)s new, %(moved)s moved, %(room_changed)s "
        "changed room, %(canceled)s canceled",
        version=release.version,
        new=counts["new"],
        moved=counts["moved"],
        room_changed=counts["room_changed"],
        canceled=counts["canceled"],
    )
    if edited:
        message += _(", %(n)s with edited title, speakers or abstract", n=edited)
    if blocks:
        message += ngettext(
            ", %(num)d break or block change", ", %(num)d break or block changes", blocks
        )
    flash(message + ".", "success")
    return redirect(url_for("schedule.releases", slug=event.slug))


@bp.get("/releases")
def releases(slug: str) -> Any:
    """Every release of the event with its changelog, newest first."""
    event = _editor_event(slug)
    return render_template(
        "schedule/releases.html", event=event, releases=queries.releases_of(event)
    )


# --------------------------------------------------------------------------- helpers


def _editor_event(slug: str) -> Event:
    event = queries.event_or_404(slug)
    require_schedule_editor(event)
    return event


def _render_editor(
    event: Event,
    *,
    place_form: PlaceForm | None = None,
    block_form: BlockForm | None = None,
    publish_form: PublishForm | None = None,
    status: int = 200,
) -> Any:
    rows = queries.load_rows(event)
    conflicts = queries.event_conflicts(event, rows)
    rooms = queries.rooms_of(event)
    days = sorted(
        set(queries.conference_days(event)) | {queries.day_of(event, r.info.start) for r in rows}
    )
    day = _requested_day(days, event)
    room_id = request.args.get("room", type=int) or 0
    shown = [
        row
        for row in rows
        if queries.day_of(event, row.info.start) == day
        and (not room_id or row.info.room_id == room_id)
    ]
    unscheduled = queries.unscheduled_submissions(event)
    if place_form is None:
        place_form = PlaceForm(formdata=None)
        place_form.start.data = _default_start(event, day)
        # The visual editor's "Place with the form" link preselects its session.
        place_form.submission_id.data = request.args.get("submission", type=int)
    place_form.submission_id.choices = choices((s.id, s.title) for s in unscheduled)
    _room_choices(place_form, event, rooms=rooms)
    if block_form is None:
        block_form = BlockForm(formdata=None)
        block_form.start.data = _default_start(event, day)
    _room_choices(block_form, event, rooms=rooms, allow_all=True)
    template_args = {
        "event": event,
        "days": days,
        "day": day,
        "rooms": rooms,
        "room_id": room_id,
        "rows": shown,
        "conflicts": conflicts,
        "conflicts_by_slot": conflicts_by_slot(conflicts),
        "unscheduled": unscheduled,
        "place_form": place_form,
        "block_form": block_form,
        "publish_form": publish_form or PublishForm(formdata=None),
        "confirm_form": ConfirmForm(formdata=None),
        "next_version": services.next_release_version(event),
        "unchanged_release": services.unchanged_release(event),
        "to_local": lambda instant: _to_local(instant, event),
    }
    return render_template("schedule/editor.html", **template_args), status


def _render_slot(
    event: Event,
    slot: Any,
    form: MoveForm,
    *,
    resize_form: ResizeForm | None = None,
    status: int = 200,
) -> Any:
    title = slot.submission.title if slot.submission is not None else slot.title
    if resize_form is None:
        resize_form = ResizeForm(formdata=None)
        resize_form.minutes.data = int((slot.end_at - slot.start_at).total_seconds() // 60)
    # A re-shown form keeps the version its page was built on, so a stale retry is refused.
    if resize_form.version.data is None:
        resize_form.version.data = slot.version
    if form.version.data is None:
        form.version.data = slot.version
    html = render_template(
        "schedule/slot.html",
        event=event,
        slot=slot,
        title=title,
        form=form,
        resize_form=resize_form,
        unschedule_form=UnscheduleForm(formdata=None),
        to_local=lambda instant: _to_local(instant, event),
    )
    return html, status


def _filled_move_form(event: Event, slot: Slot) -> MoveForm:
    form = MoveForm(formdata=None)
    _room_choices(form, event, allow_all=slot.submission_id is None)
    form.room_id.data = slot.room_id or 0
    form.start.data = _to_local(slot.start_at, event)
    return form


def _stale_slot_page(event: Event, slot_id: int, exc: services.StaleSlotError) -> Any:
    """Refuse a form change made on an out-of-date page: show the slot as it is now (409)."""
    db.session.rollback()
    slot = db.session.get(Slot, slot_id)
    if slot is None:
        flash(_("Someone else removed this slot meanwhile; nothing was saved."), "error")
        return redirect(url_for("schedule.editor", slug=event.slug))
    form = _filled_move_form(event, slot)
    form.form_errors.append(str(exc))
    return _render_slot(event, slot, form, status=409)


def _room_choices(
    form: Any, event: Event, *, rooms: list[Room] | None = None, allow_all: bool = False
) -> None:
    rooms = queries.rooms_of(event) if rooms is None else rooms
    pairs = [(room.id, room.name) for room in rooms]
    form.room_id.choices = choices(([(0, _("every room"))] if allow_all else []) + pairs)


def _local_start(form: Any, event: Event) -> dt.datetime | None:
    """The form's local start as aware UTC, or None with an error on the ``start`` field
    (a skipped time, or a repeated one until ``start_fold`` says which)."""
    try:
        return resolve_local_time(form.start.data, form.start_fold, event.time_zone)
    except LocalTimeError as exc:
        form.start.errors = [*form.start.errors, str(exc)]
        return None


def _field_error(form: Any, exc: services.ScheduleError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def _to_local(instant: dt.datetime, event: Event) -> dt.datetime:
    return queries.to_event_zone(instant, event)


def _requested_day(days: list[dt.date], event: Event) -> dt.date:
    raw = request.args.get("day", "")
    try:
        wanted = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        wanted = None
    return wanted if wanted in days else days[0]


def _default_start(event: Event, day: dt.date) -> dt.datetime:
    minutes = max(event.day_change_minutes or 0, 9 * 60)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))


def _flash_result(event: Event, slot_id: int, message: str) -> None:
    mine = conflicts_by_slot(queries.event_conflicts(event)).get(slot_id, [])
    flash(message, "success")
    for conflict in mine:
        flash(_("Conflict: %(message)s", message=conflict.message), "warning")


def _back_to_day(event: Event, start: dt.datetime, room_id: int | None) -> Response:
    day = queries.day_of(event, start)
    args: dict[str, Any] = {"slug": event.slug, "day": day.isoformat()}
    if request.args.get("room", type=int):
        args["room"] = room_id
    return redirect(url_for("schedule.editor", **args))


@bp.app_template_filter("release_time")
def release_time(value: str | None, time_zone: str) -> str:
    """Format a changelog's ISO 8601 UTC string as ``Sat 01 Feb 10:30`` in ``time_zone``,
    adding the UTC offset to a wall-clock time that happens twice (``Sun 26 Oct 02:30
    (UTC+1)``)."""
    if not value:
        return ""
    instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    local = instant.astimezone(ZoneInfo(time_zone))
    text = f"{format_wall(local, 'day_short')} {local:%H:%M}"
    if is_ambiguous(local.replace(tzinfo=None, fold=0), time_zone):
        return f"{text} ({offset_label(local)})"
    return text


@bp.app_template_global("schedule_state_label")
def schedule_state_label(state: object) -> str:
    """A submission state in the request's language (the stored value stays English)."""
    return state_label(state)


@bp.app_template_global("slot_kind_label")
def slot_kind_template_label(kind: object) -> str:
    """A slot kind (``break``, ``other``) in the request's language."""
    return slot_kind_label(kind)


# --------------------------------------------------------------------------- visual editor


@bp.get("/grid")
def grid(slug: str) -> Any:
    """The visual editor: one day (``?day=``) as rooms by time, unscheduled sessions beside.

    Optional ``?room=id`` shows one room; ``?track=``, ``?type=`` and ``?q=`` filter the
    unscheduled list. Readable and usable (through the form links) without JavaScript.
    """
    event = _editor_event(slug)
    rows = queries.load_rows(event)
    rooms = queries.rooms_of(event)
    days = sorted(
        set(queries.conference_days(event)) | {queries.day_of(event, r.info.start) for r in rows}
    )
    day = _requested_day(days, event)
    room_id = request.args.get("room", type=int) or 0
    shown_rooms = [room for room in rooms if not room_id or room.id == room_id]
    day_rows = [row for row in rows if queries.day_of(event, row.info.start) == day]
    layout = build_day_grid(
        rows=day_rows,
        rooms=shown_rooms,
        day=day,
        time_zone=event.time_zone,
        day_change_minutes=event.day_change_minutes or 0,
        step=event.slot_step_minutes or 15,
    )
    conflicts = queries.event_conflicts(event, rows)
    filters = {
        "track": request.args.get("track", type=int) or 0,
        "type": request.args.get("type", type=int) or 0,
        "q": request.args.get("q", "")[:200],
    }
    unscheduled = queries.unscheduled_submissions(
        event,
        track_id=filters["track"] or None,
        session_type_id=filters["type"] or None,
        text=filters["q"],
    )
    step_form = StepForm(formdata=None)
    step_form.minutes.data = event.slot_step_minutes or 15
    return render_template(
        "schedule/grid.html",
        event=event,
        days=days,
        day=day,
        rooms=rooms,
        room_id=room_id,
        layout=layout,
        conflicts=conflicts,
        conflicts_by_slot=conflicts_by_slot(conflicts),
        unscheduled=unscheduled,
        filters=filters,
        tracks=list(event.tracks),
        session_types=list(event.session_types),
        step_form=step_form,
        availability=queries.availability_notes(event),
        api_base=url_for("schedule.api_place", slug=event.slug).rsplit("/", 1)[0],
        to_local=lambda instant: _to_local(instant, event),
        conflict_json=[_conflict_json(c) for c in conflicts],
    )


@bp.post("/step")
def set_step(slug: str) -> Any:
    """Set the event's grid step (5, 10, 15 or 30 minutes) and go back to the grid."""
    event = _editor_event(slug)
    form = StepForm()
    if form.validate_on_submit():
        try:
            services.set_slot_step(event=event, minutes=form.minutes.data or 0)
        except services.ScheduleError as exc:
            flash(str(exc), "error")
        else:
            flash(_("The grid step is now %(n)s minutes.", n=event.slot_step_minutes), "success")
    else:
        flash(_("Choose a grid step of 5, 10, 15 or 30 minutes."), "error")
    return redirect(url_for("schedule.grid", slug=event.slug, day=request.args.get("day")))


@bp.post("/api/place")
def api_place(slug: str) -> Any:
    """JSON: schedule a submission. Body ``{"submission_id", "room_id", "start"}`` where
    ``start`` is ISO 8601 with an offset. Answers ``{"slot", "conflicts", "affected"}``."""
    event = _editor_event(slug)
    body = _json_body()
    submission = _json_object(body, "submission_id", Submission, event)
    room = _json_object(body, "room_id", Room, event)
    start = _json_instant(body, "start")
    slot = services.place_session(event=event, submission=submission, room=room, start_at=start)
    return _json_change(event, slot.id)


@bp.post("/api/slots/<int:slot_id>/move")
def api_move(slug: str, slot_id: int) -> Any:
    """JSON: move a slot. Body ``{"room_id", "start", "version"}``; 409 when ``version`` is
    stale, with the slot's current state."""
    event = _editor_event(slug)
    slot = _json_slot(event, slot_id)
    body = _json_body()
    room = _json_object(body, "room_id", Room, event)
    start = _json_instant(body, "start")
    services.move_slot(
        event=event,
        slot=slot,
        room=room,
        start_at=start,
        expected_version=_json_int(body, "version"),
    )
    return _json_change(event, slot_id)


@bp.post("/api/slots/<int:slot_id>/resize")
def api_resize(slug: str, slot_id: int) -> Any:
    """JSON: change a slot's length. Body ``{"minutes", "version"}`` (whole minutes)."""
    event = _editor_event(slug)
    slot = _json_slot(event, slot_id)
    body = _json_body()
    services.resize_slot(
        event=event,
        slot=slot,
        minutes=_json_int(body, "minutes"),
        expected_version=_json_int(body, "version"),
    )
    return _json_change(event, slot_id)


@bp.post("/api/slots/<int:slot_id>/unschedule")
def api_unschedule(slug: str, slot_id: int) -> Any:
    """JSON: unschedule a slot. Body ``{"version"}``; answers ``{"slot": null, ...}`` plus
    ``"submission"`` (the session now back in the unscheduled list)."""
    event = _editor_event(slug)
    slot = _json_slot(event, slot_id)
    body = _json_body()
    submission = slot.submission
    services.unschedule_slot(event=event, slot=slot, expected_version=_json_int(body, "version"))
    response = _json_change(event, slot_id)
    if submission is not None:
        response["submission"] = {
            "id": submission.id,
            "html": render_template(
                "schedule/_unscheduled_item.html", event=event, submission=submission
            ),
        }
    return response


class _JSONInputError(Exception):
    def __init__(self, message: str, field: str | None, status: int = 400) -> None:
        super().__init__(message)
        self.field, self.status = field, status


@bp.errorhandler(_JSONInputError)
def _json_input_error(exc: _JSONInputError) -> Any:
    return _json_error(str(exc), exc.field, exc.status)


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError) -> Any:
    """JSON endpoints answer a missing or wrong X-CSRFToken in JSON; pages as usual."""
    if _is_api():
        return _json_error(f"{exc.description} Reload the page.", "csrf_token", 400)
    return render_error(exc)


@bp.errorhandler(services.ScheduleError)
def _json_schedule_error(exc: services.ScheduleError) -> Any:
    """Errors of the JSON endpoints; 409 with the slot's current state when stale.

    The form views catch their own errors; one escaping them sends the user back to the
    form editor with the message rather than a bare error page.
    """
    db.session.rollback()
    if not _is_api():
        flash(str(exc), "error")
        return redirect(url_for("schedule.editor", slug=request.view_args["slug"]))  # type: ignore[index]
    if isinstance(exc, services.StaleSlotError):
        event = queries.event_or_404(request.view_args["slug"])  # type: ignore[index]
        rows = queries.load_rows(event, slot_ids=[exc.slot_id])
        return jsonify(
            error={"code": 409, "title": "Conflict", "message": str(exc), "field": exc.field},
            slot=_card_json(rows[0], event) if rows else None,
            slot_id=exc.slot_id,
        ), 409
    return _json_error(str(exc), exc.field, 400)


def _is_api() -> bool:
    return request.endpoint is not None and request.endpoint.startswith("schedule.api_")


def _json_error(message: str, field: str | None, status: int) -> Any:
    title = {400: "Bad request", 404: "Not found", 409: "Conflict"}.get(status, "Error")
    return (
        jsonify(error={"code": status, "title": title, "message": message, "field": field}),
        status,
    )


def _json_body() -> dict[str, Any]:
    # force: the body is JSON whatever the Content-Type says; the CSRF header guards it.
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise _JSONInputError("the request body must be a JSON object", None)
    return body


def _json_int(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _JSONInputError(f"{name} must be a whole number", name)
    return value


def _json_instant(body: dict[str, Any], name: str) -> dt.datetime:
    raw = body.get(name)
    try:
        value = dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise _JSONInputError(f"{name} must be an ISO 8601 date and time", name) from None
    if value.utcoffset() is None:
        raise _JSONInputError(f"{name} must carry a UTC offset", name)
    return value.astimezone(dt.UTC)


def _json_object(body: dict[str, Any], name: str, model: Any, event: Event) -> Any:
    found = db.session.get(model, _json_int(body, name))
    if found is None or found.event_id != event.id:
        raise _JSONInputError(f"{name} names nothing in this event", name, 404)
    return found


def _json_slot(event: Event, slot_id: int) -> Slot:
    slot = db.session.get(Slot, slot_id)
    if slot is None or slot.event_id != event.id:
        # Someone else unscheduled it: the client removes the card.
        raise _JSONInputError(
            _("This slot no longer exists: someone else removed it. Nothing was saved."),
            "version",
            409,
        )
    return slot


def _json_change(event: Event, slot_id: int) -> dict[str, Any]:
    """The answer to a change: the slot's new card (None if removed) and its conflicts."""
    rows = queries.load_rows(event, slot_ids=[slot_id])
    return {
        "slot": _card_json(rows[0], event) if rows else None,
        "slot_id": slot_id,
        "affected": [slot_id],
        "conflicts": [_conflict_json(c) for c in queries.conflicts_involving(event, [slot_id])],
    }


def _card_json(row: queries.EditorRow, event: Event) -> dict[str, Any]:
    return {
        "id": row.info.id,
        "version": row.version,
        "room_id": row.info.room_id,
        "start": _iso_utc(row.info.start),
        "minutes": row.duration_minutes,
        "submission_id": row.submission_id,
        "day": queries.day_of(event, row.info.start).isoformat(),
        "html": render_template(
            "schedule/_card.html",
            event=event,
            card=row,
            problems=[],
            to_local=lambda instant: _to_local(instant, event),
        ),
    }


def _conflict_json(conflict: Any) -> dict[str, Any]:
    return {
        "kind": str(conflict.kind),
        "message": conflict.message,
        "slot_ids": list(conflict.slot_ids),
    }


def _iso_utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@bp.app_template_filter("utc_iso")
def utc_iso(instant: dt.datetime) -> str:
    """An aware instant as ISO 8601 UTC with a ``Z``, e.g. ``2025-02-01T09:00:00Z``."""
    return _iso_utc(instant)
