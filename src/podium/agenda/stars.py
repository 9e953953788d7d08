"""Star buttons on the cached program pages.

The cached program fragment is the same for everyone: every session carries a star button
that is ``hidden`` (browser-only stars need JavaScript, which unhides them). For a logged-in
user the fragment is put into a freshly rendered layout anyway, so :func:`mark_stars` shows
the buttons and presses the ones they starred in one pass, which makes starring work without
JavaScript (the buttons submit the layout's CSRF-protected ``agenda-stars`` form).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Set

# The views whose pages show star buttons (the grid, the list, the session page).
STAR_VIEWS = frozenset({"schedule", "list", "session"})
FORM_ID = "agenda-stars"

# Exactly what templates/agenda/_star.html renders for a session nobody has starred.
_BUTTON = re.compile(
    r'<button type="submit" form="agenda-stars" class="star" name="star" value="([^"]*)" '
    r'aria-pressed="false" hidden>'
)


def mark_stars(page: str, starred: Set[str]) -> str:
    """``page`` (cached program HTML) with its star buttons shown, those of ``starred`` guids
    pressed and turned into "unstar" buttons."""

    def button(match: re.Match[str]) -> str:
        value = match.group(1)
        on = html.unescape(value) in starred
        return (
            f'<button type="submit" form="{FORM_ID}" class="star" '
            f'name="{"unstar" if on else "star"}" value="{value}" '
            f'aria-pressed="{"true" if on else "false"}">'
        )

    return _BUTTON.sub(button, page)


def stars_tag(starred: Set[str]) -> str:
    """A short digest of a set of guids, for ETags of pages that show them."""
    joined = "\n".join(sorted(starred)).encode("utf-8")
    return hashlib.blake2b(joined, digest_size=6).hexdigest()
