"""Errors raised by the schedule exchange formats."""

from __future__ import annotations

from flask_babel import gettext as _


class ScheduleImportError(ValueError):
    """A schedule document could not be read.

    The message names the element (an XML tag or a JSON path) and, where known, the line
    in the document, e.g. ``<duration> on line 42: '1h' is not HH:MM or HH:MM:SS``.
    ``element`` and ``line`` carry the same facts for callers that want them separately.
    ``suggested_zone`` is an IANA zone the caller may offer when the file lacks one.
    """

    def __init__(
        self,
        message: str,
        *,
        element: str | None = None,
        line: int | None = None,
        suggested_zone: str | None = None,
    ):
        if element and line:
            text = _(
                "%(element)s on line %(line)s: %(message)s",
                element=element,
                line=line,
                message=message,
            )
        elif line:
            text = _("on line %(line)s: %(message)s", line=line, message=message)
        elif element:
            text = f"{element}: {message}"
        else:
            text = message
        super().__init__(text)
        self.element = element
        self.line = line
        self.reason = message
        self.suggested_zone = suggested_zone
