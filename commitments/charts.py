"""Charts drawn as SVG on the server: readable without JavaScript, reusable in PDFs.

Small hand-written SVG, no library: a line chart of progress over time and a stacked bar of
commitments by completion level. Both scale with their container (``viewBox``), sized so that
their labels stay readable on a phone.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

from ogp_portal import grammar

COLOURS_CSS = Path(settings.BASE_DIR) / "static" / "css" / "colours.css"
CUSTOM_PROPERTY = re.compile(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,8})\s*;")


@functools.cache
def palette() -> dict[str, str]:
    """The colours of ``static/css/colours.css`` by custom-property name (``accent``,
    ``level-complete``…): the pages, the PDFs and these charts share that one file."""
    return dict(CUSTOM_PROPERTY.findall(COLOURS_CSS.read_text(encoding="utf-8")))


# The chart's text is laid out left to right (its coordinates are mirrored in Arabic), and the
# locale's direction marks would scramble "28/03/2023".
BIDI_MARKS = str.maketrans("", "", "\u200e\u200f\u061c")


# The progress chart's frame, in SVG units: 360 wide, so that on a phone (about 360 px) a unit
# is about a pixel and its 14-unit labels stay readable; the CSS caps its width on wide screens.
CHART_WIDTH, CHART_HEIGHT = 360, 220
AXIS_MARGIN, EDGE_MARGIN, TOP_MARGIN, BOTTOM_MARGIN = 46, 22, 16, 36
LABEL_SIZE = 14
GRID_PERCENTS = (0, 25, 50, 75, 100)
LABELLED_PERCENTS = (0, 50, 100)


def progress_line_chart(
    points: Sequence[tuple[datetime.date, Decimal]],
    *,
    title: str,
    markers: Sequence[tuple[datetime.date, Decimal, str]] = (),
    width: int = CHART_WIDTH,
    height: int = CHART_HEIGHT,
    rtl: bool | None = None,
) -> SafeString:
    """Progress (0-100 %) against time; one point per day with a recorded change, and
    ``markers`` (day, value, label), the tables frozen at committee meetings, as diamonds.

    In a right-to-left language (``rtl``, by default the active language's direction) time runs
    from right to left and the percentages stand on the right, as the page reads; the
    coordinates are mirrored, not the drawing, so the labels stay upright and readable."""
    if rtl is None:
        rtl = get_language_bidi()
    plot_w, plot_h = width - AXIS_MARGIN - EDGE_MARGIN, height - TOP_MARGIN - BOTTOM_MARGIN
    plot_left = EDGE_MARGIN if rtl else AXIS_MARGIN
    plot_right = plot_left + plot_w

    def x_at(fraction: float) -> float:
        return plot_right - plot_w * fraction if rtl else plot_left + plot_w * fraction

    colour = palette()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart progress-chart" '
        f'direction="ltr" data-direction="{"rtl" if rtl else "ltr"}">',
        f"<title>{escape(title)}</title>",
    ]
    label_x, label_anchor = (plot_right + 6, "start") if rtl else (plot_left - 6, "end")
    for percent in GRID_PERCENTS:
        y = TOP_MARGIN + plot_h * (1 - percent / 100)
        parts.append(
            f'<line x1="{plot_left}" x2="{plot_right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour["bar"]}" stroke-width="1"/>'
        )
        if percent in LABELLED_PERCENTS:
            parts.append(
                f'<text x="{label_x}" y="{y + 5:.1f}" font-size="{LABEL_SIZE}" '
                f'text-anchor="{label_anchor}" fill="{colour["muted"]}" class="tick" '
                f'data-axis="y">{percent}%</text>'
            )
    days = sorted({day for day, _value in points} | {day for day, _value, _label in markers})
    if days:
        first, last = days[0], days[-1]
        span = max((last - first).days, 1)

        def xy(day: datetime.date, value: Decimal) -> tuple[float, float]:
            fraction = (day - first).days / span if len(days) > 1 else 0.5
            return x_at(fraction), TOP_MARGIN + plot_h * (1 - float(value) / 100)

        # The locale's short dates, all at once: a year of daily points is 365 to write.
        texts = (text.translate(BIDI_MARKS) for text in grammar.dates(days))
        dates = dict(zip(days, texts, strict=True))
        colon = grammar.colon()
        coordinates = [xy(day, value) for day, value in points]
        if coordinates:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour["accent"]}" '
                f'stroke-width="2.5"/>'
            )
        for (day, value), (x, y) in zip(points, coordinates, strict=True):
            label = f"{dates[day]}{colon} {grammar.percent(value)}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour["accent"]}">'
                f"<title>{escape(label)}</title></circle>"
            )
        for day, value, label in markers:
            x, y = xy(day, value)
            text = f"{label}, {dates[day]}{colon} {grammar.percent(value)}"
            parts.append(
                f'<path d="M{x:.1f},{y - 7:.1f} l7,7 l-7,7 l-7,-7 z" fill="{colour["marker"]}" '
                f'class="meeting-marker"><title>{escape(text)}</title></path>'
            )
        # Only the first and the last day: two dates fit side by side on a phone.
        start_anchor, end_anchor = ("end", "start") if rtl else ("start", "end")
        ends = [(first, start_anchor, x_at(0)), (last, end_anchor, x_at(1))]
        if first == last:
            ends = [(first, "middle", x_at(0.5))]
        for day, anchor, x in ends:
            parts.append(
                f'<text x="{x:.1f}" y="{height - 10}" font-size="{LABEL_SIZE}" '
                f'text-anchor="{anchor}" fill="{colour["muted"]}" class="tick" data-axis="x" '
                f'data-day="{day.isoformat()}">{escape(dates[day])}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def level_bar_chart(
    levels: Sequence[tuple[str, str, int]],
    *,
    title: str,
    width: int = 480,
    height: int = 40,
    rtl: bool | None = None,
) -> SafeString:
    """One stacked bar: how many commitments are at each completion level, from the right in
    a right-to-left language (``rtl``, by default the active one's), as its legend reads."""
    if rtl is None:
        rtl = get_language_bidi()
    total = sum(count for _level, _label, count in levels) or 1
    colour = palette()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart level-chart" '
        f'direction="ltr">',
        f"<title>{escape(title)}</title>",
    ]
    x = 0.0
    for level, label, count in levels:
        if not count:
            continue
        w = width * count / total
        start = width - x - w if rtl else x
        parts.append(
            f'<rect x="{start:.1f}" y="0" width="{w:.1f}" height="{height}" '
            f'fill="{colour["level-" + level]}">'
            f"<title>{escape(grammar.label(label))} {count}</title></rect>"
            f'<text x="{start + w / 2:.1f}" y="{height / 2 + 6:.1f}" font-size="17" '
            f'text-anchor="middle" fill="#fff" font-weight="700">{count}</text>'
        )
        x += w
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
