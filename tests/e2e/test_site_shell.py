"""The site shell as a browser sees it under gunicorn in production mode."""

from __future__ import annotations

import pytest

from tests.e2e import a11y

pytestmark = pytest.mark.e2e


def test_front_page_passes_accessibility_checks(new_page, screenshot, live_server) -> None:  # type: ignore[no-untyped-def]
    page = new_page("visitor")

    response = page.goto("/")

    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.get_by_role("heading", level=1).inner_text() == "Conferences"
    a11y.check_page(page, "front page")
    screenshot(page, "front page", phone=True)


def test_skip_link_moves_focus_to_main_content(new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page("visitor")
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")

    assert page.url.endswith("/#main")
    assert page.evaluate("() => document.activeElement.id") == "main"
