"""The only writers of availability: a speaker's ranges and the event's "required" setting."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from podium.availability import queries
from podium.availability.models import SpeakerAvailability
from podium.availability.ranges import Range, merge
from podium.cfp.models import SpeakerProfile
from podium.events.models import Event
from podium.extensions import db
from podium.schedule.conflicts import event_bounds


class AvailabilityError(Exception):
    """A refused change; ``field`` names the form field at fault (``None``: the whole form)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


LOCKED_MESSAGE = _l(
    "The schedule is published, so your availability can no longer be changed here; "
    "write to the organizers if it changed."
)


def check_ranges(event: Event, ranges: Iterable[Range]) -> list[Range]:
    """``ranges`` merged, after checking each lies within the event's days (UTC bounds).

    Raises:
        AvailabilityError: a range is empty or reversed, or starts before the first day or
            ends after the last day (field ``ranges``).
    """
    first, after_last = event_bounds(
        event.start_date, event.end_date, event.time_zone, event.day_change_minutes or 0
    )
    checked = list(ranges)
    for start, end in checked:
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("availability ranges must be aware instants")
        if end <= start:
            raise AvailabilityError("ranges", _("A range must end after it starts."))
        if start < first or end > after_last:
            raise AvailabilityError("ranges", _("A range lies outside the event's days."))
    return merge(checked)


def set_availability(
    *,
    event: Event,
    speaker: SpeakerProfile,
    ranges: Iterable[Range],
    by_organizer: bool = False,
    commit: bool = True,
) -> list[Range]:
    """Replace ``speaker``'s availability at ``event`` with ``ranges`` (aware UTC), merged.

    Overlapping and touching ranges are joined, so the stored rows are what the editor uses.
    An empty ``ranges`` removes the availability ("not given"). Speakers may change it until
    the event's first schedule release is published; organizers (``by_organizer``) at any
    time. ``commit=False`` leaves the commit to a caller that writes more (the CfP form).

    Returns the stored ranges, earliest first.

    Raises:
        AvailabilityError: a range is outside the event's days, or the schedule is published
            and ``by_organizer`` is false (field ``None``).
    """
    if not by_organizer and queries.schedule_published(event):
        raise AvailabilityError(None, str(LOCKED_MESSAGE))
    merged = check_ranges(event, ranges)
    db.session.execute(
        delete(SpeakerAvailability).where(
            SpeakerAvailability.event_id == event.id,
            SpeakerAvailability.speaker_id == speaker.id,
        )
    )
    db.session.add_all(
        SpeakerAvailability(event_id=event.id, speaker_id=speaker.id, start_at=s, end_at=e)
        for s, e in merged
    )
    if commit:
        db.session.commit()
    return merged


def set_required(*, event: Event, required: bool) -> None:
    """Make the CfP ask every submitter for their availability (``required``) or not."""
    event.availability_required = required
    db.session.commit()
