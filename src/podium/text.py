"""User text: Markdown rendered by markdown-it-py, then cleaned by nh3."""

from __future__ import annotations

import re

import nh3
from lxml import etree
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


# --------------------------------------------------------------------------- plain text

# Elements that start a new paragraph in plain text (a blank line before and after).
_PARAGRAPHS = frozenset(
    {"p", "div", "blockquote", "pre", "table", "ul", "ol", "dl", "hr", "section", "article"}
    | {f"h{level}" for level in range(1, 7)}
)
# Elements that start a new line but no blank line.
_LINES = frozenset({"li", "tr", "dt", "dd", "br"})
_SKIPPED = frozenset({"script", "style", "template", "head", "title"})
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment (parsed by lxml, never by patterns).

    Paragraphs and headings are separated by one blank line; list items become lines starting
    ``"- "`` (``"1. "`` in ordered lists, indented two spaces per nesting level); ``<br>`` and
    table rows start a new line; a link is written ``text (url)`` unless its text already is the
    URL; ``<pre>`` keeps its line breaks; other whitespace collapses to single spaces; script
    and style content is dropped. Returns ``""`` for empty input. Lines end with ``"\\n"``.
    """
    if not html.strip():
        return ""
    # lxml's own HTML parser (libxml2) wraps a fragment in <html><body>; the body is the root.
    document = etree.HTML(html, parser=_PARSER)
    body = document.find("body") if document is not None else None
    if body is None:
        return ""
    writer = _TextWriter()
    writer.children(body)
    return writer.result()


def rich_text_html(text: str | None) -> str:
    """Safe HTML for user or imported ``text``: cleaned HTML when it is HTML (imported
    schedules), else rendered Markdown (see :func:`looks_like_html`)."""
    text = text or ""
    return clean_html(text) if looks_like_html(text) else render_markdown(text)


def rich_text_to_plain(text: str | None) -> str:
    """Plain text of Markdown or HTML ``text`` (see :func:`html_to_text`), for formats whose
    fields are plain text, such as iCalendar's DESCRIPTION (RFC 5545 section 3.8.1.5)."""
    text = text or ""
    if not text.strip():
        return ""
    # No nh3 pass: nothing here becomes HTML again, and html_to_text drops scripts and keeps
    # only http(s)/mailto link targets, which is all cleaning would matter for.
    return html_to_text(text if looks_like_html(text) else _markdown.render(text))


# An opening or closing tag of an element Markdown output may contain, e.g. "<p>" or "</li>".
_HTML_TAG = re.compile(
    r"</?(?:p|br|hr|em|strong|b|i|code|pre|blockquote|ul|ol|li|a|h[1-6]|table|tr|td|th)\b[^>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains formatting tags (imported HTML) rather than Markdown."""
    return bool(_HTML_TAG.search(text))


def _collapse(text: str) -> str:
    # str.split() without arguments splits on any whitespace run: several times faster
    # than a regular expression on this hot path (every line of every abstract).
    return " ".join(text.split())


class _TextWriter:
    """Accumulates lines while walking an lxml tree (see :func:`html_to_text`)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.depth = 0

    def result(self) -> str:
        self.line_break()
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines)

    def line_break(self) -> None:
        text = _collapse("".join(self.current))
        self.current = []
        if text:
            # A list item's later lines (after <br> or a nested paragraph) stay indented.
            self.lines.append((self.prefix or "  " * self.depth) + text)
            self.prefix = ""

    def paragraph_break(self) -> None:
        self.line_break()
        # Inside a list item a nested paragraph or list stays on the item's next lines.
        if self.lines and self.lines[-1] and self.depth == 0:
            self.lines.append("")

    def children(self, element: etree._Element) -> None:
        if element.text:
            self.current.append(element.text)
        for child in element:
            self.element(child)
            if child.tail:
                self.current.append(child.tail)

    def element(self, element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIPPED or not tag:  # comments and processing instructions have no str tag
            return
        if tag == "pre":
            self.paragraph_break()
            self.lines.extend("".join(element.itertext()).strip("\n").splitlines())
            self.paragraph_break()
        elif tag in ("ul", "ol"):
            self.list(element, ordered=tag == "ol")
        elif tag in _PARAGRAPHS:
            self.paragraph_break()
            self.children(element)
            self.paragraph_break()
        elif tag in _LINES:
            self.line_break()
            self.children(element)
            self.line_break()
        elif tag == "a":
            self.link(element)
        else:
            if tag in ("td", "th") and self.current:
                self.current.append(" ")
            self.children(element)

    def list(self, element: etree._Element, *, ordered: bool) -> None:
        if self.depth == 0:
            self.paragraph_break()
        else:
            self.line_break()
        number = 0
        for child in element:
            if child.tag != "li":
                self.element(child)
                continue
            number += 1
            self.line_break()
            self.prefix = "  " * self.depth + (f"{number}. " if ordered else "- ")
            self.depth += 1
            self.children(child)
            self.line_break()
            self.depth -= 1
            self.prefix = ""
        self.paragraph_break()

    def link(self, element: etree._Element) -> None:
        label = _collapse("".join(element.itertext()))
        href = (element.get("href") or "").strip()
        if not href.lower().startswith(_LINK_SCHEMES):
            href = ""  # relative, javascript: and other targets mean nothing in plain text
        target = href.removeprefix("mailto:")
        if not href or target == label or href == label:
            self.current.append(label or target)
        elif label:
            self.current.append(f"{label} ({target})")
        else:
            self.current.append(target)
