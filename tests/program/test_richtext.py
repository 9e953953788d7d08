"""Imported HTML and typed Markdown both render safely."""

from __future__ import annotations

from podium.program.richtext import looks_like_html, render_rich_text


def test_render_rich_text_keeps_imported_html_formatting() -> None:
    html = '<p>Welcome <em>all</em>.</p><ul><li><a href="https://fosdem.org">site</a></li></ul>'
    assert str(render_rich_text(html)) == (
        '<p>Welcome <em>all</em>.</p><ul><li><a href="https://fosdem.org" '
        'rel="nofollow noopener">site</a></li></ul>'
    )


def test_render_rich_text_strips_scripts_and_handlers_from_html() -> None:
    html = '<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:x()">j</a></p>'
    assert str(render_rich_text(html)) == '<p>Hi <a rel="nofollow noopener">j</a></p>'


def test_render_rich_text_renders_markdown_and_escapes_stray_angles() -> None:
    assert str(render_rich_text("**bold** and a < b")) == (
        "<p><strong>bold</strong> and a &lt; b</p>\n"
    )
    assert looks_like_html("a <b> c") is True
    assert looks_like_html("x <= y, use <angle> brackets") is False
    assert str(render_rich_text(None)) == ""
