"""Value clean-up shared by the exchange parsers and writers.

Parsers use these to turn what real exports contain (base64 guids, ``HH:MM:SS`` durations,
control characters, offsets without a zone name) into the canonical ``ScheduleData`` values;
writers use them to keep output valid whatever user text contains.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Protocol
from urllib.parse import urljoin, urlsplit

from flask_babel import gettext as _


class SessionLike(Protocol):
    """Anything with a ``guid`` and an integer ``id``."""

    guid: str
    id: int


# Characters XML 1.0 forbids (even as references) plus lone surrogates and non-characters;
# iCalendar and JSON consumers choke on the C0 ones too. Tab, LF and CR are kept.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_DURATION = re.compile(r"(\d{1,3}):(\d{1,2})(?::(\d{1,2}))?")
_UUID = re.compile(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")
_SLUG_XML = re.compile(r"[a-z0-9_]{4,}-[a-z0-9\-_]{4,}")
_SLUG_JSON = re.compile(r"[a-z0-9_-]+[a-z0-9]")
_ASCII_SPACE = re.compile(r"[ \t\n\r]+")
_HTTP = re.compile(r"https?://\S+", re.IGNORECASE)
# A URL scheme as browsers read it: they drop ASCII whitespace and controls first, so
# "java\tscript:" is "javascript:".
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")

MAX_LINK_URL = 2000
"""Longest link or attachment URL kept (characters); longer ones cannot be cut, so they go."""

# Guids of sessions and people a file gives no UUID for are derived in this namespace, so
# importing the same file twice yields the same guids.
PODIUM_NAMESPACE = uuid.UUID("6f0f3b56-6a2b-5c1e-9a58-2a8c1d6c1f10")


def strip_control(text: str) -> str:
    """Remove characters that are invalid in XML 1.0 (C0 controls except tab/LF/CR, DEL...)."""
    return _CONTROL.sub("", text)


def clean_text(text: str | None) -> str:
    """User text as stored: control characters removed, CRLF/CR turned into LF, trimmed."""
    if not text:
        return ""
    text = strip_control(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def clean_line(text: str | None) -> str:
    """A one-line value (title, name): ``clean_text`` with whitespace runs made one space.

    Only spaces, tabs and line breaks collapse; no-break and other Unicode spaces are kept
    because they are deliberate (``10\u00a0%``).
    """
    return _ASCII_SPACE.sub(" ", clean_text(text))


MAX_DURATION_MINUTES = 14 * 24 * 60
"""Longest session an import accepts (minutes): 14 days, longer than any camp's opening hours."""


def parse_duration_minutes(value: str) -> int:
    """Whole minutes from ``HH:MM``, ``HH:MM:SS`` or ``DDD:HH:MM`` (hours may exceed 24).

    Three parts whose first has three digits are days, hours and minutes (the c3voc form
    ``001:02:30`` is 1 day 2 hours 30 minutes); otherwise three parts are hours, minutes and
    seconds, and seconds are rounded. Raises ``ValueError`` for anything else and for a
    duration over ``MAX_DURATION_MINUTES``; the message gives the form or the limit.
    """
    text = value.strip()
    match = _DURATION.fullmatch(text)
    if not match:
        raise ValueError(
            _("%(value)s is not a duration in HH:MM, HH:MM:SS or DDD:HH:MM", value=repr(text))
        )
    first, second, third = match.groups()
    if third is not None and len(first) == 3:
        days, hours, minutes, seconds = int(first), int(second), int(third), 0
        if hours >= 24 or minutes >= 60:
            raise ValueError(
                _(
                    "%(value)s is not a duration in DDD:HH:MM: hours must be 00 to 23 and "
                    "minutes 00 to 59",
                    value=repr(text),
                )
            )
    else:
        days, hours, minutes = 0, int(first), int(second)
        seconds = int(third) if third else 0
        if minutes >= 60 or seconds >= 60:
            raise ValueError(
                _(
                    "%(value)s is not a duration in HH:MM or HH:MM:SS: minutes and seconds "
                    "must be 00 to 59",
                    value=repr(text),
                )
            )
    total = days * 1440 + hours * 60 + minutes + (1 if seconds >= 30 else 0)
    if total > MAX_DURATION_MINUTES:
        raise ValueError(duration_too_long(text, total))
    return total


