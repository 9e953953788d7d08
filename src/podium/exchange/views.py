"""Organizers import a schedule file (frab XML, schedule JSON v1/v2, iCalendar) into their event.

Exports are served by ``podium.program`` from published releases using this package's writers.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from podium.events.models import Event
from podium.events.permissions import require_organizer
from podium.exchange import services
from podium.exchange.errors import ScheduleImportError
from podium.exchange.forms import ImportScheduleForm
from podium.extensions import db

bp = Blueprint(
    "exchange", __name__, template_folder="templates", url_prefix="/orga/<slug>/schedule/import"
)


def _event_or_404(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    return event


@bp.route("/", methods=["GET", "POST"])
def import_schedule(slug: str) -> Any:
    """Show the upload form; on POST import the file and go to the schedule editor."""
    event = _event_or_404(slug)
    require_organizer(event)
    form = ImportScheduleForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("exchange/import.html", event=event, form=form), status
    try:
        result = services.import_schedule_file(
            raw=form.file.data.read(),
            event=event,
            actor=current_user,
            time_zone=(form.time_zone.data or "").strip() or None,
        )
    except ScheduleImportError as exc:
        form.file.errors = [*form.file.errors, str(exc)]
        if exc.suggested_zone and not form.time_zone.data:
            # The file needs a zone: offer the one its city names, ready to resubmit.
            form.time_zone.data = exc.suggested_zone
        return render_template("exchange/import.html", event=event, form=form), 400
    flash(_("Imported: %(summary)s.", summary=result.summary()), "success")
    if result.warnings:
        more = len(result.warnings) - 1
        if more:
            flash(
                ngettext(
                    "%(warning)s (and %(num)d more)",
                    "%(warning)s (and %(num)d more)",
                    more,
                    warning=result.warnings[0],
                ),
                "warning",
            )
        else:
            flash(result.warnings[0], "warning")
    return redirect(url_for("schedule.editor", slug=event.slug))
