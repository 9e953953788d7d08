"""Organizer forms: event settings, tracks, rooms, session types, team invitations.

Forms check shape (required, length, number ranges); rules that need the database or the
event's zone (reserved or taken slugs, DST gaps) are checked by the services, whose errors the
views attach to the named field.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
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
from wtforms.widgets import CheckboxInput, ListWidget

from podium.events.enums import TeamRole
from podium.events.languages import (
    content_language_choices,
    default_language_choices,
    primary_code,
)
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
            _(
                "“%(zone)s” is not an IANA time zone; use a name like Europe/Brussels.",
                zone=field.data,
            )
        )


def _year_in_range(field: DateField) -> None:
    # Days near year 9999 overflow datetime once the editor turns them into UTC instants.
    if field.data and not MIN_YEAR <= field.data.year <= MAX_YEAR:
        raise ValidationError(
            _("Enter a year between %(first)s and %(last)s.", first=MIN_YEAR, last=MAX_YEAR)
        )


class EventForm(FlaskForm):
    """Event settings; CfP fields are wall-clock times in the event's zone."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    time_zone = StringField(
        _l("Time zone"),
        validators=[DataRequired(), Length(max=64), _time_zone_known],
        description=_l("IANA name, e.g. Europe/Brussels or America/Los_Angeles."),
    )
    start_date = DateField(_l("First day"), validators=[DataRequired()])
    end_date = DateField(_l("Last day"), validators=[DataRequired()])
    cfp_opens_at = DateTimeLocalField(_l("CfP opens"), format=LOCAL_FORMAT, validators=[Optional()])
    cfp_closes_at = DateTimeLocalField(
        _l("CfP closes"), format=LOCAL_FORMAT, validators=[Optional()]
    )
    cfp_opens_at_fold = WhichTimeField()
    cfp_closes_at_fold = WhichTimeField()
    is_public = BooleanField(_l("Public (listed, program visible)"))
    url = StringField(
        _l("Website"),
        validators=[
            Optional(),
            Length(max=500),
            # \Z, not $: "$" also matches before a final newline.
            Regexp(r"^https?://\S+\Z", message=_l("Use a full http:// or https:// address.")),
        ],
    )
    description = TextAreaField(
        _l("Description"), validators=[Length(max=20000)], description=_l("Markdown.")
    )
    default_language = SelectField(
        _l("Default language"),
        validate_choice=False,  # checked by validate_default_language, naming the field
        description=_l(
            "Pages and e-mails use it for people whose browser asks for none of Podium's languages."
        ),
    )
    content_languages = SelectMultipleField(
        _l("Languages of sessions"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # checked by validate_content_languages, naming the field
        description=_l(
            "The languages sessions may be held in; none ticked means only the default "
            "language. Visitors can filter the program by them."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        obj = kwargs.get("obj")
        stored = list(getattr(obj, "content_languages", None) or [])
        self.default_language.choices = default_language_choices()
        self.content_languages.choices = content_language_choices(stored)

    def validate_default_language(self, field: SelectField) -> None:
        known = {code for code, _name in default_language_choices()}
        if field.data and field.data not in known:
            raise ValidationError(
                _(
                    "Default language: “%(code)s” is not one of the listed languages.",
                    code=str(field.data)[:20],
                )
            )

    def validate_content_languages(self, field: SelectMultipleField) -> None:
        known = {code for code, _name in self.content_languages.choices}
        for code in field.data or []:
            if code not in known:
                raise ValidationError(
                    _(
                        "Languages of sessions: “%(code)s” is not one of the listed languages.",
                        code=str(code)[:20],
                    )
                )

    def languages(self) -> tuple[str | None, list[str]]:
        """The chosen default language (None when the form did not send one) and the
        content languages, primary codes without repeats, in the order of the choices."""
        chosen = {primary_code(code) for code in self.content_languages.data or []}
        ordered = [code for code, _name in self.content_languages.choices if code in chosen]
        return (self.default_language.data or None), ordered

    def validate_start_date(self, field: DateField) -> None:
        _year_in_range(field)

    def validate_end_date(self, field: DateField) -> None:
        _year_in_range(field)
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_("The last day cannot be before the first day."))

    def validate_cfp_closes_at(self, field: DateTimeLocalField) -> None:
        opens = self.cfp_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_("The CfP must close after it opens."))
        if bool(opens) != bool(field.data) and not self.cfp_opens_at.errors:
            raise ValidationError(_("Set both the CfP opening and closing, or neither."))


class NewEventForm(EventForm):
    """Creating an event also picks its slug, which is fixed afterwards."""

    slug = StringField(
        _l("Short name (in URLs)"),
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(
                r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z",
                message=_l("Use lower-case letters, digits and hyphens (not at either end)."),
            ),
        ],
    )


class TrackForm(FlaskForm):
    """A track: name and colour (``#rrggbb``)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    color = StringField(
        _l("Colour"),
        default="#3b6ea8",
        validators=[
            DataRequired(),
            Regexp(r"^#[0-9a-fA-F]{6}\Z", message=_l("Use a colour like #3366cc.")),
        ],
    )


class RoomForm(FlaskForm):
    """A room: name, seats, position in the schedule grid."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=0, max=100000)])
    position = IntegerField(
        _l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=10000)]
    )


class SessionTypeForm(FlaskForm):
    """A session type and its default duration in minutes."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    default_duration_minutes = IntegerField(
        _l("Default duration (minutes)"),
        default=30,
        validators=[
            InputRequired(message=_l("Enter a whole number of minutes greater than 0.")),
            NumberRange(min=1, max=24 * 60, message=_l("Between 1 and 1440 minutes.")),
        ],
    )


class TeamInviteForm(FlaskForm):
    """Invite someone to the team by e-mail."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(
        _l("Role"),
        choices=[
            choice(TeamRole.REVIEWER.value, _l("Reviewer")),
            choice(TeamRole.ORGANIZER.value, _l("Organizer")),
        ],
    )