def duration_too_long(text: str, total: int) -> str:
    """The message for a duration ``text`` of ``total`` minutes, over
    :data:`MAX_DURATION_MINUTES`, in the request's language."""
    return _(
        "%(value)s is %(total)s minutes; a session lasts at most %(max)s minutes (%(days)s days)",
        value=repr(text),
        total=total,
        max=MAX_DURATION_MINUTES,
        days=MAX_DURATION_MINUTES // 1440,
    )


def format_duration(minutes: int) -> str:
    """``HH:MM`` for a whole number of minutes (hours may exceed 24)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def normalize_guid(raw: str | None, *, fallback_name: str) -> str:
    """A canonical lower-case UUID string for a session or person identifier.

    Accepts a UUID (any case, with or without dashes) and the 22-character URL-safe base64 form
    of one (31c3's frab). Anything else, or nothing, becomes a UUIDv5 of ``fallback_name``
    (which callers build from stable facts such as the conference slug and the local id),
    so the same file always gives the same guid.
    """
    value = (raw or "").strip()
    if _UUID.fullmatch(value):
        return str(uuid.UUID(value))
    if len(value) == 22:
        try:
            decoded = base64.urlsafe_b64decode(value + "==")
        except (binascii.Error, ValueError):
            decoded = b""
        if len(decoded) == 16:
            return str(uuid.UUID(bytes=decoded))
    name = f"{fallback_name}:{value}" if value else fallback_name
    return str(uuid.uuid5(PODIUM_NAMESPACE, name))


def room_guid(raw: str | None, *, acronym: str, name: str) -> str:
    """A room's UUID: ``raw`` if it is one, else a UUIDv5 of the conference slug and name.

    Schedule JSON requires a room guid; deriving it from stable facts keeps every format's
    export of the same data identical.
    """
    value = (raw or "").strip()
    if _UUID.fullmatch(value):
        return str(uuid.UUID(value))
    return str(uuid.uuid5(PODIUM_NAMESPACE, f"{acronym}/room/{name}"))


def unique_session_ids(sessions: Iterable[SessionLike]) -> dict[str, int]:
    """``{guid: id}`` with every id a distinct positive integer, as the formats require.

    Sessions keep their own id unless it is < 1 or already taken; those get the next free one.
    """
    ids: dict[str, int] = {}
    used: set[int] = set()
    pending: list[str] = []
    for session in sessions:
        if session.id >= 1 and session.id not in used:
            ids[session.guid] = session.id
            used.add(session.id)
        else:
            pending.append(session.guid)
    next_id = max(used, default=0) + 1
    for guid in pending:
        ids[guid] = next_id
        next_id += 1
    return ids


def is_uuid(value: str | None) -> bool:
    """True for a dashed UUID string."""
    return bool(value) and len(value) == 36 and bool(_UUID.fullmatch(value))  # type: ignore[arg-type]


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by ``-`` (``"Ünïcode & more"`` -> ``"unicode-more"``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def normalize_acronym(text: str) -> str:
    """Conference slug: lower case, ``[a-z0-9_-]``, at least 4 characters (XSD ``acronym``)."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", clean_line(text).lower()).strip("-")
    return (slug or "conference").ljust(4, "_")


def session_slug(
    raw: str | None, *, acronym: str, local_id: int, title: str, only: str | None = None
) -> str:
    """A session slug that both the XSD (``voc-slug-new``) and JSON schema 1 accept.

    Keeps ``raw`` when it already fits; otherwise builds ``<acronym>-<id>-<title words>``.
    ``only="xml"`` or ``only="json"`` checks that format's pattern alone, so a slug one
    format allows survives there unchanged (schedule apps key on it); for JSON a slug that
    fits once its trailing dashes are dropped (schema 1 wants a letter or digit last) keeps
    the rest.
    """
    candidate = (raw or "").strip()
    if only == "xml" and _SLUG_XML.fullmatch(candidate):
        return candidate
    if only == "json" and _SLUG_JSON.fullmatch(candidate.rstrip("-_") or "-"):
        return candidate.rstrip("-_")
    if _SLUG_XML.fullmatch(candidate) and _SLUG_JSON.fullmatch(candidate):
        return candidate
    prefix = re.sub(r"[^a-z0-9_]+", "_", acronym.lower()).strip("_").ljust(4, "_")
    words = slugify(title)[:60].strip("-") or "session"
    slug = f"{prefix}-{local_id}-{words}"
    return slug if _SLUG_JSON.fullmatch(slug) else f"{slug}-s"


