"""Wall-clock time in an event's IANA zone versus stored UTC instants, and the CfP window.

Organizers type CfP instants as local date-times in the event's zone; Podium stores aware UTC.
Nothing here reads the server's local zone, so results do not depend on ``TZ``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import gettext as _

from podium.db import utcnow


class LocalTimeError(ValueError):
    """A local wall-clock time that does not exist in the zone (skipped by a DST change)."""


class AmbiguousLocalTimeError(LocalTimeError):
    """A local wall-clock time that happens twice in the zone (clocks going back).

    ``choices`` are ``(fold, label)`` pairs to offer, e.g. ``[(0, "first (UTC+2)"),
    (1, "second (UTC+1)")]``; pass the chosen fold back to :func:`local_to_utc`.
    """

    def __init__(self, message: str, choices: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.choices = choices


# Years an organizer may type; see local_to_utc.
MIN_YEAR = 1900
MAX_YEAR = 2999


@cache
def known_time_zones() -> frozenset[str]:
    """Every IANA zone name the system's tz database knows (e.g. ``Pacific/Auckland``)."""
    return frozenset(available_timezones())


def is_valid_time_zone(name: str) -> bool:
    """True when ``name`` is an IANA zone ZoneInfo can load (``UTC`` included)."""
    if not name or name not in known_time_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_to_utc(local: datetime, time_zone: str, *, fold: int | None = None) -> datetime:
    """Turn a naive wall-clock ``local`` in ``time_zone`` into an aware UTC instant.

    An ambiguous time (the repeated hour or half hour when clocks go back) needs ``fold``:
    0 for its first occurrence, 1 for the second; with ``fold`` None it is refused rather
    than guessed. ``fold`` is ignored for times that happen once.

    Raises:
        AmbiguousLocalTimeError: ``local`` happens twice and ``fold`` is None; its
            ``choices`` name both occurrences with their UTC offsets.
        LocalTimeError: ``local`` falls in the time skipped when DST starts, or its year is
            outside :data:`MIN_YEAR`..:data:`MAX_YEAR`.
    """
    zone = ZoneInfo(time_zone)
    naive = local.replace(tzinfo=None, fold=0)
    if not MIN_YEAR <= naive.year <= MAX_YEAR:
        # Near years 1 and 9999 the conversion to UTC (or to a visitor's zone later)
        # overflows datetime's range; no conference needs those years anyway.
        raise LocalTimeError(
            _("Enter a year between %(first)s and %(last)s.", first=MIN_YEAR, last=MAX_YEAR)
        )
    instant = naive.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        raise LocalTimeError(
            _(
                "%(time)s does not exist in %(zone)s (DST change): clocks skip it; enter a "
                "time before or after the change.",
                time=naive.strftime("%Y-%m-%d %H:%M"),
                zone=time_zone,
            )
        )
    if is_ambiguous(naive, time_zone):
        if fold is None:
            choices = ambiguous_choices(naive, time_zone)
            raise AmbiguousLocalTimeError(
                _(
                    "%(time)s happens twice in %(zone)s (clocks go back): choose the "
                    "%(first)s or the %(second)s one.",
                    time=naive.strftime("%Y-%m-%d %H:%M"),
                    zone=time_zone,
                    first=choices[0][1],
                    second=choices[1][1],
                ),
                choices,
            )
        instant = naive.replace(tzinfo=zone, fold=1 if fold else 0).astimezone(UTC)
    return instant


def is_ambiguous(local: datetime, time_zone: str) -> bool:
    """True when naive wall-clock ``local`` happens twice in ``time_zone`` (clocks go back)."""
    zone = ZoneInfo(time_zone)
    first = local.replace(tzinfo=zone, fold=0).utcoffset()
    second = local.replace(tzinfo=zone, fold=1).utcoffset()
    # PEP 495: in a repeated time the first occurrence has the larger offset (clocks went
    # back); in a skipped time it is the other way round.
    return first is not None and second is not None and first > second


