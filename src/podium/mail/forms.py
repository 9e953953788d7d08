"""Forms of the mail pages: a held mail, an event's mail texts, a mail to speakers."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length


class HeldMailForm(FlaskForm):
    """Subject and text of one held mail, edited before it is sent."""

    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=20000)])


class MailTextForm(FlaskForm):
    """An event's own text for one kind of mail (placeholders checked by the service)."""

    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=20000)])


class ComposeForm(FlaskForm):
    """A mail to a group of speakers; the view fills the track, type and proposal choices."""

    group = SelectField(_l("To"), validators=[InputRequired()])
    track_id = SelectField(_l("Only the track"), coerce=int, default=0)
    session_type_id = SelectField(_l("Only the session type"), coerce=int, default=0)
    submission_ids = SelectMultipleField(
        _l("Hand-picked proposals"), coerce=int, validate_choice=False, default=[]
    )
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=20000)])

    def validate_submission_ids(self, field: SelectMultipleField) -> None:
        """Hand-picking needs at least one ticked proposal."""
        if self.group.data == "picked" and not field.data:
            raise ValidationError(_("Tick at least one proposal, or choose another group."))
