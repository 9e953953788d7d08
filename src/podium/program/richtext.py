"""Abstracts, descriptions and biographies as the public program shows them.

Text typed into Podium is Markdown, but imported schedules (FOSDEM's frab export, pretalx
JSON) often carry HTML. Markdown rendering escapes raw HTML, which would show visitors literal
``<p>`` tags, so text that is evidently HTML is cleaned by nh3 with the same allow-list as
Markdown output instead of being rendered as Markdown.
"""

from __future__ import annotations

from markupsafe import Markup

from podium.text import looks_like_html, rich_text_html

__all__ = ["looks_like_html", "render_rich_text"]


def render_rich_text(text: str | None) -> Markup:
    """Safe HTML for ``text``: cleaned HTML if it is HTML, else rendered Markdown."""
    return Markup(rich_text_html(text))  # noqa: S704  cleaned by nh3 in both branches
