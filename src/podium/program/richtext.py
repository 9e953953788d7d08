"""Abstracts, descriptions and biographies as the public program shows them.

Text typed into Podium is Markdown, but imported schedules (FOSDEM's frab export, pretalx
JSON) often carry HTML. Markdown rendering escapes raw HTML, which would show visitors literal
``<p>`` tags, so text that is evidently HTML is cleaned by nh3 with the same allow-list as
Markdown output instead of being rendered as Markdown.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from podium.text import clean_html, render_markdown

# An opening or closing tag of an element Markdown output may contain, e.g. "<p>" or "</li>".
_HTML_TAG = re.compile(
    r"</?(?:p|br|hr|em|strong|b|i|code|pre|blockquote|ul|ol|li|a|h[1-6]|table|tr|td|th)\b[^>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains formatting tags (imported HTML) rather than Markdown."""
    return bool(_HTML_TAG.search(text))


def render_rich_text(text: str | None) -> Markup:
    """Safe HTML for ``text``: cleaned HTML if it is HTML, else rendered Markdown."""
    text = text or ""
    html = clean_html(text) if looks_like_html(text) else render_markdown(text)
    return Markup(html)  # noqa: S704  cleaned by nh3 in both branches
