"""The organizers' schedule editor: place, move, unschedule, blocks, conflicts, publish.

Server-rendered per conference day with an optional room filter, so it stays usable with
40 rooms and ~950 sessions without JavaScript. Every change is a POST form with CSRF.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from podium.cfp.models import Submission
from podium.events.models import Event, Room
from podium.events.times import LocalTimeError, local_time_label
from podium.extensions import db
from podium.forms import offer_stored_time, resolve_local_time
from podium.schedule import queries, services
from podium.schedule.conflicts import conflicts_by_slot
from podium.schedule.forms import (
    BlockForm,
    ConfirmForm,
    MoveForm,
    PlaceForm,
    PublishForm,
    choices,
)
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
    _flash_result(event, slot.id, f"Scheduled “{submission.title}”.")
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
        return _render_slot(event, slot, form)
    start = _local_start(form, event) if form.validate_on_submit() else None
    if start is None:
        return _render_slot(event, slot, form, status=400)
    room = db.session.get(Room, form.room_id.data) if form.room_id.data else None
    try:
        services.move_slot(event=event, slot=slot, room=room, start_at=start)
    except services.ScheduleError as exc:
        _field_error(form, exc)
        return _render_slot(event, slot, form, status=400)
    _flash_result(event, slot.id, "Moved.")
    return _back_to_day(event, slot.start_at, slot.room_id)


@bp.post("/slots/<int:slot_id>/unschedule")
def unschedule_slot(slug: str, slot_id: int) -> Any:
    """Remove a slot (a session goes back to the unscheduled list)."""
    event = _editor_event(slug)
    slot = queries.slot_or_404(event, slot_id)
    if not ConfirmForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(url_for("schedule.editor", slug=event.slug))
    start, room_id = slot.start_at, slot.room_id
    services.unschedule_slot(event=event, slot=slot)
    flash("Removed from the schedule.", "success")
    return _back_to_day(event, start, room_id)


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
    _flash_result(event, slot.id, f"Added “{slot.title}”.")
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
    flash(
        f"Published release {release.version}: {counts['new']} new, {counts['moved']} moved, "
        f"{counts['room_changed']} changed room, {counts['canceled']} canceled"
        + (f", {edited} with edited title, speakers or abstract" if edited else "")
        + (f", {blocks} break or block change{'s' if blocks > 1 else ''}." if blocks else "."),
        "success",
    )
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


def _render_slot(event: Event, slot: Any, form: MoveForm, status: int = 200) -> Any:
    title = slot.submission.title if slot.submission is not None else slot.title
    html = render_template(
        "schedule/slot.html",
        event=event,
        slot=slot,
        title=title,
        form=form,
        to_local=lambda instant: _to_local(instant, event),
    )
    return html, status


def _room_choices(
    form: Any, event: Event, *, rooms: list[Room] | None = None, allow_all: bool = False
) -> None:
    rooms = queries.rooms_of(event) if rooms is None else rooms
    pairs = [(room.id, room.name) for room in rooms]
    form.room_id.choices = choices(([(0, "every room")] if allow_all else []) + pairs)


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
        flash(f"Conflict: {conflict.message}", "warning")


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
    return local_time_label(instant, time_zone, "%a %d %b %H:%M")
