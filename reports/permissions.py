"""Who may do what with reports (rules predicates, as in commitments/permissions.py)."""

from __future__ import annotations

import rules

from commitments.permissions import User, is_current_focal_point, is_secretariat
from meetings.permissions import is_committee_member

from .models import AssessmentSheet, Report


@rules.predicate
def holds_sheet_commitment(user: User, sheet: AssessmentSheet | None) -> bool:
    return sheet is not None and bool(is_current_focal_point(user, sheet.commitment))


@rules.predicate
def can_read_report(user: User, report: Report | None) -> bool:
    """The rule of ``Report.objects.visible_to``, for one report."""
    return report is not None and Report.objects.visible_to(user).filter(pk=report.pk).exists()


rules.add_perm("reports.manage", is_secretariat)
rules.add_perm("reports.read_report", can_read_report)
rules.add_perm("reports.comment_as_committee", is_committee_member | is_secretariat)
rules.add_perm("reports.fill_sheet", holds_sheet_commitment | is_secretariat)
