"""The dashboard's SVG charts: sized for a phone, and mirrored where the language reads right to
left (coordinates, not the drawing, so the labels stay upright)."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from commitments.charts import level_bar_chart, progress_line_chart

POINTS = [
    (datetime.date(2023, 1, 10), Decimal(20)),
    (datetime.date(2023, 3, 28), Decimal(40)),
    (datetime.date(2023, 12, 20), Decimal(75)),
]
MEETING = [(datetime.date(2023, 3, 28), Decimal(40), "Comité de pilotage")]
LEVELS = [("limited", "Limited", 3), ("substantial", "Substantial", 15), ("complete", "Done", 4)]


def x_ticks(svg: str) -> dict[str, float]:
    ticks = re.findall(r'<text x="([\d.]+)"[^>]*data-axis="x" data-day="([\d-]+)"', svg)
    return {day: float(x) for x, day in ticks}


def circles(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]


def view_box_width(svg: str) -> int:
    match = re.search(r'viewBox="0 0 (\d+) \d+"', svg)
    assert match
    return int(match.group(1))


def test_time_runs_left_to_right_in_french_and_right_to_left_in_arabic():
    with translation.override("fr"):
        ltr = progress_line_chart(POINTS, title="Progress", markers=MEETING)
    with translation.override("ar"):
        rtl = progress_line_chart(POINTS, title="Progress", markers=MEETING)
    assert 'data-direction="ltr"' in ltr and 'data-direction="rtl"' in rtl
    first, last = "2023-01-10", "2023-12-20"
    assert x_ticks(ltr)[first] < x_ticks(ltr)[last]
    assert x_ticks(rtl)[first] > x_ticks(rtl)[last]
    # Mirrored about the middle: a point at x in French is at width - x in Arabic.
    width = view_box_width(ltr)
    assert circles(rtl) == pytest.approx([width - x for x in circles(ltr)], abs=0.11)
    # The percentages stand at the start of the line: on the right in Arabic.
    y_labels = [float(x) for x in re.findall(r'<text x="([\d.]+)"[^>]*data-axis="y"', rtl)]
    assert all(x > width - 50 for x in y_labels)


def test_the_direction_can_be_asked_for_whatever_the_language():
    with translation.override("ar"):
        svg = progress_line_chart(POINTS, title="Progress", rtl=False)
    assert 'data-direction="ltr"' in svg


def test_labels_are_few_and_large_enough_for_a_phone():
    svg = progress_line_chart(POINTS, title="Progress", markers=MEETING)
    sizes = [int(size) for size in re.findall(r'font-size="(\d+)"[^>]*class="tick"', svg)]
    assert len(sizes) == 5  # 0 %, 50 %, 100 % and the first and last days
    # About 360 px on a phone: one SVG unit is about a pixel, so a label of 14 units is 12 px+.
    assert view_box_width(svg) <= 360
    assert min(sizes) >= 14
    assert re.findall(r'data-axis="y">(\d+)%', svg) == ["0", "50", "100"]


def test_a_single_day_is_labelled_once_in_the_middle():
    svg = progress_line_chart(POINTS[:1], title="Progress")
    assert list(x_ticks(svg)) == ["2023-01-10"]
    assert 'text-anchor="middle" fill' in svg


def test_level_bar_starts_on_the_right_in_arabic():
    def first_rect_x(svg: str) -> float:
        return float(re.findall(r'<rect x="([\d.]+)"', svg)[0])

    with translation.override("en"):
        ltr = level_bar_chart(LEVELS, title="Levels")
    with translation.override("ar"):
        rtl = level_bar_chart(LEVELS, title="Levels")
    assert first_rect_x(ltr) == 0
    assert first_rect_x(rtl) > first_rect_x(ltr)
    widths = re.findall(r'width="([\d.]+)" height', rtl)
    assert first_rect_x(rtl) + float(widths[0]) == view_box_width(rtl)


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        (
            "fr",
            "{% progress_bar 65 %}",
            '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" focusable="false"'
            ' aria-hidden="true"><rect class="bar-fill" width="65" height="1"/></svg>',
        ),
        (
            "ar",
            "{% progress_bar 7 label %}",
            '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" focusable="false"'
            ' role="img" aria-label="7 % &lt;done&gt;"><rect class="bar-fill" width="7" height="1"'
            ' transform="matrix(-1 0 0 1 100 0)"/></svg>',
        ),
    ],
)
def test_the_progress_bar_is_an_image_only_when_named_and_fills_from_the_reading_side(
    language, source, expected
):
    with translation.override(language):
        html = Template("{% load progress_tags %}" + source).render(
            Context({"label": "7 % <done>"})
        )
    assert html == expected


@pytest.mark.parametrize(
    ("language", "stale", "days", "expected"),
    [
        ("fr", True, 1, '<span class="stale">non mis à jour depuis 1 jour</span>'),
        ("fr", True, 40, '<span class="stale">non mis à jour depuis 40 jours</span>'),
        ("en", True, None, '<span class="stale">never updated</span>'),
        ("en", False, 3, ""),
    ],
)
def test_the_stale_note_says_since_when_and_only_of_a_stale_commitment(
    language, stale, days, expected
):
    row = SimpleNamespace(is_stale=stale, days_since_update=days)
    with translation.override(language):
        html = Template("{% load progress_tags %}{% stale_note row %}").render(
            Context({"row": row})
        )
    assert html == expected
