"""Dates and times written for the request's language, in a time zone the caller chose.

Only the words and the order change with the language (CLDR data through Babel); every
function takes values already converted to the wall-clock time that should be shown, or an
aware UTC instant plus an IANA zone, so the time-zone maths stays in :mod:`podium.events.times`.

English keeps Podium's conference style: 24-hour times and ISO dates ("2025-02-01 10:00",
"Saturday 01 February 2025"), as FOSDEM, CCC and DebConf print their English programs. German,
French and Spanish use CLDR's patterns, which are 24-hour for all three.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton
from flask_babel import get_locale

from podium.i18n.locales import DEFAULT_LANGUAGE

# English strftime patterns by style; other languages use the CLDR skeleton of the same style.
_ENGLISH = {
    "day": "%A %d %B %Y",  # Saturday 01 February 2025
    "day_month": "%A %d %B",  # Saturday 01 February
    "day_short": "%a %d %b",  # Sat 01 Feb
    "day_short_year": "%a %d %b %Y",  # Sat 01 Feb 2025
    "weekday_short": "%a",  # Sat
    "datetime": "%Y-%m-%d %H:%M",  # 2025-02-01 10:00
    "datetime_seconds": "%Y-%m-%d %H:%M:%S",
    "day_time": "%A %d %B %Y, %H:%M",  # Saturday 01 February 2025, 10:00
    "time": "%H:%M",
    "time_seconds": "%H:%M:%S",
}
_SKELETONS = {
    "day_month": "MMMMEd",  # de: Sa., 1. Februar
    "day_short": "MMMEd",  # de: Sa., 1. Feb.
    "day_short_year": "yMMMEd",  # de: Sa., 1. Feb. 2025
    "weekday_short": "E",  # de: Sa.
    "time": "Hm",  # 10:00
    "time_seconds": "Hms",
}
# Date-and-time styles: a date skeleton and a time skeleton joined by the language's own
# pattern (CLDR dateTimeFormats: "{1}, {0}" in German, "{1} {0}" in French).
_JOINED = {
    "datetime": ("yMd", "Hm", "short"),  # de: 1.2.2025, 10:00
    "datetime_seconds": ("yMd", "Hms", "short"),
    "day_time": ("full", "Hm", "long"),  # de: Samstag, 1. Februar 2025 um 10:00
}
STYLES = frozenset(_ENGLISH)


def current_language() -> str:
    """The request's language code ("en" outside a request)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def format_wall(value: dt.date | dt.datetime | None, style: str = "day") -> str:
    """``value`` (a date, or a datetime already in the zone to show) in the request's language.

    ``style`` is one of :data:`STYLES`; the time of a naive or aware datetime is printed as
    it is, never converted. Returns "" for None. Raises KeyError for an unknown style.
    """
    if value is None:
        return ""
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return value.strftime(_ENGLISH[style])
    if not isinstance(value, dt.datetime):
        # Babel formats a date through a datetime; midnight never shows (no time fields).
        value = dt.datetime.combine(value, dt.time())
    # An aware value would be converted to UTC by Babel; it is already wall-clock time.
    naive = value.replace(tzinfo=None)
    locale = get_locale()
    if style in _JOINED:
        date_skeleton, time_skeleton, join = _JOINED[style]
        pattern = str(locale.datetime_formats[join])
        date_text = _date_text(date_skeleton, naive, locale)
        time_text = format_skeleton(time_skeleton, naive, locale=locale, fuzzy=True)
        return pattern.replace("{1}", date_text).replace("{0}", time_text).replace("'", "")
    if style == "day":
        return format_date(naive, "full", locale=locale)
    return format_skeleton(_SKELETONS[style], naive, locale=locale, fuzzy=True)


def _date_text(skeleton: str, value: dt.datetime, locale: Locale) -> str:
    # "full" is CLDR's full date (weekday and month written out): fuzzy skeleton matching
    # would shorten the weekday.
    if skeleton == "full":
        return format_date(value, "full", locale=locale)
    return format_skeleton(skeleton, value, locale=locale, fuzzy=True)


def format_instant(instant: dt.datetime | None, time_zone: str, style: str = "datetime") -> str:
    """An aware instant as wall-clock time in IANA ``time_zone``, in the request's language.

    Returns "" for None. Raises KeyError for an unknown style.
    """
    if instant is None:
        return ""
    return format_wall(instant.astimezone(ZoneInfo(time_zone)), style)
