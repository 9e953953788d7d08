"""Time-zone facts an import can check or propose: declared zone vs offsets, city -> zone.

A schedule's instants (date-times with a UTC offset) are the truth; its declared zone only
says how to show them. When the two disagree an import keeps the instants and says so; when
a file has no zone at all, its city may name one.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from flask_babel import gettext as _

from podium.exchange.schedule_data import zone

__all__ = ["format_offset", "zone_disagreement", "zone_for_city"]


def format_offset(offset: dt.timedelta) -> str:
    """``+01:00`` style text for a UTC offset."""
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def zone_disagreement(declared: str, values: Iterable[dt.datetime]) -> str | None:
    """A warning when date-times carry offsets the declared zone does not have then, else None.

    ``values`` are the aware date-times as the file wrote them. Values at offset zero are
    ignored: writing instants in UTC (``Z``) is common and says nothing about the local zone.
    The warning says which zone is used (the declared one) and that instants are kept.
    """
    tz = zone(declared)
    wrong: dict[str, int] = {}
    total = 0
    for value in values:
        offset = value.utcoffset()
        if offset is None or not offset:
            continue
        try:
            local_offset = value.astimezone(tz).utcoffset()
        except OverflowError:
            continue  # year 1 or 9999: the range check names that date with its field
        total += 1
        if local_offset != offset:
            text = format_offset(offset)
            wrong[text] = wrong.get(text, 0) + 1
    if not wrong:
        return None
    count = sum(wrong.values())
    seen = ", ".join(sorted(wrong))
    return _(
        "the file declares time zone %(zone)s, but %(count)s of its %(total)s date-times carry "
        "UTC offsets %(zone)s does not have at those dates (%(seen)s); every instant was "
        "kept as the file gives it and local times are shown in %(zone)s, so they differ "
        "from the times written in the file; if %(zone)s is wrong, import again choosing "
        "the right time zone",
        zone=declared,
        count=count,
        total=total,
        seen=seen,
    )


@cache
def _zones_by_city() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for name in zoneinfo.available_timezones():
        if "/" not in name or name.startswith(("Etc/", "SystemV/", "posix/", "right/")):
            continue
        city = _fold(name.rsplit("/", 1)[1].replace("_", " "))
        found.setdefault(city, []).append(name)
    return {city: tuple(sorted(names)) for city, names in found.items()}


def _fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.replace("-", " ").lower().split())


def zone_for_city(city: str | None) -> str | None:
    """The IANA zone whose city part is ``city`` when exactly one is, else None.

    ``Brussels`` -> ``Europe/Brussels``; ``New York`` -> ``America/New_York``; matching
    ignores case and accents. Cities that are not a zone's city part (``Leipzig``) give None:
    guessing a country would be wrong as often as right.
    """
    if not city:
        return None
    names = _zones_by_city().get(_fold(city))
    if not names:
        return None
    if len(names) > 1 and len({_zone_bytes(n) for n in names}) > 1:
        return None
    # Several names for one zone (America/Buenos_Aires links to America/Argentina/...):
    # the longest is the canonical one.
    return max(names, key=lambda n: (n.count("/"), n))


@cache
def _zone_bytes(name: str) -> bytes:
    """The compiled zone data (links share it), or the name itself when it cannot be read."""
    for root in zoneinfo.TZPATH:
        path = Path(root, name)
        if path.is_file():
            return path.read_bytes()
    try:
        return resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return name.encode()
