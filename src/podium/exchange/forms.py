"""The organizers' schedule upload form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional


class ImportScheduleForm(FlaskForm):
    """Upload a frab/pentabarf schedule.xml or a schedule JSON file into the event."""

    file = FileField("Schedule file", validators=[FileRequired("Choose a file to import.")])
    time_zone = StringField(
        "Time zone (only if the file has none and its offsets vary)",
        validators=[Optional(), Length(max=64)],
    )