def absolute_url(url: str | None, base_url: str | None) -> str | None:
    """``url`` if it is absolute http(s); a root-relative path joined onto a ``base_url``.

    Only a path starting with one ``/`` is joined (frab and pretalx give attachments as
    ``/system/...`` on their own host). Anything else gives None, in particular scheme-less
    host names (``nymtech.net``, ``atlas.cern.ch``): joined onto the base URL they would
    become wrong addresses on the schedule's host, and nothing tells a host from a file name.
    """
    if not url:
        return None
    url = strip_control(url).strip()
    if _HTTP.fullmatch(url):
        return url
    root_relative = url.startswith("/") and not url.startswith("//")
    if root_relative and base_url and _HTTP.fullmatch(base_url.strip()):
        joined = urljoin(base_url.strip(), url)
        return joined if _HTTP.fullmatch(joined) else None
    return None


def web_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host, at most ``MAX_LINK_URL`` long.

    The scheme is lower-cased (``HTTPS://x`` -> ``https://x``); anything else (``javascript:``,
    ``data:``, relative paths, whitespace inside, no host) gives None. Links stored and shown
    by Podium pass through this, so no script URL reaches a page or an export.
    """
    if not url:
        return None
    url = url.strip()
    if len(url) > MAX_LINK_URL or not _HTTP.fullmatch(url) or _IGNORED_IN_URL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an invalid IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme.lower() + url[len(parts.scheme) :]


def link_target(href: str, base_url: str | None) -> str | None:
    """Where an exported link points: absolute http(s), or relative when no base anchors it.

    A URL with any other scheme (``javascript:``, ``data:``, ``mailto:``...) gives None, so
    writers leave the link out.
    """
    absolute = absolute_url(href, base_url)
    if absolute:
        return absolute
    relative = strip_control(href).strip()
    if not relative or _SCHEME.match(_IGNORED_IN_URL.sub("", relative)):
        return None
    return relative


def zone_name_for_offsets(offsets: Iterable[dt.timedelta]) -> str | None:
    """An IANA fixed-offset zone for a file that gives only UTC offsets, or None.

    One offset of whole hours gives ``UTC`` or ``Etc/GMT-1`` style (POSIX sign: ``Etc/GMT-1``
    is UTC+01:00). Several offsets (a DST change) or a fractional one give None: no IANA name
    follows from them.
    """
    distinct = Counter(offsets)
    if len(distinct) != 1:
        return None
    (offset,) = distinct
    seconds = int(offset.total_seconds())
    if seconds == 0:
        return "UTC"
    if seconds % 3600 or abs(seconds) > 14 * 3600:
        return None
    hours = seconds // 3600
    return f"Etc/GMT{-hours:+d}"


def round_up_to_minute(value: dt.time) -> dt.time:
    """``03:59`` -> ``04:00``; ``02:59:59`` -> ``03:00``; ``04:00`` unchanged.

    Exports often end a conference day one minute or second before the next day starts.
    """
    minutes = value.hour * 60 + value.minute + (1 if value.second or value.microsecond else 0)
    if minutes % 60 == 59:
        minutes += 1
    minutes %= 1440
    return dt.time(minutes // 60, minutes % 60)


def derive_day_change(bounds: Iterable[tuple[dt.datetime | None, dt.datetime | None]]) -> dt.time:
    """The local day-change time implied by conference day blocks, or 00:00.

    ``bounds`` are each day's (start, end) as local datetimes in the conference zone (either
    may be None; such days say nothing). Only days whose end falls on a later calendar date
    than their start say anything: their end (rounded up, since exports stop a day a minute
    or second early) is the day change; the most common one wins, because a last day often
    ends early. The result never lies after a day's start, so every day keeps its own date.
    """
    crossings: Counter[dt.time] = Counter()
    earliest_start: dt.time | None = None
    for start, end in bounds:
        if start is not None:
            earliest_start = min(earliest_start or start.time(), start.time())
        if start is not None and end is not None and end.date() > start.date():
            crossings[round_up_to_minute(end.time())] += 1
    if not crossings:
        return dt.time(0, 0)
    change = crossings.most_common(1)[0][0]
    if earliest_start is not None and change > earliest_start:
        change = dt.time(earliest_start.hour, earliest_start.minute)
    return change
