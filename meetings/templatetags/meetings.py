from __future__ import annotations

from django import template
from django.utils.dateformat import format as date_format
from django.utils.formats import date_format as localized_date
from django.utils.text import capfirst

from .. import wording
from ..models import AgendaStep, CommitteeMember, TimelineStep

register = template.Library()


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
