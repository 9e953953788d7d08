"""Organizer forms: event settings, tracks, rooms, session types, team invitations.

Forms check shape (required, length, number ranges); rules that need the database or the
event's zone (reserved or taken slugs, DST gaps) are checked by the services, whose errors the
views attach to the named field.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from podium.events.enums import TeamRole
from podium.events.times import MAX_YEAR, MIN_YEAR, is_valid_time_zone
from podium.forms import TextAreaField, WhichTimeField

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def choice(value: str, label: str) -> object:
    """One ``<option>`` for a SelectField, in the shape the installed WTForms prefers."""
    return SelectChoice(value, label) if SelectChoice is not None else (value, label)


LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _time_zone_known(form: FlaskForm, field: StringField) -> None:
    if field.data and not is_valid_time_zone(field.data.strip()):
        raise ValidationError(
            f"“{field.data}” is not an IANA time zone; use a name like Europe/Brussels."
        )


def _year_in_range(field: DateField) -> None:
    # Days near year 9999 overflow datetime once the editor turns them into UTC instants.
    if field.data and not MIN_YEAR <= field.data.year <= MAX_YEAR:
        raise ValidationError(f"Enter a year between {MIN_YEAR} and {MAX_YEAR}.")


class EventForm(FlaskForm):
    """Event settings; CfP fields are wall-clock times in the event's zone."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    time_zone = StringField(
        "Time zone",
        validators=[DataRequired(), Length(max=64), _time_zone_known],
        description="IANA name, e.g. Europe/Brussels or America/Los_Angeles.",
    )
    start_date = DateField("First day", validators=[DataRequired()])
    end_date = DateField("Last day", validators=[DataRequired()])
    cfp_opens_at = DateTimeLocalField("CfP opens", format=LOCAL_FORMAT, validators=[Optional()])
    cfp_closes_at = DateTimeLocalField("CfP closes", format=LOCAL_FORMAT, validators=[Optional()])
    cfp_opens_at_fold = WhichTimeField()
    cfp_closes_at_fold = WhichTimeField()
    is_public = BooleanField("Public (listed, program visible)")
    url = StringField(
        "Website",
        validators=[
            Optional(),
            Length(max=500),
            # \Z, not $: "$" also matches before a final newline.
            Regexp(r"^https?://\S+\Z", message="Use a full http:// or https:// address."),
        ],
    )
    description = TextAreaField(
        "Description", validators=[Length(max=20000)], description="Markdown."
    )

    def validate_start_date(self, field: DateField) -> None:
        _year_in_range(field)

    def validate_end_date(self, field: DateField) -> None:
        _year_in_range(field)
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError("The last day cannot be before the first day.")

    def validate_cfp_closes_at(self, field: DateTimeLocalField) -> None:
        opens = self.cfp_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError("The CfP must close after it opens.")
        if bool(opens) != bool(field.data) and not self.cfp_opens_at.errors:
            raise ValidationError("Set both the CfP opening and closing, or neither.")


class NewEventForm(EventForm):
    """Creating an event also picks its slug, which is fixed afterwards."""

    slug = StringField(
        "Short name (in URLs)",
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(
                r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z",
                message="Use lower-case letters, digits and hyphens (not at either end).",
            ),
        ],
    )


class TrackForm(FlaskForm):
    """A track: name and colour (``#rrggbb``)."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    color = StringField(
        "Colour",
        default="#3b6ea8",
        validators=[
            DataRequired(),
            Regexp(r"^#[0-9a-fA-F]{6}\Z", message="Use a colour like #3366cc."),
        ],
    )


class RoomForm(FlaskForm):
    """A room: name, seats, position in the schedule grid."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    capacity = IntegerField("Capacity", validators=[Optional(), NumberRange(min=0, max=100000)])
    position = IntegerField(
        "Order", default=0, validators=[Optional(), NumberRange(min=0, max=10000)]
    )


class SessionTypeForm(FlaskForm):
    """A session type and its default duration in minutes."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    default_duration_minutes = IntegerField(
        "Default duration (minutes)",
        default=30,
        validators=[
            InputRequired(message="Enter a whole number of minutes greater than 0."),
            NumberRange(min=1, max=24 * 60, message="Between 1 and 1440 minutes."),
        ],
    )


class TeamInviteForm(FlaskForm):
    """Invite someone to the team by e-mail."""

    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(
        "Role",
        choices=[
            choice(TeamRole.REVIEWER.value, "Reviewer"),
            choice(TeamRole.ORGANIZER.value, "Organizer"),
        ],
    )
