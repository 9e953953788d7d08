"""The embeddable schedule widget: its options and the framing policy it is served with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from podium.security import CONTENT_SECURITY_POLICY

VIEWS = ("list", "grid")
MAX_TRACK_LENGTH = 200


@dataclass(frozen=True)
class WidgetOptions:
    """What a widget shows: ``view`` ("list" or "grid"), one local conference ``day`` (None:
    all days for the list, the first for the grid), one ``track`` name (None: all) and the
    display zone ``tz`` (IANA name)."""

    view: str
    day: dt.date | None
    track: str | None
    tz: str

    def key(self) -> tuple[str, str, str, str]:
        """The options as the strings that make a cache key and an ETag."""
        return (self.view, self.day.isoformat() if self.day else "", self.track or "", self.tz)


def widget_options(args: Mapping[str, str], tz: str) -> WidgetOptions:
    """Parse the widget's query arguments (``tz`` already resolved).

    Raises:
        ValueError: naming the parameter (``view``, ``day`` or ``track``) that is wrong.
    """
    view = args.get("view") or "list"
    if view not in VIEWS:
        raise ValueError(
            _("The view parameter must be list or grid, not %(view)s.", view=repr(view[:20]))
        )
    raw_day = args.get("day") or ""
    try:
        day = dt.date.fromisoformat(raw_day) if raw_day else None
    except ValueError:
        raise ValueError(
            _(
                "The day parameter %(day)s is not a date like 2025-02-01.",
                day=repr(raw_day[:20]),
            )
        ) from None
    track = (args.get("track") or "").strip() or None
    if track is not None and len(track) > MAX_TRACK_LENGTH:
        raise ValueError(
            _(
                "The track parameter is longer than %(n)s characters.",
                n=MAX_TRACK_LENGTH,
            )
        )
    return WidgetOptions(view=view, day=day, track=track, tz=tz)


def widget_csp(origins: Iterable[str]) -> str:
    """The site's Content-Security-Policy with ``frame-ancestors`` listing ``origins`` (each
    already validated by :func:`podium.agenda.services.parse_origins`); ``'none'`` when
    there are none, as on every other page."""
    allowed = " ".join(origins) or "'none'"
    return CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", f"frame-ancestors {allowed}")
