"""Forms of the mail pages: editing a held mail."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class HeldMailForm(FlaskForm):
    """Subject and text of one held mail, edited before it is sent."""

    subject = StringField("Subject", validators=[DataRequired(), Length(max=300)])
    body = TextAreaField("Text", validators=[DataRequired(), Length(max=20000)])


class MailTextForm(FlaskForm):
    """An event's own text for one kind of mail (placeholders checked by the service)."""

    subject = StringField("Subject", validators=[DataRequired(), Length(max=300)])
    body = TextAreaField("Text", validators=[DataRequired(), Length(max=20000)])
