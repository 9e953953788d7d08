"""Forms of the webhook pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, URLField
from wtforms.validators import DataRequired, Length

from podium.webhooks.enums import EVENT_LABELS


class EndpointForm(FlaskForm):
    """A new endpoint: its URL and the events it wants (at least one)."""

    url = URLField(
        "URL",
        validators=[DataRequired(), Length(max=2000)],
        description="An https:// address on the public internet that accepts POST requests.",
    )
    events = SelectMultipleField(
        "Events",
        choices=[SelectChoice(kind.value, label) for kind, label in EVENT_LABELS.items()],
        validators=[DataRequired(message="Choose at least one event.")],
    )
