"""Track colours: WCAG contrast arithmetic, text colour choice, distinct defaults."""

from __future__ import annotations

import pytest

from podium.events.colors import (
    AA_NORMAL_TEXT,
    contrast_ratio,
    default_track_color,
    next_default_colors,
    relative_luminance,
    text_color,
)


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#ffffff", "#000000") == 21.0
    assert contrast_ratio("#000000", "#ffffff") == 21.0
    assert contrast_ratio("#3b6ea8", "#3b6ea8") == 1.0
    # #767676 on white is the classic "just passes AA" grey: 4.54:1.
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48
    assert round(relative_luminance("#ff0000"), 4) == 0.2126


# Background -> expected text colour. Includes the worst cases: greys and colours whose
# luminance is near 0.179, where black and white contrast almost equally (about 4.58:1).
CASES = {
    "#000000": "#ffffff",
    "#ffffff": "#000000",
    "#ff0000": "#000000",
    "#00ff00": "#000000",
    "#0000ff": "#ffffff",
    "#ffff00": "#000000",
    "#3b6ea8": "#ffffff",
    "#757575": "#ffffff",
    "#767676": "#000000",  # 4.62 with black, 4.54 with white
    "#777777": "#000000",
    "#808080": "#000000",
    "#4b7d87": "#ffffff",  # the worst: 4.583 with white, 4.582 with black
    "#e60000": "#ffffff",
    "#d80000": "#ffffff",
    "#008a00": "#000000",
    "#7f00ff": "#ffffff",
}


@pytest.mark.parametrize(("background", "expected"), sorted(CASES.items()))
def test_text_color_choice_passes_aa(background: str, expected: str) -> None:
    assert text_color(background) == expected
    assert contrast_ratio(background, expected) >= AA_NORMAL_TEXT


def test_every_colour_of_a_dense_grid_gets_aa_text() -> None:
    steps = range(0, 256, 15)  # 18 levels per channel, 5832 colours
    worst = min(
        contrast_ratio(bg, text_color(bg))
        for bg in (f"#{r:02x}{g:02x}{b:02x}" for r in steps for g in steps for b in steps)
    )
    assert worst >= AA_NORMAL_TEXT
    assert round(worst, 2) == 4.58  # the theoretical minimum is about 4.58:1


def test_malformed_colour_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="'#12345g' is not a colour like #3366cc"):
        relative_luminance("#12345g")


def test_default_colours_are_distinct_and_skip_taken_ones() -> None:
    palette = next_default_colors(set(), 120)
    assert len(set(palette)) == 120
    assert palette[:3] == [default_track_color(0), default_track_color(1), default_track_color(2)]
    assert palette[:3] == ["#b12525", "#5fdd84", "#5a1d87"]
    assert next_default_colors({"#b12525", "#5a1d87"}, 2) == ["#5fdd84", "#b19f25"]
    assert all(contrast_ratio(c, text_color(c)) >= AA_NORMAL_TEXT for c in palette)
