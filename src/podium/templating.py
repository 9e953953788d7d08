"""Template helpers shared by every feature: Markdown rendering, time formatting."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from markupsafe import Markup

from podium.events.times import local_range_label
from podium.i18n.dates import format_instant, format_wall
from podium.once import new_form_token
from podium.text import render_markdown


def format_local(instant: datetime | None, time_zone: str, style: str = "datetime") -> str:
    """Format an aware UTC ``instant`` as wall-clock time in IANA ``time_zone``, written for
    the request's language (``style`` as in :data:`podium.i18n.dates.STYLES`; English
    "2025-02-01 10:00", German "1.2.2025, 10:00"). "" for None."""
    return format_instant(instant, time_zone, style)


def markdown_filter(text: str | None) -> Markup:
    """Render user Markdown for a template; safe because nh3 cleaned it."""
    return Markup(render_markdown(text or ""))  # noqa: S704  output of nh3.clean, see podium.text


def register_template_helpers(app: Flask) -> None:
    """Expose ``markdown`` and ``localtime`` filters to every template."""
    app.add_template_filter(markdown_filter, "markdown")
    app.add_template_filter(format_local, "localtime")
    # {{ day|wall("day") }}: a date or wall-clock datetime in the request's language.
    app.add_template_filter(format_wall, "wall")
    # One-time token of a form that creates something (see podium.once): hidden field
    # ``form_token`` so that a double submit creates one object.
    app.add_template_global(new_form_token, "new_form_token")
    # "10:00-10:30", with UTC offsets on both ends when a DST change makes them matter.
    app.add_template_global(local_range_label, "local_range_label")

    @app.context_processor
    def _endpoints() -> dict[str, object]:
        # Lets the shared layout link to features only once they are installed.
        return {"nav_endpoints": app.view_functions}
