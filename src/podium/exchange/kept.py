"""Schedule-file facts Podium has no column for, kept in ``exchange_extra`` (JSON) rows.

An event keeps ``logo``, ``venue`` and ``city``; a submission keeps ``logo``,
``feedback_url``, ``origin_url``, ``recording_license`` and ``do_not_stream``. The import
stores what the file gives; building a schedule for a release puts them back into
``Conference`` / ``SessionData`` so every export that has a place for them writes them.
URLs are kept only when absolute http(s) (``normalize.web_url``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from podium.exchange.normalize import clean_line, web_url
from podium.exchange.schedule_data import Conference, SessionData

__all__ = ["conference_extra", "conference_fields", "session_extra", "session_fields"]

_URL_KEYS = ("logo", "feedback_url", "origin_url")
_LICENSE_LENGTH = 200


def session_extra(session: SessionData) -> dict[str, Any]:
    """The ``exchange_extra`` dict for a submission imported from ``session`` (set keys only)."""
    extra: dict[str, Any] = {}
    for key in _URL_KEYS:
        url = web_url(getattr(session, key))
        if url:
            extra[key] = url
    license_text = clean_line(session.recording_license)[:_LICENSE_LENGTH]
    if license_text:
        extra["recording_license"] = license_text
    if session.do_not_stream:
        extra["do_not_stream"] = True
    return extra


def session_fields(extra: Mapping[str, Any] | None) -> dict[str, Any]:
    """``SessionData`` keyword arguments from a submission's ``exchange_extra``."""
    extra = extra or {}
    fields: dict[str, Any] = {key: web_url(extra.get(key)) for key in _URL_KEYS}
    fields["recording_license"] = str(extra.get("recording_license") or "")
    fields["do_not_stream"] = extra.get("do_not_stream") is True
    return fields


def conference_extra(
    current: Mapping[str, Any] | None, conference: Conference, *, version: str = ""
) -> dict[str, Any]:
    """An event's ``exchange_extra`` after importing ``conference`` from a file of ``version``.

    The file's version label is kept as ``source_version`` (the conference's own
    ``source_version`` when the file is a Podium export that carries one).

    Keys the file gives replace the stored ones; keys it does not give stay, so importing a
    format without a venue (iCalendar) does not forget the venue an earlier file gave.
    """
    extra = dict(current or {})
    logo = web_url(conference.logo)
    if logo:
        extra["logo"] = logo
    for key in ("venue", "city"):
        value = clean_line(getattr(conference, key))[:200]
        if value:
            extra[key] = value
    source = clean_line(conference.source_version or version)[:200]
    if source:
        extra["source_version"] = source
    return extra


def conference_fields(extra: Mapping[str, Any] | None) -> dict[str, Any]:
    """``Conference`` keyword arguments from an event's ``exchange_extra``."""
    extra = extra or {}
    return {
        "logo": web_url(extra.get("logo")),
        "venue": str(extra.get("venue") or ""),
        "city": str(extra.get("city") or ""),
        "source_version": str(extra.get("source_version") or ""),
    }


def podium_meta(conf: Conference, *, slug: str) -> dict[str, Any]:
    """The ``meta.podium`` object of a schedule JSON export (versions 1 and 2).

    It carries what the schemas have no place for, so a Podium import of the export gets it
    back: ``slug``, ``time_zone``, ``day_change``, and ``venue``, ``city`` and
    ``source_version`` when the conference has them.
    """
    meta: dict[str, Any] = {
        "slug": slug,
        "time_zone": conf.time_zone,
        "day_change": conf.day_change,
    }
    for key in ("venue", "city", "source_version"):
        value = getattr(conf, key)
        if value:
            meta[key] = value
    return meta
