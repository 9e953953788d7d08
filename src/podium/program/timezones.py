"""The ``?tz=`` parameter: which IANA zone a visitor wants times shown in."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _


class UnknownTimeZone(ValueError):
    """``?tz=`` named no IANA zone; the message names the parameter and the value."""


@cache
def _known() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def zone_info(name: str) -> ZoneInfo:
    """The ZoneInfo of a known IANA zone name (cached)."""
    return ZoneInfo(name)


def resolve(requested: str | None, default: str) -> tuple[str, bool]:
    """``(zone name, is_visitor_choice)`` for a request's ``tz`` value.

    Empty or absent means the event's zone ``default``. Only names in the system's tz
    database are accepted, which also bounds how many cache variants visitors can create.

    Raises:
        UnknownTimeZone: ``requested`` is not an IANA zone name.
    """
    name = (requested or "").strip()
    if not name or name == default:
        return default, False
    if name not in _known():
        shown = name if len(name) <= 64 else name[:61] + "..."
        raise UnknownTimeZone(
            _(
                "The tz parameter %(value)s is not a time zone name; use an IANA name such as "
                "Europe/Brussels or America/New_York, or leave it out for %(default)s.",
                value=repr(shown),
                default=default,
            )
        )
    return name, True
