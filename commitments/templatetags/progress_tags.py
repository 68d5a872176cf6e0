"""``{% progress_bar percent %}``, a percentage drawn as a bar, and ``{% stale_note row %}``, "not
updated for N days": written in Python because a page of commitments shows both on every row
(as includes, each cost a template rendered of its own)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi, gettext, ngettext

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
    return format_html(
        '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" focusable="false"{}>'
        '<rect class="bar-fill" width="{}" height="1"{}/></svg>',
        named,
        percent,
        MIRRORED if get_language_bidi() else "",
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
