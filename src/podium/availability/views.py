"""Availability pages: a speaker's own (``/<slug>/me/availability``) and the organizers'.

The organizers' page sets whether the CfP requires availability and lists every speaker's;
organizers may change anyone's at any time, speakers their own until the schedule is published.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from podium.availability import queries, services
from podium.availability.forms import (
    AvailabilityForm,
    RequiredForm,
    add_row,
    availability_form,
    ranges_from,
)
from podium.availability.permissions import (
    organized_event_or_404,
    organized_speaker_or_404,
    own_profile_or_404,
    speaker_may_edit,
)
from podium.availability.ranges import range_label
from podium.cfp.models import SpeakerProfile
from podium.events.models import Event

bp = Blueprint("availability", __name__, template_folder="templates")


@bp.route("/<slug>/me/availability", methods=["GET", "POST"])
def my_availability(slug: str) -> Any:
    """Show and (until the schedule is published) change one's own availability."""
    event, profile = own_profile_or_404(slug)
    editable = speaker_may_edit(event)
    if request.method == "GET" or not editable:
        form = availability_form(event, saved=queries.ranges_of(event, profile.id))
        status = 200 if request.method == "GET" else 403
        if status == 403:
            form.form_errors.append(str(services.LOCKED_MESSAGE))
        return _render(event, profile, form, editable=editable, status=status)
    done = _save(event, profile, by_organizer=False)
    if isinstance(done, Response):
        return done
    return _render(event, profile, done[0], editable=True, status=done[1])


@bp.route("/orga/<slug>/availability", methods=["GET", "POST"])
def orga_overview(slug: str) -> Any:
    """Every speaker's availability in the event's zone, and the "required in the CfP" setting."""
    event = organized_event_or_404(slug)
    form = RequiredForm(data={"required": event.availability_required})
    if request.method == "POST":
        form = RequiredForm()
        if form.validate_on_submit():
            services.set_required(event=event, required=bool(form.required.data))
            flash(_("Availability setting saved."), "success")
            return redirect(url_for("availability.orga_overview", slug=event.slug))
    by_speaker = queries.availability_by_speaker(event)
    return render_template(
        "availability/orga_overview.html",
        event=event,
        form=form,
        speakers=queries.speakers_of(event),
        by_speaker=by_speaker,
    ), (400 if request.method == "POST" else 200)


@bp.route("/orga/<slug>/availability/speakers/<int:speaker_id>", methods=["GET", "POST"])
def orga_speaker(slug: str, speaker_id: int) -> Any:
    """Change one speaker's availability (organizers, also after the schedule is published)."""
    event = organized_event_or_404(slug)
    profile = organized_speaker_or_404(event, speaker_id)
    if request.method == "GET":
        form = availability_form(event, saved=queries.ranges_of(event, profile.id))
        return _render(event, profile, form, editable=True, organizer=True)
    done = _save(event, profile, by_organizer=True)
    if isinstance(done, Response):
        return done
    return _render(event, profile, done[0], editable=True, organizer=True, status=done[1])


def _save(
    event: Event, profile: SpeakerProfile, *, by_organizer: bool
) -> Response | tuple[AvailabilityForm, int]:
    """Handle the POST: add a row, or save; a redirect, or the form to show with a status."""
    form = availability_form(event, formdata=request.form)
    if not form.validate_on_submit():
        return form, 400
    if "add_range" in request.form:
        add_row(form, event)
        return form, 200
    ranges = ranges_from(form, event)
    if ranges is None:
        return form, 400
    try:
        saved = services.set_availability(
            event=event, speaker=profile, ranges=ranges, by_organizer=by_organizer
        )
    except services.AvailabilityError as exc:
        form.form_errors.append(exc.message)
        return form, 403 if exc.field is None else 400
    flash(
        ngettext(
            "Availability saved: %(num)d range.", "Availability saved: %(num)d ranges.", len(saved)
        )
        if saved
        else _("Availability removed: you have not said when you can present."),
        "success",
    )
    if by_organizer:
        return redirect(
            url_for("availability.orga_speaker", slug=event.slug, speaker_id=profile.id)
        )
    return redirect(url_for("availability.my_availability", slug=event.slug))


def _render(
    event: Event,
    profile: SpeakerProfile,
    form: AvailabilityForm,
    *,
    editable: bool,
    organizer: bool = False,
    status: int = 200,
) -> Any:
    html = render_template(
        "availability/edit.html",
        event=event,
        profile=profile,
        form=form,
        editable=editable,
        organizer=organizer,
        saved=queries.ranges_of(event, profile.id),
    )
    return html, status


@bp.app_template_filter("availability_range")
def availability_range(value: tuple[Any, Any], time_zone: str) -> str:
    """A UTC range as ``Sat 02 Feb 09:00-12:00`` (en dash) in ``time_zone``; both days if two."""
    return range_label(value, time_zone)
