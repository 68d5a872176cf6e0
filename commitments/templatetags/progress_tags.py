"""``{% progress_bar percent %}``, a percentage drawn as a bar, ``{% stale_note row %}``, "not
updated for N days", ``{% commitment_table rows %}``, the table of commitments of the
dashboard, an axis and an institution, and ``{% group_table groups plan by %}``, the dashboard's
progress by axis or by lead institution: written in Python because a page of commitments shows
them on every row (as a template, a row cost some twenty nodes rendered; as includes, each bar
and note a template of its own)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi, gettext, ngettext

from ogp_portal import grammar
from ogp_portal.content_tags import content

from ..dashboard import GroupFigure
from ..models import Plan
from ..summaries import CommitmentRow

register = template.Library()

HIDDEN = mark_safe(' aria-hidden="true"')
MIRRORED = mark_safe(' transform="matrix(-1 0 0 1 100 0)"')


@register.simple_tag
def progress_bar(percent: object, label: str = "") -> SafeString:
    """SVG attributes, no inline style, so that a strict CSP holds; filled from the right in a
    right-to-left language; an image named ``label``, or hidden from screen readers when the
    percentage is written next to it."""
    named = format_html(' role="img" aria-label="{}"', label) if label else HIDDEN
    return _bar(percent, named, MIRRORED if get_language_bidi() else "")


def _bar(percent: object, named: str, mirrored: str) -> SafeString:
    return mark_safe(
        '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" focusable="false"'
        f'{named}><rect class="bar-fill" width="{escape(str(percent))}" height="1"{mirrored}/>'
        "</svg>"
    )


@register.simple_tag
def stale_note(row: CommitmentRow) -> SafeString | str:
    """Said of a stale commitment (progress.is_stale) only: since when, or never updated."""
    if not row.is_stale:
        return ""
    days = row.days_since_update
    if days is None:
        return format_html('<span class="stale">{}</span>', gettext("never updated"))
    text = ngettext("not updated for %(days)s day", "not updated for %(days)s days", days)
    return format_html('<span class="stale">{}</span>', text % {"days": days})


@register.simple_tag
def commitment_table(rows: Sequence[CommitmentRow]) -> SafeString:
    """The commitments as a table; each cell carries its column's name (``data-label``) for
    the narrow screens on which the rows are stacked. Written with str.format and
    ``html.escape``: format_html's escaping of each value cost most of a row's time."""
    labels = [
        escape(gettext("No.")),
        escape(gettext("Commitment")),
        escape(gettext("Lead institution")),
        escape(gettext("Progress")),
        escape(gettext("Completion level")),
        escape(gettext("Last update")),
    ]
    head = "".join(f'\n      <th scope="col">{label}</th>' for label in labels)
    # Each update's local time, written as ISO 8601 and as the short date, all dates at once.
    updates = {
        row.last_update_at: timezone.localtime(row.last_update_at)
        for row in rows
        if row.last_update_at
    }
    shorts = grammar.dates(local.date() for local in updates.values())
    times = {
        moment: (local.isoformat(), short)
        for (moment, local), short in zip(updates.items(), shorts, strict=True)
    }
    leads: dict[str, str] = {}  # institution's code: its page, each reversed once
    mirrored = MIRRORED if get_language_bidi() else ""
    body = [_commitment_row(row, labels, times, leads, mirrored) for row in rows] or [
        f'\n    <tr><td colspan="6">{escape(gettext("No commitment matches."))}</td></tr>'
    ]
    return mark_safe(
        f'<div class="table-wrap">\n<table class="commitments">\n  <thead>\n    <tr>{head}'
        f"\n    </tr>\n  </thead>\n  <tbody>{''.join(body)}\n  </tbody>\n</table>\n</div>"
    )


@register.simple_tag
def group_table(groups: Sequence[GroupFigure], plan: Plan, by: str) -> SafeString:
    """The dashboard's progress by axis (``by="axis"``) or by lead institution: each group's
    name linking to its page, its percentage and bar, its number of commitments."""
    mirrored = MIRRORED if get_language_bidi() else ""
    rows = []
    for group in groups:
        if by == "axis":
            url = escape(reverse("commitments:axis_detail", args=[plan.code, group.key]))
            axis = f' data-axis="{escape(group.key)}"'
        else:
            url = escape(reverse("commitments:institution_detail", args=[group.key]))
            url, axis = f"{url}?plan={escape(plan.code)}", ""
        rows.append(
            "\n        <tr>"
            f'\n          <th scope="row"><a href="{url}">{escape(group.label)}</a></th>'
            f'\n          <td class="progress-cell"><span class="percent"{axis}>'
            f"{group.percent}&nbsp;%</span>{_bar(group.percent, HIDDEN, mirrored)}</td>"
            f'\n          <td class="muted">{group.count}</td></tr>'
        )
    return mark_safe(
        f'<table class="compact">\n      <tbody>{"".join(rows)}\n      </tbody>\n    </table>'
    )


def _commitment_row(
    row: CommitmentRow,
    labels: list[str],
    times: dict[datetime.datetime, tuple[str, str]],
    leads: dict[str, str],
    mirrored: str,
) -> str:
    commitment = row.commitment
    lead = commitment.lead_institution
    if lead.code not in leads:
        leads[lead.code] = escape(reverse("commitments:institution_detail", args=[lead.code]))
    title = f'<a href="{escape(commitment.get_absolute_url())}">{content(commitment, "title")}</a>'
    if commitment.ogp_id:
        title += f' <small class="muted">({escape(commitment.ogp_id)})</small>'
    if row.match:
        title += (
            ' <small class="search-match" data-testid="search-match">'
            f"{content(row.match, 'description')}</small>"
        )
    update = ""
    if row.last_update_at:
        iso, short = times[row.last_update_at]
        update = f'<time datetime="{iso}">{escape(short)}</time>'
    level = escape(row.completion_level)
    cells = (
        ("", commitment.number),
        ("", title),
        (
            "",
            f'<a href="{leads[lead.code]}?plan={escape(commitment.plan.code)}">'
            f"{content(lead, 'name')}</a>",
        ),
        (
            ' class="progress-cell"',
            f'<span class="percent" data-testid="progress">{row.percent}&nbsp;%</span>'
            f"{_bar(row.percent, HIDDEN, mirrored)}",
        ),
        ("", f'<span class="level level-{level}">{escape(row.completion_level_label)}</span>'),
        ("", update + stale_note(row)),
    )
    tds = "".join(
        f'\n      <td{attrs} data-label="{label}">{cell}</td>'
        for (attrs, cell), label in zip(cells, labels, strict=True)
    )
    return f'\n    <tr data-commitment="{commitment.number}">{tds}\n    </tr>'
