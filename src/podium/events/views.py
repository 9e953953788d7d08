"""Organizer pages under /orga/ and the team invitation link /invite/team/<token>."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from podium.cfp.enums import STATE_LABELS
from podium.events import queries, services
from podium.events.dashboard import build_dashboard
from podium.events.enums import ROLE_LABELS, TeamRole
from podium.events.forms import (
    EventForm,
    NewEventForm,
    RoomForm,
    SessionTypeForm,
    TeamInviteForm,
    TrackForm,
)
from podium.events.models import Event, EventMembership, Room, SessionType, TeamInvitation, Track
from podium.events.permissions import (
    can_create_events,
    require_event_creator,
    require_login,
    require_organizer,
)
from podium.events.times import LocalTimeError, describe_local, utc_to_local
from podium.extensions import db
from podium.forms import offer_stored_time, resolve_local_time

bp = Blueprint("events", __name__, template_folder="templates")


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"role_labels": ROLE_LABELS, "state_labels": STATE_LABELS}


def _organized_event(slug: str) -> Event:
    event = queries.event_by_slug(slug)
    if event is None:
        abort(404)
    require_organizer(event)
    return event


def _attach(form: FlaskForm, error: services.EventError) -> None:
    field = getattr(form, error.field, None)
    if field is None:
        flash(error.message, "error")
    else:
        field.errors = [*field.errors, error.message]


def _details_from(form: EventForm) -> services.EventDetails:
    """Read the form into service input, converting local CfP times to UTC.

    Raises:
        services.EventError: a CfP time falls in a DST gap of the chosen zone.
    """
    zone = form.time_zone.data.strip()
    instants = {}
    for name in ("cfp_opens_at", "cfp_closes_at"):
        local = getattr(form, name).data
        try:
            instants[name] = resolve_local_time(local, getattr(form, f"{name}_fold"), zone)
        except LocalTimeError as exc:
            raise services.EventError(name, str(exc)) from None
    default_language, content_languages = form.languages()
    return services.EventDetails(
        name=form.name.data.strip(),
        time_zone=zone,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        cfp_opens_at=instants["cfp_opens_at"],
        cfp_closes_at=instants["cfp_closes_at"],
        is_public=bool(form.is_public.data),
        description=form.description.data or "",
        url=(form.url.data or "").strip(),
        default_language=default_language,
        content_languages=tuple(content_languages),
    )


@bp.get("/orga/")
def my_events():  # type: ignore[no-untyped-def]
    """The header's "Organize" page: events the user organizes or reviews, with roles and
    links, and (site administrators) "New event"."""
    require_login()
    return render_template(
        "events/my_events.html",
        events=queries.workspace_events(current_user),
        can_create=can_create_events(current_user),
    )


@bp.route("/orga/events/new", methods=["GET", "POST"])
def new_event():  # type: ignore[no-untyped-def]
    """Create an event (site administrators); the creator becomes its organizer."""
    require_event_creator()
    form = NewEventForm()
    status = 200
    if form.validate_on_submit():
        try:
            event = services.create_event(
                slug=form.slug.data.strip(), details=_details_from(form), creator=current_user
            )
        except services.EventError as error:
            _attach(form, error)
        else:
            flash(_("Event “%(name)s” created.", name=event.name), "success")
            return redirect(url_for("events.dashboard", slug=event.slug))
    if request.method == "POST":
        status = 400
    return render_template("events/event_form.html", form=form, event=None), status


@bp.get("/orga/<slug>/")
def dashboard(slug: str):  # type: ignore[no-untyped-def]
    """One event's overview: CfP window in its zone, submission counts, settings links,
    and what the team should do next (see :mod:`podium.events.dashboard`)."""
    event = _organized_event(slug)
    return render_template(
        "events/dashboard.html",
        event=event,
        board=build_dashboard(event),
        counts=queries.submission_counts_by_state(event),
        cfp_opens=describe_local(event.cfp_opens_at, event.time_zone),
        cfp_closes=describe_local(event.cfp_closes_at, event.time_zone),
    )


@bp.route("/orga/<slug>/settings", methods=["GET", "POST"])
def settings(slug: str):  # type: ignore[no-untyped-def]
    """Edit the event; CfP instants are shown and entered in the event's zone."""
    event = _organized_event(slug)
    if request.method == "GET":
        form = EventForm(obj=event)
        form.cfp_opens_at.data = utc_to_local(event.cfp_opens_at, event.time_zone)
        form.cfp_closes_at.data = utc_to_local(event.cfp_closes_at, event.time_zone)
        offer_stored_time(event.cfp_opens_at, form.cfp_opens_at_fold, event.time_zone)
        offer_stored_time(event.cfp_closes_at, form.cfp_closes_at_fold, event.time_zone)
    else:
        form = EventForm()
    if form.validate_on_submit():
        try:
            services.update_event(event=event, details=_details_from(form))
        except services.EventError as error:
            _attach(form, error)
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("events.settings", slug=event.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("events/event_form.html", form=form, event=event), status


# -- tracks, rooms, session types: one generic page per kind ----------------------------------


@dataclass(frozen=True)
class CatalogKind:
    """How one kind of event item is listed, edited and saved."""

    endpoint: str
    title: Any  # a lazy string: named in the reader's language
    model: type
    form: type[FlaskForm]
    columns: tuple[str, ...]

    def items(self, event: Event) -> list[Any]:
        return {
            Track: event.tracks,
            Room: event.rooms,
            SessionType: event.session_types,
        }[self.model]

    def save(self, event: Event, form: FlaskForm, item: Any | None) -> Any:
        if self.model is Track:
            return services.save_track(
                event=event, name=form.name.data.strip(), color=form.color.data, track=item
            )
        if self.model is Room:
            return services.save_room(
                event=event,
                name=form.name.data.strip(),
                capacity=form.capacity.data,
                position=form.position.data or 0,
                room=item,
            )
        return services.save_session_type(
            event=event,
            name=form.name.data.strip(),
            default_duration_minutes=form.default_duration_minutes.data,
            session_type=item,
        )


KINDS = {
    "tracks": CatalogKind("events.tracks", _l("Tracks"), Track, TrackForm, ("name", "color")),
    "rooms": CatalogKind(
        "events.rooms", _l("Rooms"), Room, RoomForm, ("name", "capacity", "position")
    ),
    "session-types": CatalogKind(
        "events.session_types",
        _l("Session types"),
        SessionType,
        SessionTypeForm,
        ("name", "default_duration_minutes"),
    ),
}


def _catalog_item(event: Event, kind: CatalogKind, item_id: int) -> Any:
    item = db.session.get(kind.model, item_id)
    if item is None or item.event_id != event.id:
        abort(404)
    return item


def _render_catalog(
    event: Event,
    path: str,
    add_form: FlaskForm | None = None,
    failed: tuple[int, FlaskForm] | None = None,
    status: int = 200,
):  # type: ignore[no-untyped-def]
    kind = KINDS[path]
    items = kind.items(event)
    edit_forms = {item.id: kind.form(obj=item, formdata=None) for item in items}
    if failed is not None:
        edit_forms[failed[0]] = failed[1]
    return render_template(
        "events/catalog.html",
        event=event,
        kind=kind,
        path=path,
        items=items,
        add_form=add_form or kind.form(formdata=None),
        edit_forms=edit_forms,
    ), status


def catalog(slug: str, path: str):  # type: ignore[no-untyped-def]
    """List a kind of item (GET) or add one (POST)."""
    event = _organized_event(slug)
    kind = KINDS[path]
    if request.method == "GET":
        return _render_catalog(event, path)
    form = kind.form()
    if form.validate_on_submit():
        try:
            kind.save(event, form, None)
        except services.EventError as error:
            _attach(form, error)
        else:
            flash(_("Added."), "success")
            return redirect(url_for(kind.endpoint, slug=slug))
    return _render_catalog(event, path, add_form=form, status=400)


def catalog_update(slug: str, path: str, item_id: int):  # type: ignore[no-untyped-def]
    """Save one item's edit form; on error re-render with the typed values."""
    event = _organized_event(slug)
    kind = KINDS[path]
    item = _catalog_item(event, kind, item_id)
    form = kind.form()
    if form.validate_on_submit():
        try:
            kind.save(event, form, item)
        except services.EventError as error:
            _attach(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(kind.endpoint, slug=slug))
    return _render_catalog(event, path, failed=(item.id, form), status=400)


def catalog_delete(slug: str, path: str, item_id: int):  # type: ignore[no-untyped-def]
    """Delete one item (POST)."""
    event = _organized_event(slug)
    kind = KINDS[path]
    services.delete_catalog_item(item=_catalog_item(event, kind, item_id))
    flash(_("Deleted."), "success")
    return redirect(url_for(kind.endpoint, slug=slug))


for _path, _kind in KINDS.items():
    _name = _kind.endpoint.split(".", 1)[1]
    bp.add_url_rule(
        f"/orga/<slug>/{_path}",
        _name,
        catalog,
        methods=["GET", "POST"],
        defaults={"path": _path},
    )
    bp.add_url_rule(
        f"/orga/<slug>/{_path}/<int:item_id>",
        f"update_{_name}",
        catalog_update,
        methods=["POST"],
        defaults={"path": _path},
    )
    bp.add_url_rule(
        f"/orga/<slug>/{_path}/<int:item_id>/delete",
        f"delete_{_name}",
        catalog_delete,
        methods=["POST"],
        defaults={"path": _path},
    )


# -- team ---------------------------------------------------------------------------------------


def _render_team(event: Event, form: TeamInviteForm, status: int = 200):  # type: ignore[no-untyped-def]
    return render_template(
        "events/team.html",
        event=event,
        form=form,
        members=queries.team_of(event),
        invitations=queries.pending_team_invitations(event),
    ), status


@bp.route("/orga/<slug>/team", methods=["GET", "POST"])
def team(slug: str):  # type: ignore[no-untyped-def]
    """List the team and pending invitations (GET) or invite someone by e-mail (POST)."""
    event = _organized_event(slug)
    form = TeamInviteForm()
    if request.method == "GET":
        return _render_team(event, form)
    if form.validate_on_submit():
        try:
            services.invite_team_member(
                event=event, email=form.email.data, role=form.role.data, invited_by=current_user
            )
        except services.EventError as error:
            _attach(form, error)
        else:
            flash(
                _("Invitation sent to %(email)s.", email=form.email.data.strip().lower()), "success"
            )
            return redirect(url_for("events.team", slug=slug))
    return _render_team(event, form, status=400)


@bp.post("/orga/<slug>/team/<int:membership_id>/remove")
def remove_member(slug: str, membership_id: int):  # type: ignore[no-untyped-def]
    """End one team role (never the last organizer's)."""
    event = _organized_event(slug)
    membership = db.session.get(EventMembership, membership_id)
    if membership is None or membership.event_id != event.id:
        abort(404)
    try:
        services.remove_team_member(membership=membership)
    except services.EventError as error:
        flash(error.message, "error")
        return _render_team(event, TeamInviteForm(formdata=None), status=409)
    flash(_("Removed from the team."), "success")
    return redirect(url_for("events.team", slug=slug))


@bp.post("/orga/<slug>/team/invitations/<int:invitation_id>/revoke")
def revoke_invitation(slug: str, invitation_id: int):  # type: ignore[no-untyped-def]
    """Withdraw a pending team invitation."""
    event = _organized_event(slug)
    invitation = db.session.get(TeamInvitation, invitation_id)
    if invitation is None or invitation.event_id != event.id or invitation.accepted_at:
        abort(404)
    services.revoke_team_invitation(invitation=invitation)
    flash(_("Invitation revoked."), "success")
    return redirect(url_for("events.team", slug=slug))


@bp.route("/invite/team/<token>", methods=["GET", "POST"])
def accept_team_invitation(token: str):  # type: ignore[no-untyped-def]
    """Show a team invitation and accept it (POST); needs an account, so login first."""
    require_login()
    invitation = services.find_team_invitation(token)
    if invitation is None:
        abort(404, _("This invitation link is unknown, expired or already used."))
    event = db.session.get(Event, invitation.event_id)
    if request.method == "POST":
        role = invitation.role
        try:
            services.accept_team_invitation(invitation=invitation, user=current_user)
        except services.InvitationUsedError as error:
            # Another account accepted the same link a moment earlier.
            abort(409, error.message)
        flash(
            _(
                "You joined the team of %(event)s as %(role)s.",
                event=event.name,
                role=ROLE_LABELS.get(role, role),
            ),
            "success",
        )
        # A reviewer cannot open the organizer pages: send them to their review list.
        if role == TeamRole.REVIEWER and "review.list_submissions" in (current_app.view_functions):
            return redirect(url_for("review.list_submissions", slug=event.slug))
        return redirect(url_for("events.dashboard", slug=event.slug))
    return render_template("events/invitation.html", invitation=invitation, event=event)
