"""The portal's colours against WCAG 2.1 AA: text needs a contrast of 4.5:1 with its background."""

import pytest

from commitments.charts import palette

AA_TEXT = 4.5


def luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_of_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#e0a526", "#ffffff") == pytest.approx(2.19, abs=0.01)


@pytest.mark.parametrize(
    "level", ["no_evidence", "not_started", "limited", "substantial", "complete"]
)
def test_the_level_bar_white_numbers_are_readable_on_every_level(level):
    # commitments.charts.level_bar_chart writes each level's count in white on its colour.
    assert contrast(palette()[f"level-{level}"], "#ffffff") >= AA_TEXT


@pytest.mark.parametrize("name", ["ink", "muted", "accent", "ok", "warn", "flag"])
def test_text_colours_are_readable_on_white(name):
    assert contrast(palette()[name], "#ffffff") >= AA_TEXT
