"""Writes of the reports domain: generation, workflow, comments, sheets."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commitments.models import Activity, Plan
from meetings.events import timeline_event
from ogp_portal.i18n import CONTENT_LANGUAGES

from . import tasks
from .generation import REPORT
from .models import (
    AssessmentSheet,
    Report,
    ReportComment,
    ReportStageChange,
    ReportVersion,
    SheetActivityNote,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def report_default_for(plan: Plan) -> Report:
    """The plan's latest report, or a new draft covering the plan's whole period."""
    report = Report.objects.filter(plan=plan).order_by("-period_end", "-pk").first()
    if report is not None:
        return report
    titles: dict[str, Any] = {}
    for language in CONTENT_LANGUAGES:
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
    sheet_deadline: datetime.date | None = None, **titles: str,
) -> Report:  # fmt: skip
    report = Report(
        plan=plan,
        period_start=period_start,
        period_end=period_end,
        sheet_deadline=sheet_deadline,
        **titles,
    )
    report.full_clean()
    report.save()
    ReportStageChange.objects.create(report=report, stage=report.stage, changed_by=user)
    return report


def report_generation_request(*, report: Report, language: str, user: User | None) -> ReportVersion:
    """A new version, waiting; the worker is asked once the transaction commits."""
    return REPORT.request(report, language, user, tasks.generate_report_version.delay)


@transaction.atomic
def report_version_retry(*, version: ReportVersion) -> None:
    REPORT.retry(version, tasks.generate_report_version.delay)


@transaction.atomic
def report_stage_change(*, report: Report, stage: str, user: User, note: str = "") -> None:
    """Move the report along its workflow: the next stage, or one back."""
    if stage not in (report.next_stage, report.previous_stage):
        raise ValidationError(
            _("A report moves one stage at a time (now: %(stage)s).")
            % {"stage": report.get_stage_display()}
        )
    if (
        stage in {Report.Stage.CONSULTATION, Report.Stage.PUBLISHED}
        and not report.versions.filter(status=ReportVersion.Status.READY).exists()
    ):
        raise ValidationError(_("Generate the report's PDF before publishing it."))
    forward = stage == report.next_stage
    report.stage = stage
    report.save(update_fields=["stage"])
    ReportStageChange.objects.create(report=report, stage=stage, changed_by=user, note=note)
    if forward:
        timeline_event(f"report:{stage}", plan=report.plan, on=timezone.localdate())


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
def sheet_save(
    *,
    sheet: AssessmentSheet,
    user: User,
    submit: bool,
    notes: Iterable[tuple[Activity, dict[str, Any]]] = (),
) -> AssessmentSheet:
    """Save a sheet (and what it says of each activity: ``notes``), as a draft or submitted;
    refused once it is locked (``AssessmentSheet.lock_reason``). A returned sheet stays
    returned, so open, until it is submitted again."""
    stored = (
        AssessmentSheet.objects.select_for_update().select_related("report").get(pk=sheet.pk)
        if sheet.pk
        else sheet
    )
    if locked := stored.lock_reason:
        raise ValidationError(locked)
    sheet.updated_by, sheet.updated_at = user, timezone.now()
    if submit:
        sheet.state, sheet.submitted_at = AssessmentSheet.State.SUBMITTED, timezone.now()
    sheet.full_clean()
    sheet.save()
    for activity, note in notes:
        SheetActivityNote.objects.update_or_create(sheet=sheet, activity=activity, defaults=note)
    return sheet


def sheet_review(*, sheet: AssessmentSheet, user: User, accept: bool, note: str = "") -> None:
    """Accept a submitted sheet (which locks it), or return it with a note: a submitted or
    an accepted one, which reopens that sheet, whatever the report's stage."""
    if accept and sheet.state != AssessmentSheet.State.SUBMITTED:
        raise ValidationError(_("Only a submitted sheet can be reviewed."))
    if not accept and not sheet.can_be_returned:
        raise ValidationError(_("Only a submitted or accepted sheet can be returned."))
    if not accept and not note.strip():
        raise ValidationError({"review_note": _("Say what to complete or correct.")})
    sheet.state = AssessmentSheet.State.REVIEWED if accept else AssessmentSheet.State.RETURNED
    sheet.reviewed_by, sheet.reviewed_at, sheet.review_note = user, timezone.now(), note.strip()
    sheet.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
