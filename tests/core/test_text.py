"""Plain text from Markdown and imported HTML (podium.text.html_to_text / rich_text_to_plain)."""

from __future__ import annotations

from podium.text import html_to_text, rich_text_to_plain


def test_html_to_text_separates_paragraphs_and_keeps_link_urls() -> None:
    html = '<p>Hello <a href="https://x.org">site</a>,\n  see https://y.org</p><h2>Next</h2>'
    assert html_to_text(html) == "Hello site (https://x.org), see https://y.org\n\nNext"


def test_html_to_text_writes_list_items_as_lines_with_nesting() -> None:
    html = (
        "<ul><li>one</li><li>two<br>still two<ul><li>deep</li></ul></li></ul>"
        "<ol><li>first</li><li>second</li></ol><p>after</p>"
    )
    assert html_to_text(html) == (
        "- one\n- two\n  still two\n  - deep\n\n1. first\n2. second\n\nafter"
    )


def test_html_to_text_drops_scripts_comments_and_unsafe_link_targets() -> None:
    html = (
        '<p>a &amp; b<script>alert(1)</script><!-- note --> <a href="javascript:x()">j</a> '
        '<a href="mailto:ada@example.org">ada@example.org</a> <a href="/rel">rel</a></p>'
    )
    assert html_to_text(html) == "a & b j ada@example.org rel"


def test_html_to_text_keeps_preformatted_lines_and_empty_input() -> None:
    assert html_to_text("<p>code:</p><pre>  a = 1\n  b = 2\n</pre>") == "code:\n\n  a = 1\n  b = 2"
    assert html_to_text("  \n") == ""


def test_rich_text_to_plain_renders_markdown_first() -> None:
    text = "# Title\n\nSome *text* and a [link](https://a.example/c).  \nNew line.\n\n- x\n- y"
    assert rich_text_to_plain(text) == (
        "Title\n\nSome text and a link (https://a.example/c).\nNew line.\n\n- x\n- y"
    )
    assert rich_text_to_plain("x < y and 3 > 2") == "x < y and 3 > 2"
    assert rich_text_to_plain(None) == ""
