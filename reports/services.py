"""Writes of the reports domain: generation, workflow, comments, sheets."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commitments.models import Plan
from documents.pdf import render_pdf
from ogp_portal import generation
from ogp_portal.generation import Built, Generation

from .contexts import build_report_context, report_charts
from .models import AssessmentSheet, Report, ReportComment, ReportStageChange, ReportVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import User

LEASE = generation.LEASE

# The workflow, in order; a report may also step back one stage (e.g. review → draft).
STAGES = list(Report.Stage.values)


def report_default_for(plan: Plan) -> Report:
    """The plan's latest report, or a new draft covering the plan's whole period."""
    report = Report.objects.filter(plan=plan).order_by("-period_end", "-pk").first()
    if report is not None:
        return report
    titles = {}
    for language in ("fr", "ar", "en"):
        with translation.override(language):
            titles[f"title_{language}"] = _("Self-assessment report – %(plan)s") % {
                "plan": plan.title
            }
    return report_create(
        plan=plan, period_start=plan.start_date, period_end=plan.end_date, user=None, **titles
    )


@transaction.atomic
def report_create(
    *, plan: Plan, period_start: datetime.date, period_end: datetime.date, user: User | None,
    **titles: str,
) -> Report:  # fmt: skip
    report = Report(plan=plan, period_start=period_start, period_end=period_end, **titles)
    report.full_clean()
    report.save()
    ReportStageChange.objects.create(report=report, stage=report.stage, changed_by=user)
    return report


def report_generation_request(*, report: Report, language: str, user: User | None) -> ReportVersion:
    """A new version, waiting; the worker is asked once the transaction commits."""
    from .tasks import generate_report_version

    return REPORT_GENERATION.request(report, language, user, generate_report_version.delay)


@transaction.atomic
def report_version_retry(*, version: ReportVersion) -> None:
    from .tasks import generate_report_version

    REPORT_GENERATION.retry(version, generate_report_version.delay)


def _build(version: ReportVersion) -> Built:
    """The report from live data, in the active language (the version's)."""
    context = build_report_context(version.report, version.language, version.mark_progress)
    version.mark_progress(60, gettext_noop("Laying out the PDF"))
    pdf = render_pdf(
        "reports/report_pdf.html", {"report": context, "charts": report_charts(context)}
    )
    return Built(pdf=pdf, data_hash=context.fingerprint())


REPORT_GENERATION = Generation(
    model=ReportVersion,
    parent="report",
    build=_build,
    file_prefix="report",
    select_related=("report__plan",),
)


def report_version_claim(version_id: int) -> bool:
    """Conditional claim, so a duplicate delivery of the task does nothing."""
    return REPORT_GENERATION.claim(version_id)


def report_version_generate(*, version_id: int) -> ReportVersion | None:
    """Build the report from live data and write the PDF; None when there was nothing to do
    (unknown id, or already claimed by another delivery)."""
    return REPORT_GENERATION.generate(version_id)


def report_versions_recover() -> list[int]:
    """Send again the generations whose worker died or whose message was lost."""
    from .tasks import generate_report_version

    return REPORT_GENERATION.recover(generate_report_version.delay)


@transaction.atomic
def report_stage_change(*, report: Report, stage: str, user: User, note: str = "") -> None:
    """Move the report along its workflow: the next stage, or one back."""
    current, target = STAGES.index(report.stage), STAGES.index(stage)
    if target not in (current + 1, current - 1):
        raise ValidationError(
            _("A report moves one stage at a time (now: %(stage)s).")
            % {"stage": report.get_stage_display()}
        )
    if (
        stage in {Report.Stage.CONSULTATION, Report.Stage.PUBLISHED}
        and not report.versions.filter(status=ReportVersion.Status.READY).exists()
    ):
        raise ValidationError(_("Generate the report's PDF before publishing it."))
    report.stage = stage
    report.save(update_fields=["stage"])
    ReportStageChange.objects.create(report=report, stage=stage, changed_by=user, note=note)


def report_comment_add(
    *, report: Report, kind: str, body: str, author: User | None = None, **details: str
) -> ReportComment:
    expected = {
        ReportComment.Kind.COMMITTEE.value: Report.Stage.REVIEW,
        ReportComment.Kind.PUBLIC.value: Report.Stage.CONSULTATION,
    }[kind]
    if report.stage != expected:
        raise ValidationError(_("This report is not open for these comments now."))
    # Committee members' comments need no moderation; the public's do.
    moderation = (
        ReportComment.Moderation.APPROVED
        if kind == ReportComment.Kind.COMMITTEE
        else ReportComment.Moderation.PENDING
    )
    comment = ReportComment(
        report=report, kind=kind, body=body, author=author, moderation=moderation, **details
    )
    comment.full_clean()
    comment.save()
    return comment


def report_comment_moderate(*, comment: ReportComment, approve: bool, user: User) -> None:
    comment.moderation = (
        ReportComment.Moderation.APPROVED if approve else ReportComment.Moderation.REJECTED
    )
    comment.moderated_by, comment.moderated_at = user, timezone.now()
    comment.save(update_fields=["moderation", "moderated_by", "moderated_at"])


@transaction.atomic
def sheet_save(*, sheet: AssessmentSheet, user: User, submit: bool) -> AssessmentSheet:
    sheet.updated_by, sheet.updated_at = user, timezone.now()
    if submit:
        sheet.state, sheet.submitted_at = AssessmentSheet.State.SUBMITTED, timezone.now()
    elif sheet.state == AssessmentSheet.State.RETURNED:
        sheet.state = AssessmentSheet.State.DRAFT
    sheet.full_clean()
    sheet.save()
    return sheet


def sheet_review(*, sheet: AssessmentSheet, user: User, accept: bool, note: str = "") -> None:
    if sheet.state != AssessmentSheet.State.SUBMITTED:
        raise ValidationError(_("Only a submitted sheet can be reviewed."))
    if not accept and not note.strip():
        raise ValidationError({"review_note": _("Say what to complete or correct.")})
    sheet.state = AssessmentSheet.State.REVIEWED if accept else AssessmentSheet.State.RETURNED
    sheet.reviewed_by, sheet.reviewed_at, sheet.review_note = user, timezone.now(), note.strip()
    sheet.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
