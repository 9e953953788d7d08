"""Forms of the webhook pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, URLField
from wtforms.validators import DataRequired, Length

from podium.webhooks.enums import EVENT_LABELS


class EndpointForm(FlaskForm):
    """A new endpoint: its URL and the events it wants (at least one)."""

    url = URLField(
        _l("URL"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("An https:// address on the public internet that accepts POST requests."),
    )
    events = SelectMultipleField(
        _l("Events"),
        choices=[SelectChoice(kind.value, label) for kind, label in EVENT_LABELS.items()],
        validators=[DataRequired(message=_l("Choose at least one event."))],
    )
