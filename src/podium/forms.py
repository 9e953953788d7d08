"""Form fields shared by every feature."""

from __future__ import annotations

from typing import Any

from wtforms import TextAreaField as _WTFormsTextAreaField


class TextAreaField(_WTFormsTextAreaField):
    """WTForms' text area with line endings normalised to ``\\n``.

    Browsers submit ``\\r\\n``; stored as typed, it would surface as ``&#13;`` in schedule.xml
    and ``\\r\\n`` in JSON and iCalendar exports, and count twice against length limits.
    """

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.replace("\r\n", "\n").replace("\r", "\n")
