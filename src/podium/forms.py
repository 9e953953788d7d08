"""Form fields shared by every feature."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice
from wtforms import TextAreaField as _WTFormsTextAreaField
from wtforms.validators import Optional

from podium.events.times import (
    AmbiguousLocalTimeError,
    is_ambiguous,
    local_to_utc,
    offset_label,
    utc_to_local,
)


class TextAreaField(_WTFormsTextAreaField):
    """WTForms' text area with line endings normalised to ``\\n``.

    Browsers submit ``\\r\\n``; stored as typed, it would surface as ``&#13;`` in schedule.xml
    and ``\\r\\n`` in JSON and iCalendar exports, and count twice against length limits.
    """

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.replace("\r\n", "\n").replace("\r", "\n")


class WhichTimeField(RadioField):
    """Which occurrence of an ambiguous local time is meant ("first (UTC+2)" / "second
    (UTC+1)"), companion of a local date-time field.

    It has no choices, and templates draw nothing (``templates/_local_time.html``), until
    :func:`resolve_local_time` meets a wall-clock time that happens twice; values are the
    PEP 495 folds ``"0"``/``"1"``.
    """

    def __init__(self, label: object = None, **kwargs: Any) -> None:
        if label is None:
            label = _l("Which one?")
        kwargs.setdefault("validators", [Optional()])
        # Choices are filled in only when needed, so the posted fold is checked by
        # resolve_local_time, not against an empty list.
        super().__init__(label, choices=[], validate_choice=False, **kwargs)

    def offer(self, local: datetime, time_zone: str) -> None:
        """Show the two occurrences of naive ``local`` in ``time_zone`` as the choices."""
        self.label.text = _(
            "Which %(time)s on %(date)s?",
            time=local.strftime("%H:%M"),
            date=local.strftime("%Y-%m-%d"),
        )
        zone = ZoneInfo(time_zone)
        first = offset_label(local.replace(tzinfo=zone, fold=0))
        second = offset_label(local.replace(tzinfo=zone, fold=1))
        # As podium.events.times.ambiguous_choices words them, in the request's language.
        self.choices = [
            SelectChoice("0", _("first (%(offset)s)", offset=first)),  # type: ignore[list-item]
            SelectChoice("1", _("second (%(offset)s)", offset=second)),  # type: ignore[list-item]
        ]

    @property
    def fold(self) -> int | None:
        """The chosen fold (0 or 1), or None when nothing valid was chosen."""
        return {"0": 0, "1": 1}.get(str(self.data)) if self.data is not None else None


def resolve_local_time(
    local: datetime | None, which: WhichTimeField, time_zone: str
) -> datetime | None:
    """A form's naive wall-clock ``local`` in IANA ``time_zone`` as aware UTC (None stays None).

    The one place organizer forms turn typed local times into instants: an ambiguous time
    uses the fold chosen in ``which`` and otherwise makes ``which`` offer both occurrences
    (it stays offered, with the choice kept, while the time is ambiguous).

    Raises:
        AmbiguousLocalTimeError: ``local`` happens twice and ``which`` has no choice yet.
        LocalTimeError: ``local`` is skipped by a DST change or its year is out of range;
            callers put the message on the date-time field.
    """
    if local is None:
        return None
    naive = local.replace(tzinfo=None)
    try:
        ambiguous = is_ambiguous(naive, time_zone)
    except (OverflowError, ValueError):
        ambiguous = False  # an out-of-range year; local_to_utc names the problem
    if ambiguous:
        which.offer(naive, time_zone)
    try:
        return local_to_utc(naive, time_zone, fold=which.fold)
    except AmbiguousLocalTimeError:
        which.data = None
        raise


def offer_stored_time(instant: datetime | None, which: WhichTimeField, time_zone: str) -> None:
    """Pre-select in ``which`` the occurrence of aware ``instant`` when its local time is
    ambiguous, so re-saving an unchanged form keeps the same instant."""
    local = utc_to_local(instant, time_zone)
    if instant is None or local is None or not is_ambiguous(local, time_zone):
        return
    which.offer(local, time_zone)
    which.data = str(instant.astimezone(ZoneInfo(time_zone)).fold)
