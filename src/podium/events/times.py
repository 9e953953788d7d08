"""Wall-clock time in an event's IANA zone versus stored UTC instants, and the CfP window.

Organizers type CfP instants as local date-times in the event's zone; Podium stores aware UTC.
Nothing here reads the server's local zone, so results do not depend on ``TZ``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from podium.db import utcnow


class LocalTimeError(ValueError):
    """A local wall-clock time that does not exist in the zone (skipped by a DST change)."""


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


def local_to_utc(local: datetime, time_zone: str) -> datetime:
    """Turn a naive wall-clock ``local`` in ``time_zone`` into an aware UTC instant.

    Ambiguous times (the repeated hour when DST ends) take the first occurrence (``fold=0``).

    Raises:
        LocalTimeError: ``local`` falls in the hour skipped when DST starts, or its year is
            outside :data:`MIN_YEAR`..:data:`MAX_YEAR`.
    """
    zone = ZoneInfo(time_zone)
    naive = local.replace(tzinfo=None)
    if not MIN_YEAR <= naive.year <= MAX_YEAR:
        # Near years 1 and 9999 the conversion to UTC (or to a visitor's zone later)
        # overflows datetime's range; no conference needs those years anyway.
        raise LocalTimeError(f"Enter a year between {MIN_YEAR} and {MAX_YEAR}.")
    instant = naive.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        raise LocalTimeError(f"{naive:%Y-%m-%d %H:%M} does not exist in {time_zone} (DST change)")
    return instant


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
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({time_zone})"


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
