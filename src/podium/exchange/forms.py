"""The organizers' schedule upload form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional


class ImportScheduleForm(FlaskForm):
    """Upload a schedule file into the event: frab/pentabarf schedule.xml, schedule JSON
    (version 1 or the c3voc version 2) or iCalendar (.ics)."""

    file = FileField(_l("Schedule file"), validators=[FileRequired(_l("Choose a file to import."))])
    time_zone = StringField(
        _l("Time zone (only if the file has none, or to replace the file's; e.g. Europe/Brussels)"),
        validators=[Optional(), Length(max=64)],
    )
