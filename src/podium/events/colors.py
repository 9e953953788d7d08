"""Track colours: text colour with WCAG AA contrast, and distinct default colours.

Contrast follows WCAG 2.2 (success criterion 1.4.3 and the definitions of *relative
luminance* and *contrast ratio*): sRGB channels are linearised, luminance is
``0.2126 R + 0.7152 G + 0.0722 B`` and the ratio is ``(L1 + 0.05) / (L2 + 0.05)``. Text on a
track colour is black or white, whichever contrasts more; for any background that is at least
4.58:1, above AA's 4.5:1 for normal text.
"""

from __future__ import annotations

import colorsys
import re
from functools import lru_cache

COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}\Z")
BLACK = "#000000"
WHITE = "#ffffff"
AA_NORMAL_TEXT = 4.5
_GOLDEN_ANGLE = 137.50776405003785  # degrees: consecutive hues stay far apart
_LIGHTNESS = (0.42, 0.62, 0.32)  # cycled, so tracks with close hues still differ


def _channels(color: str) -> tuple[int, int, int]:
    if not COLOR_PATTERN.match(color):
        raise ValueError(f"{color!r} is not a colour like #3366cc")
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of ``#rrggbb`` (0.0 black to 1.0 white); ``ValueError`` for
    anything else."""

    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in _channels(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, 1.0 to 21.0 (order does not matter)."""
    a, b = relative_luminance(first), relative_luminance(second)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


@lru_cache(maxsize=1024)
def text_color(background: str) -> str:
    """``"#000000"`` or ``"#ffffff"``: the text colour with the higher contrast on
    ``background`` (always at least 4.5:1, WCAG AA for normal text)."""
    return (
        BLACK if contrast_ratio(background, BLACK) >= contrast_ratio(background, WHITE) else WHITE
    )


def default_track_color(index: int) -> str:
    """The ``index``-th (0-based) default track colour, lower-case ``#rrggbb``.

    Hues step by the golden angle and lightness cycles through three levels, so neighbouring
    indexes look clearly different; rare repeats further on are skipped by
    :func:`next_default_colors`.
    """
    hue = (index * _GOLDEN_ANGLE) % 360 / 360
    lightness = _LIGHTNESS[index % len(_LIGHTNESS)]
    r, g, b = colorsys.hls_to_rgb(hue, lightness, 0.65)
    return "#{:02x}{:02x}{:02x}".format(*(round(v * 255) for v in (r, g, b)))


def next_default_colors(taken: set[str], count: int) -> list[str]:
    """``count`` default colours (in palette order) not in ``taken`` (lower-case ``#rrggbb``)."""
    found: list[str] = []
    index = 0
    while len(found) < count:
        color = default_track_color(index)
        if color not in taken and color not in found:
            found.append(color)
        index += 1
    return found
