"""The IRM's assessment of a commitment beside its self-assessment, with their differences.

The self-assessment's completion level is the portal's (``Commitment.completion_level``), unless
the caller passes another: the report passes the level its self-assessment sheet gives, since
``commitments`` cannot read the reports. Completion and the OGP values are on both sides and
compared; verifiability, potential impact, "did it open government?" and the star are the
IRM's alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ogp_portal.grammar import join_list

from .models import Commitment, IrmAssessment, verbose_name
from .progress import CompletionLevel

NOT_ASSESSED = "—"


@dataclass(frozen=True)
class ComparisonRow:
    """One criterion: what the self-assessment and the IRM say, and whether they differ."""

    criterion: str  # a stable key: "completion", "ogp_values", "verifiable"...
    label: str
    self_assessment: str
    irm: str
    differs: bool = False
    sentence: str = ""


@dataclass(frozen=True)
class IrmComparison:
    report_title: str
    report_url: str
    report_date: datetime.date
    starred: bool
    note: str
    rows: list[ComparisonRow]

    @property
    def differences(self) -> list[ComparisonRow]:
        return [row for row in self.rows if row.differs]


def assessment_of(commitment: Commitment) -> IrmAssessment | None:
    """The commitment's IRM assessment (selected with it when the queryset asked), or None."""
    try:
        return commitment.irm_assessment
    except ObjectDoesNotExist:
        return None


def irm_comparison(
    commitment: Commitment, *, completion_level: str | None = None, opened_government: str = ""
) -> IrmComparison | None:
    """None when no IRM assessment is recorded for the commitment. ``opened_government`` is
    what the self-assessment says of it, if anything (the sheet's effects, value by value):
    shown beside the IRM's overall rating, not compared, the scales being different."""
    assessment = assessment_of(commitment)
    if assessment is None:
        return None
    level = completion_level or commitment.completion_level
    return IrmComparison(
        report_title=assessment.report_title,
        report_url=assessment.report_url,
        report_date=assessment.report_date,
        starred=assessment.starred,
        note=assessment.note,
        rows=[
            _completion(level, assessment),
            _values(commitment, assessment),
            _irm_only(assessment, "verifiable", _yes_no(assessment.verifiable)),
            _irm_only(assessment, "potential_impact", assessment.get_potential_impact_display()),
            _irm_only(
                assessment,
                "opened_government",
                assessment.get_opened_government_display(),
                mine=opened_government,
            ),
            _irm_only(assessment, "starred", _yes_no(assessment.starred)),
        ],
    )


def _completion(level: str, assessment: IrmAssessment) -> ComparisonRow:
    mine = str(CompletionLevel(level).label)
    theirs = assessment.get_completion_display() if assessment.completion else ""
    differs = bool(theirs) and assessment.completion != level
    sentence = ""
    if differs:
        sentence = _("The self-assessment says “%(self)s”, the IRM says “%(irm)s”.") % {
            "self": mine,
            "irm": theirs,
        }
    return ComparisonRow(
        "completion", _("Completion"), mine, theirs or NOT_ASSESSED, differs, sentence
    )


def _values(commitment: Commitment, assessment: IrmAssessment) -> ComparisonRow:
    mine = join_list(commitment.ogp_value_labels) or _("none")
    theirs = join_list(assessment.relevant_value_labels) or _("none")
    differs = set(commitment.ogp_values) != set(assessment.relevant_values)
    sentence = ""
    if differs:
        sentence = _(
            "The commitment names the OGP values “%(self)s”, the IRM finds “%(irm)s” relevant."
        ) % {"self": mine, "irm": theirs}
    return ComparisonRow("ogp_values", _("OGP values"), mine, theirs, differs, sentence)


def _irm_only(assessment: IrmAssessment, name: str, value: str, *, mine: str = "") -> ComparisonRow:
    label = capfirst(verbose_name(assessment, name))
    return ComparisonRow(name, label, mine or NOT_ASSESSED, value or NOT_ASSESSED)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")