def ambiguous_choices(local: datetime, time_zone: str) -> list[tuple[int, str]]:
    """``[(0, "first (UTC+2)"), (1, "second (UTC+1)")]`` for an ambiguous naive ``local``."""
    zone = ZoneInfo(time_zone)
    return [
        (fold, f"{word} ({offset_label(local.replace(tzinfo=zone, fold=fold))})")
        for fold, word in ((0, "first"), (1, "second"))
    ]


def offset_label(moment: datetime) -> str:
    """``"UTC+2"``, ``"UTC-3:30"``, ``"UTC+10:30"``, ``"UTC"`` for an aware ``moment``."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}:{rest:02d}" if rest else f"UTC{sign}{hours}"


def local_time_label(instant: datetime, time_zone: str, fmt: str = "%H:%M") -> str:
    """``instant`` (aware) as wall-clock ``fmt`` in ``time_zone``, with the UTC offset added
    when that wall-clock time happens twice that day: ``"02:30 (UTC+2)"``, else ``"02:30"``.
    """
    local = instant.astimezone(ZoneInfo(time_zone))
    text = local.strftime(fmt)
    if is_ambiguous(local.replace(tzinfo=None, fold=0), time_zone):
        return f"{text} ({offset_label(local)})"
    return text


def range_needs_offsets(start: datetime, end: datetime, time_zone: str) -> bool:
    """Whether a range's wall-clock labels in ``time_zone`` must show UTC offsets: it spans a
    DST change, or one of its ends is a wall-clock time that happens twice."""
    zone = ZoneInfo(time_zone)
    first, last = start.astimezone(zone), end.astimezone(zone)
    return first.utcoffset() != last.utcoffset() or any(
        is_ambiguous(moment.replace(tzinfo=None, fold=0), time_zone) for moment in (first, last)
    )


def local_range_label(
    start: datetime, end: datetime, time_zone: str, fmt: str = "%H:%M", sep: str = "\u2013"
) -> str:
    """``"10:00-10:30"`` (joined by ``sep``, an en dash) for aware ``start``/``end`` in
    ``time_zone``. Across a DST change, or at a repeated wall-clock time, both ends carry
    their UTC offset: a 60-minute slot from 02:30 CEST reads ``"02:30 (UTC+2)-02:30 (UTC+1)"``
    instead of the baffling ``"02:30-02:30"``."""
    zone = ZoneInfo(time_zone)
    first, last = start.astimezone(zone), end.astimezone(zone)
    if range_needs_offsets(start, end, time_zone):
        return (
            f"{first.strftime(fmt)} ({offset_label(first)}){sep}"
            f"{last.strftime(fmt)} ({offset_label(last)})"
        )
    return f"{first.strftime(fmt)}{sep}{last.strftime(fmt)}"


def utc_to_local(instant: datetime | None, time_zone: str) -> datetime | None:
    """The naive wall-clock time in ``time_zone`` of an aware ``instant`` (``None`` passes)."""
    if instant is None:
        return None
    return instant.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)


def describe_local(instant: datetime | None, time_zone: str) -> str:
    """``"2026-12-01 23:59 NZDT (Pacific/Auckland)"``, or ``""`` for ``None``."""
    if instant is None:
        return ""
    local = instant.astimezone(ZoneInfo(time_zone))
    from podium.i18n.dates import format_wall  # imported here: podium.i18n imports events

    return f"{format_wall(local, 'datetime')} {local.tzname()} ({time_zone})"


def cfp_is_open(
    opens_at: datetime | None, closes_at: datetime | None, *, now: datetime | None = None
) -> bool:
    """True when ``opens_at <= now < closes_at`` (aware UTC instants; ``now`` defaults to now).

    A CfP without an opening or closing instant is not open: organizers open it by setting both.
    The closing instant itself is already closed, so "closes 23:59" accepts 23:58:59.
    """
    if opens_at is None or closes_at is None:
        return False
    current = now if now is not None else utcnow()
    return opens_at <= current < closes_at
