"""User text: Markdown rendered by markdown-it-py, then cleaned by nh3."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def render_markdown(text: str) -> str:
    """Render CommonMark ``text`` to safe HTML.

    Raw HTML in the input is escaped, then nh3 keeps only formatting tags and ``http``,
    ``https`` and ``mailto`` links, so no script, event handler or ``javascript:`` URL survives.
    """
    return clean_html(_markdown.render(text))


def clean_html(html: str) -> str:
    """Keep only formatting tags and http(s)/mailto links of ``html`` (nh3), nothing else.

    The one allow-list for all user text: rendered Markdown and imported HTML alike.
    """
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
