"""The availability form: rows of "day, from, to" in the event's zone, no JavaScript needed.

Each row is one range on one conference day; an empty row is ignored, so the form always
offers a blank row to fill, and "Add another range" brings one more without saving. Where
JavaScript runs, ``static/availability.js`` paints a grid on top and fills the same rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, TimeField
from wtforms.validators import Optional

from podium.availability.ranges import LocalRangeError, Range, local_range, split_by_day
from podium.events.forms import choice
from podium.events.models import Event
from podium.i18n.dates import format_wall
from podium.schedule.conflicts import event_bounds
from podium.schedule.queries import conference_days

MAX_ROWS = 60


class RangeRow(Form):
    """One range: a conference day (ISO date) and local from/to times (``HH:MM``)."""

    day = SelectField(_l("Day"))
    start = TimeField(_l("From"), validators=[Optional()])
    end = TimeField(_l("To"), validators=[Optional()])

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then both times or neither (a field's own ``Optional`` would stop
        an inline check on the empty one)."""
        if self.is_blank:
            return True  # an unused row: its day does not matter
        if not super().validate(extra_validators):
            return False
        if (self.start.data is None) != (self.end.data is None):
            empty = self.end if self.end.data is None else self.start
            empty.errors = [
                *empty.errors,
                _(
                    "%(field)s: enter both times of the range, or neither.",
                    field=empty.label.text,
                ),
            ]
            return False
        return True

    @property
    def is_blank(self) -> bool:
        """True for a row with neither time typed (ignored)."""
        return not (_typed(self.start) or _typed(self.end))


def _typed(field: TimeField) -> bool:
    return field.data is not None or bool(field.raw_data and field.raw_data[0].strip())


class AvailabilityForm(FlaskForm):
    """All ranges of one speaker at one event (see :func:`availability_form`)."""

    ranges = FieldList(FormField(RangeRow), min_entries=1, max_entries=MAX_ROWS)


class RequiredForm(FlaskForm):
    """The organizers' setting: the CfP asks every submitter for their availability."""

    required = BooleanField(_l("Ask for speaker availability in the CfP (required to submit)"))


def availability_form(
    event: Event,
    *,
    saved: list[Range] | None = None,
    formdata: Any = None,
    prefix: str = "",
    csrf: bool = True,
) -> AvailabilityForm:
    """The form for ``event``: from the request (``formdata``) or filled from ``saved`` ranges.

    A form filled from ``saved`` shows one row per range and day, plus a blank row. ``prefix``
    and ``csrf=False`` embed it in another form (the CfP submission form has its own token).
    """
    kwargs: dict[str, Any] = {"prefix": prefix}
    if not csrf:
        # Only ever switched off: passing True would override WTF_CSRF_ENABLED.
        kwargs["meta"] = {"csrf": False}
    if formdata is None:
        rows = [
            {"day": day.isoformat(), "start": start, "end": end}
            for day, start, end in split_by_day(
                saved or [],
                conference_days(event),
                time_zone=event.time_zone,
                day_change_minutes=event.day_change_minutes or 0,
            )
        ]
        form = AvailabilityForm(formdata=None, ranges=[*rows, {}], **kwargs)
    else:
        form = AvailabilityForm(formdata=formdata, **kwargs)
    _set_day_choices(form, event)
    return form


def add_row(form: AvailabilityForm, event: Event) -> None:
    """Append a blank row (the "Add another range" button), keeping what was typed."""
    if len(form.ranges.entries) < MAX_ROWS:
        form.ranges.append_entry()
    _set_day_choices(form, event)


def ranges_from(form: AvailabilityForm, event: Event) -> list[Range] | None:
    """The filled rows as UTC ranges, or ``None`` after putting errors on the rows' fields.

    Call after ``form.validate()``. Rows are local times on conference days (see
    :func:`podium.availability.ranges.local_range`); a time skipped by a DST change or a
    range running past the event's last day is an error on that row's field.
    """
    bounds = event_bounds(
        event.start_date, event.end_date, event.time_zone, event.day_change_minutes or 0
    )
    ranges: list[Range] = []
    ok = True
    for entry in form.ranges.entries:
        row: RangeRow = entry.form
        if row.is_blank or row.errors:
            ok = ok and not row.errors
            continue
        day = dt.date.fromisoformat(row.day.data)
        try:
            start, end = local_range(
                day,
                row.start.data,
                row.end.data,
                time_zone=event.time_zone,
                day_change_minutes=event.day_change_minutes or 0,
            )
        except LocalRangeError as exc:
            field = row.start if exc.which == "start" else row.end
            reason = str(exc).rstrip(".")
            field.errors = [
                *field.errors,
                _("%(field)s: %(reason)s.", field=field.label.text, reason=reason),
            ]
            ok = False
            continue
        if end > bounds[1]:
            row.end.errors = [*row.end.errors, _("To: this runs past the event's last day.")]
            ok = False
            continue
        ranges.append((start, end))
    return ranges if ok else None


def _set_day_choices(form: AvailabilityForm, event: Event) -> None:
    days = [
        choice(day.isoformat(), format_wall(day, "day_short")) for day in conference_days(event)
    ]
    for entry in form.ranges.entries:
        entry.form.day.choices = days
