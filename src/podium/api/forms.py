"""Forms of the organizer's API token page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from podium.api.enums import SCOPE_LABELS
from podium.api.services import MAX_NAME_LENGTH


class TokenForm(FlaskForm):
    """A new token's name and scopes (at least one)."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)],
        description=_l("Which program or person will use it, so you know what to revoke."),
    )
    scopes = SelectMultipleField(
        _l("Scopes"),
        choices=[SelectChoice(scope.value, label) for scope, label in SCOPE_LABELS.items()],
        validators=[DataRequired(message=_l("Choose at least one scope."))],
    )
