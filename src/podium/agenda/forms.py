"""Organizer form of the embeddable schedule widget."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Length

from podium.forms import TextAreaField


class WidgetSettingsForm(FlaskForm):
    """The origins allowed to frame the widget, one per line (checked by the service)."""

    origins = TextAreaField(
        _l("Sites that may embed the widget"),
        validators=[Length(max=4000)],
        description=_l(
            "One origin per line, e.g. https://www.example.org. Leave empty to allow "
            "no site: browsers then refuse to show the widget inside another page."
        ),
    )
