from __future__ import annotations

from html import escape

from django import template
from django.utils.dateformat import format as date_format
from django.utils.formats import date_format as localized_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from ogp_portal.content_tags import content

from .. import wording
from ..models import AgendaStep, CommitteeMember, Timeline, TimelineStep

register = template.Library()


@register.simple_tag
def timeline_table(timeline: Timeline) -> SafeString:
    """A timeline's steps as a table: when each was planned, the day it was done, its status.
    Written in Python, as the commitment table is (progress_tags): a plan's dashboard shows
    one for each of its timelines, and as a template each step cost some fifteen nodes."""
    heads = (gettext("Planned"), gettext("Done on"), gettext("Steps"), gettext("Status"))
    head = "".join(f'<th scope="col">{escape(label)}</th>' for label in heads)
    late = f' <span class="stale">{escape(gettext("late"))}</span>'
    rows = []
    for step in timeline.steps.all():
        done = localized_date(step.done_on, "DATE_FORMAT") if step.done_on else "—"
        title = content(step, "title")
        if step.note:
            title += f'<br><small class="muted">{content(step, "note")}</small>'
        rows.append(
            f'\n    <tr data-step="{step.pk}">'
            f"\n      <td>{escape(step_period(step))}</td>"
            f"\n      <td>{escape(done)}</td>"
            f"\n      <td>{title}</td>"
            f'\n      <td><span class="badge step-{escape(step.status)}">'
            f"{escape(step.get_status_display())}</span>{late if step.is_late else ''}</td>"
            "\n    </tr>"
        )
    return mark_safe(
        f'<div class="table-wrap">\n  <table class="compact timeline-table" '
        f'data-timeline="{timeline.pk}">\n  <caption>{content(timeline, "title")}</caption>'
        f"\n  <thead>\n    <tr>{head}</tr>\n  </thead>\n  <tbody>{''.join(rows)}</tbody>"
        "\n</table></div>"
    )


@register.simple_tag
def step_period(step: TimelineStep | AgendaStep) -> str:
    """A step's dates as the minutes write them: "Avril – Mai 2023", "Mai 2023", or full dates
    when the step is dated to the day."""
    start, end = step.starts_on, step.ends_on or step.starts_on
    if step.precision == TimelineStep.Precision.DAY:
        first = localized_date(start, "DATE_FORMAT")
        return first if end == start else f"{first} – {localized_date(end, 'DATE_FORMAT')}"
    if (start.year, start.month) == (end.year, end.month):
        return capfirst(date_format(start, "F Y"))
    if start.year == end.year:
        return f"{capfirst(date_format(start, 'F'))} – {capfirst(date_format(end, 'F Y'))}"
    return f"{capfirst(date_format(start, 'F Y'))} – {capfirst(date_format(end, 'F Y'))}"


@register.simple_tag
def representative(gender: str) -> str:
    """How the minutes name a seat without a person's name: "Représentante", "Représentant"."""
    return wording.representative(gender)


@register.simple_tag
def seat_of(member: CommitteeMember) -> str:
    """ "Titulaire", "Suppléante": the seat in its holder's form."""
    return wording.seat(member)


@register.simple_tag
def role_of(member: CommitteeMember) -> str:
    """ "Présidente", "Membre": the role in its holder's form."""
    return wording.role(member)
