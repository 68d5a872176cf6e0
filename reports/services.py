"""Writes of the reports domain: generation, workflow, comments, sheets."""

from __future__ import annotations

import contextlib
import datetime
import io
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pypdf import PdfReader

from commitments.models import Plan

from .contexts import build_report_context, report_charts
from .models import AssessmentSheet, Report, ReportComment, ReportStageChange, ReportVersion
from .pdf import render_pdf

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# A running generation that has not reported progress for this long is taken to be dead (its
# worker was killed) and may be claimed again. Longer than the task's hard time limit.
LEASE = datetime.timedelta(minutes=15)

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


@transaction.atomic
def report_generation_request(*, report: Report, language: str, user: User | None) -> ReportVersion:
    """A new version, waiting; the worker is asked once the transaction commits."""
    from .tasks import generate_report_version

    version = ReportVersion.objects.create(report=report, language=language, requested_by=user)
    transaction.on_commit(lambda: generate_report_version.delay(version.pk))
    return version


@transaction.atomic
def report_version_retry(*, version: ReportVersion) -> None:
    from .tasks import generate_report_version

    reset = ReportVersion.objects.filter(pk=version.pk, status=ReportVersion.Status.FAILED).update(
        status=ReportVersion.Status.PENDING, progress=0, step="", error="", finished_at=None
    )
    if not reset:
        raise ValidationError(_("Only a failed generation can be retried."))
    transaction.on_commit(lambda: generate_report_version.delay(version.pk))


def report_version_claim(version_id: int) -> bool:
    """Conditional claim, so a duplicate delivery of the task does nothing."""
    now = timezone.now()
    return bool(
        ReportVersion.objects.filter(pk=version_id)
        .claimable(LEASE)
        .update(
            status=ReportVersion.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            progress=0,
            step="",
            error="",
        )
    )


def report_version_generate(*, version_id: int) -> ReportVersion | None:
    """Build the report from live data and write the PDF; None when there was nothing to do
    (unknown id, or already claimed by another delivery)."""
    if not report_version_claim(version_id):
        return None
    version = ReportVersion.objects.select_related("report__plan").get(pk=version_id)
    try:
        with translation.override(version.language):
            version.mark_progress(5, gettext_noop("Collecting the data"))
            context = build_report_context(version.report, version.language, version.mark_progress)
            version.data_hash = context.fingerprint()
            version.save(update_fields=["data_hash"])
            version.mark_progress(60, gettext_noop("Laying out the PDF"))
            pdf = render_pdf(
                "reports/report_pdf.html", {"report": context, "charts": report_charts(context)}
            )
            version.mark_progress(95, gettext_noop("Saving the file"))
        name = f"report-{version.report_id}-{version.language}-{version.pk}.pdf"
        version.pdf.save(name, ContentFile(pdf), save=False)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        version.mark_ready(version.pdf.name, pages, _same_data(version))
    except OperationalError:
        # The database hiccuped: put the version back in the queue for the task's retry.
        _release(version)
        raise
    except BaseException as error:
        version.mark_failed(f"{type(error).__name__}: {error}")
        raise
    return version


def _release(version: ReportVersion) -> None:
    # If even this fails, the lease lets report_versions_recover() send it again later.
    with contextlib.suppress(OperationalError):
        ReportVersion.objects.filter(pk=version.pk).update(status=ReportVersion.Status.PENDING)


def _same_data(version: ReportVersion) -> ReportVersion | None:
    return (
        ReportVersion.objects.filter(
            report_id=version.report_id,
            language=version.language,
            status=ReportVersion.Status.READY,
            data_hash=version.data_hash,
        )
        .exclude(pk=version.pk)
        .order_by("requested_at")
        .first()
    )


def report_versions_recover() -> list[int]:
    """Send again the generations whose worker died (silent for longer than the lease) and
    those still waiting long after they were asked for (their message was lost)."""
    from .tasks import generate_report_version

    stalled = ReportVersion.objects.claimable(LEASE).filter(requested_at__lt=timezone.now() - LEASE)
    ids = list(stalled.values_list("pk", flat=True))
    for version_id in ids:
        generate_report_version.delay(version_id)
    return ids


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
