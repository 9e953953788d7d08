"""Forms of the organizer's API token page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from podium.api.enums import SCOPE_LABELS
from podium.api.services import MAX_NAME_LENGTH


class TokenForm(FlaskForm):
    """A new token's name and scopes (at least one)."""

    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)],
        description="Which program or person will use it, so you know what to revoke.",
    )
    scopes = SelectMultipleField(
        "Scopes",
        choices=[SelectChoice(scope.value, label) for scope, label in SCOPE_LABELS.items()],
        validators=[DataRequired(message="Choose at least one scope.")],
    )
