"""Charts drawn as SVG on the server: readable without JavaScript, reusable in PDFs.

Small hand-written SVG, no library: a line chart of progress over time and a stacked bar of
commitments by completion level.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ogp_portal import grammar

COLOURS_CSS = Path(settings.BASE_DIR) / "static" / "css" / "colours.css"
CUSTOM_PROPERTY = re.compile(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,8})\s*;")


@functools.cache
def palette() -> dict[str, str]:
    """The colours of ``static/css/colours.css`` by custom-property name (``accent``,
    ``level-complete``…): the pages, the PDFs and these charts share that one file."""
    return dict(CUSTOM_PROPERTY.findall(COLOURS_CSS.read_text(encoding="utf-8")))


BIDI_MARKS = str.maketrans("", "", "\u200e\u200f\u061c")


def short_date(day: datetime.date) -> str:
    """The locale's short date without direction marks: the chart is drawn left to right,
    and Arabic's marks would scramble "28/03/2023" there."""
    return date_format(day, "SHORT_DATE_FORMAT").translate(BIDI_MARKS)


def progress_line_chart(
    points: Sequence[tuple[datetime.date, Decimal]],
    *,
    title: str,
    markers: Sequence[tuple[datetime.date, Decimal, str]] = (),
    width: int = 480,
    height: int = 200,
) -> SafeString:
    """Progress (0-100 %) against time; one point per day with a recorded change, and
    ``markers`` (day, value, label), the tables frozen at committee meetings, as diamonds."""
    left, right, top, bottom = 40, 16, 16, 32
    plot_w, plot_h = width - left - right, height - top - bottom
    colour = palette()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart" direction="ltr">',
        f"<title>{escape(title)}</title>",
    ]
    for percent in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - percent / 100)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour["bar"]}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="13" text-anchor="end" '
            f'fill="{colour["muted"]}">{percent}%</text>'
        )
    days = sorted({day for day, _value in points} | {day for day, _value, _label in markers})
    if days:
        first, last = days[0], days[-1]
        span = max((last - first).days, 1)

        def xy(day: datetime.date, value: Decimal) -> tuple[float, float]:
            x = left + plot_w * ((day - first).days / span if len(days) > 1 else 0.5)
            return x, top + plot_h * (1 - float(value) / 100)

        coordinates = [xy(day, value) for day, value in points]
        if coordinates:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour["accent"]}" '
                f'stroke-width="2.5"/>'
            )
        for (day, value), (x, y) in zip(points, coordinates, strict=True):
            label = f"{grammar.label(short_date(day))} {grammar.percent(value)}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour["accent"]}">'
                f"<title>{escape(label)}</title></circle>"
            )
        for day, value, label in markers:
            x, y = xy(day, value)
            text = f"{label}, {grammar.label(short_date(day))} {grammar.percent(value)}"
            parts.append(
                f'<path d="M{x:.1f},{y - 7:.1f} l7,7 l-7,7 l-7,-7 z" fill="{colour["marker"]}" '
                f'class="meeting-marker"><title>{escape(text)}</title></path>'
            )
        ends: list[tuple[datetime.date, str, float]] = [
            (first, "start", left),
            (last, "end", width - right),
        ]
        if first == last:
            ends = [(first, "middle", left + plot_w / 2)]
        for day, anchor, x in ends:
            parts.append(
                f'<text x="{x}" y="{height - 8}" font-size="13" text-anchor="{anchor}" '
                f'fill="{colour["muted"]}">{escape(short_date(day))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def level_bar_chart(
    levels: Sequence[tuple[str, str, int]], *, title: str, width: int = 480, height: int = 40
) -> SafeString:
    """One stacked bar: how many commitments are at each completion level."""
    total = sum(count for _level, _label, count in levels) or 1
    colour = palette()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart" direction="ltr">',
        f"<title>{escape(title)}</title>",
    ]
    x = 0.0
    for level, label, count in levels:
        if not count:
            continue
        w = width * count / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" '
            f'fill="{colour["level-" + level]}">'
            f"<title>{escape(label)}: {count}</title></rect>"
            f'<text x="{x + w / 2:.1f}" y="{height / 2 + 6:.1f}" font-size="17" '
            f'text-anchor="middle" fill="#fff" font-weight="700">{count}</text>'
        )
        x += w
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
