"""Forms of the schedule editor; times are typed as local wall-clock time in the event's zone."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from podium.forms import WhichTimeField
from podium.schedule.enums import SlotKind

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """``(value, label)`` pairs as WTForms 3.3 select choices (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]


class PlaceForm(FlaskForm):
    """Schedule an unscheduled session: which one, where, when (local time)."""

    submission_id = SelectField(_l("Session"), coerce=int, validators=[InputRequired()])
    room_id = SelectField(_l("Room"), coerce=int, validators=[InputRequired()])
    start = DateTimeLocalField(_l("Start"), format=LOCAL_FORMAT, validators=[DataRequired()])
    start_fold = WhichTimeField()


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class MoveForm(FlaskForm):
    """Move a slot to another room and/or start time (local time); its length is kept.

    ``version`` (hidden) is the slot version the page showed; a stale one is refused.
    """

    room_id = SelectField(_l("Room"), coerce=int, validators=[InputRequired()])
    start = DateTimeLocalField(_l("Start"), format=LOCAL_FORMAT, validators=[DataRequired()])
    start_fold = WhichTimeField()
    version = HiddenField(filters=[_int_or_none])


class ResizeForm(FlaskForm):
    """Change a slot's length in whole minutes (the form twin of dragging a card's end)."""

    minutes = IntegerField(
        _l("Length (minutes)"),
        validators=[InputRequired(), NumberRange(5, 1440)],
        id="resize-minutes",
    )
    version = HiddenField(filters=[_int_or_none], id="resize-version")


class UnscheduleForm(FlaskForm):
    """The unschedule button: CSRF plus the slot version the page showed."""

    version = HiddenField(filters=[_int_or_none])


class StepForm(FlaskForm):
    """The event's grid step: drops and resizes in the visual editor snap to it."""

    minutes = SelectField(
        _l("Grid step"),
        coerce=int,
        choices=choices(
            [
                (5, _l("5 minutes")),
                (10, _l("10 minutes")),
                (15, _l("15 minutes")),
                (30, _l("30 minutes")),
            ]
        ),
        validators=[InputRequired()],
        id="step-minutes",
    )


class BlockForm(FlaskForm):
    """Add a break or another non-session block; room 0 means every room."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(
        _l("Kind"),
        choices=choices([(SlotKind.BREAK.value, _l("Break")), (SlotKind.OTHER.value, _l("Other"))]),
        validators=[InputRequired()],
    )
    # The editor shows this form beside PlaceForm, which has fields of the same names: own ids
    # keep each <label for> pointing at its own form's input.
    room_id = SelectField(_l("Room"), coerce=int, validators=[InputRequired()], id="block-room_id")
    start = DateTimeLocalField(
        _l("Start"), format=LOCAL_FORMAT, validators=[DataRequired()], id="block-start"
    )
    start_fold = WhichTimeField(id="block-start_fold")
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), default=30, validators=[InputRequired(), NumberRange(1, 1440)]
    )


class PublishForm(FlaskForm):
    """Publish the current slots as the next release, with an optional comment."""

    comment = StringField(_l("Comment (shown with the changelog)"), validators=[Length(max=500)])
    # Off by default: a release identical to the previous one is refused unless asked for.
    allow_unchanged = BooleanField(_l("Publish anyway, although nothing changed"))


class ConfirmForm(FlaskForm):
    """A bare POST form (CSRF only), e.g. the unschedule button."""
