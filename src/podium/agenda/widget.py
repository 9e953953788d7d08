"""The embeddable schedule widget: its options and the framing policy it is served with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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
        raise ValueError(f"The view parameter must be list or grid, not {view[:20]!r}.")
    raw_day = args.get("day") or ""
    try:
        day = dt.date.fromisoformat(raw_day) if raw_day else None
    except ValueError:
        raise ValueError(
            f"The day parameter {raw_day[:20]!r} is not a date like 2025-02-01."
        ) from None
    track = (args.get("track") or "").strip() or None
    if track is not None and len(track) > MAX_TRACK_LENGTH:
        raise ValueError(f"The track parameter is longer than {MAX_TRACK_LENGTH} characters.")
    return WidgetOptions(view=view, day=day, track=track, tz=tz)


def widget_csp(origins: Iterable[str]) -> str:
    """The site's Content-Security-Policy with ``frame-ancestors`` listing ``origins`` (each
    already validated by :func:`podium.agenda.services.parse_origins`); ``'none'`` when
    there are none, as on every other page."""
    allowed = " ".join(origins) or "'none'"
    return CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", f"frame-ancestors {allowed}")
