"""Writes of the reports domain: generation, workflow (its gates are in ``gates.py``),
comments, sheets."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commitments.models import Activity, Commitment, Plan
from limits.services import sender_take
from meetings.events import timeline_event
from ogp_portal.i18n import CONTENT_LANGUAGES

from . import notices, tasks
from .gates import consultation_dates_missing, stage_missing
from .generation import REPORT, ready_from_current_data
from .models import (
    AssessmentSheet,
    Report,
    ReportComment,
    ReportStageChange,
    ReportVersion,
    SheetActivityNote,
    SheetExemption,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from notifications.models import Notification


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
    # A new report asks every commitment for its sheet: this is when the focal points hear it.
    for commitment in Commitment.objects.filter(plan=plan).active():
        notices.sheet_requested(report, commitment)
    return report


def report_generation_request(
    *, report: Report, language: str, user: User | None
) -> tuple[ReportVersion, bool]:
    """The version to follow and whether it is new: the one of ``report`` in ``language``
    already under way, else a new one, waiting; the worker is asked once the engine's
    transaction commits (so not inside one of its own)."""
    return REPORT.request(report, language, user, tasks.generate_report_version.delay)


def report_version_retry(*, version: ReportVersion, user: User | None = None) -> ReportVersion:
    """The version to follow: ``version`` waiting again, or a new one if its file is lost.
    Not inside a transaction of its own: the engine's commits, so that the version returned
    says whether the task could be sent."""
    return REPORT.retry(version, user, tasks.generate_report_version.delay)


@transaction.atomic
def report_stage_change(
    *, report: Report, stage: str, user: User | None, note: str = "",
    transmitted_on: datetime.date | None = None, transmitted_how: str = "",
) -> None:  # fmt: skip
    """Move the report along its workflow: one stage back, or the next one once its gate
    lets it through (``gates.stage_missing``: refused with the list of what is missing). The
    validation pins the newest version made from the current data; the transmission records
    when and how the report was sent to the OGP."""
    # Two clicks at once: the second waits for the first, then sees the stage it left.
    Report.objects.select_for_update().get(pk=report.pk)
    report.refresh_from_db()
    missing = stage_missing(
        report, stage, transmitted_on=transmitted_on, transmitted_how=transmitted_how
    )
    if missing:
        raise ValidationError(missing)
    forward = stage == report.next_stage
    if forward and stage == Report.Stage.VALIDATED:
        report.validated_version = ready_from_current_data(report)[0]
    elif stage in {Report.Stage.DRAFT, Report.Stage.REVIEW, Report.Stage.CONSULTATION}:
        report.validated_version = None
    if forward and stage == Report.Stage.TRANSMITTED:
        report.transmitted_on, report.transmitted_how = transmitted_on, transmitted_how.strip()
    else:
        report.transmitted_on, report.transmitted_how = None, ""
    report.stage = stage
    report._history_user = user  # type: ignore[attr-defined]  # simple_history
    report.save(update_fields=["stage", "validated_version", "transmitted_on", "transmitted_how"])
    change = ReportStageChange.objects.create(
        report=report, stage=stage, changed_by=user, note=note
    )
    notices.stage_changed(change)
    if forward:
        on = report.transmitted_on or timezone.localdate()
        timeline_event(f"report:{stage}", plan=report.plan, on=on)
    if stage == Report.Stage.CONSULTATION:
        consultation_announce(report)
    elif forward and stage == Report.Stage.PUBLISHED:
        notices.report_published(report, change)


@transaction.atomic
def report_consultation_schedule(
    *, report: Report, opens_on: datetime.date, closes_on: datetime.date, user: User
) -> None:
    """Set the public consultation's dates, before it or while it runs (then it may be
    extended, not cut below the plan's minimum)."""
    if report.stage not in CONSULTATION_SCHEDULABLE:
        raise ValidationError(_("The consultation is over: its dates can no longer change."))
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The consultation cannot close before it opens.")})
    report.consultation_opens_on, report.consultation_closes_on = opens_on, closes_on
    if report.stage == Report.Stage.CONSULTATION and (
        too_short := consultation_dates_missing(report)
    ):
        report.refresh_from_db()
        raise ValidationError(too_short)
    report._history_user = user  # type: ignore[attr-defined]  # simple_history
    report.save(update_fields=["consultation_opens_on", "consultation_closes_on"])
    consultation_announce(report)


def consultation_announce(
    report: Report, *, today: datetime.date | None = None
) -> list[Notification]:
    """Tell the plan's followers that the consultation is open, once it takes comments (the
    day the report enters it, or its opening day if later): once per entry into the stage."""
    if not report.takes_public_comments(today or timezone.localdate()):
        return []
    entry = report.stage_changes.filter(stage=Report.Stage.CONSULTATION).last()
    return notices.consultation_opened(report, entry) if entry else []


@transaction.atomic
def consultation_announcements_send(*, today: datetime.date | None = None) -> list[Notification]:
    """Run by beat: the consultations whose opening day has come, each told once."""
    told: list[Notification] = []
    for report in Report.objects.filter(stage=Report.Stage.CONSULTATION).select_related("plan"):
        told += consultation_announce(report, today=today)
    return told


CONSULTATION_SCHEDULABLE = (Report.Stage.DRAFT, Report.Stage.REVIEW, Report.Stage.CONSULTATION)


def sheet_exemption_record(
    *, report: Report, commitment: Commitment, user: User, reason: str
) -> SheetExemption:
    """Record that ``commitment``'s sheet is not awaited for ``report``, and why."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this commitment has no sheet.")})
    if SheetExemption.objects.filter(report=report, commitment=commitment).exists():
        raise ValidationError(_("An exception is already recorded for this commitment."))
    return SheetExemption.objects.create(
        report=report, commitment=commitment, reason=reason.strip(), granted_by=user
    )


class TooManyComments(Exception):
    """The same sender sent too many comments within the hour."""


@transaction.atomic
def report_comment_add(
    *,
    report: Report,
    kind: str,
    body: str,
    author: User | None = None,
    sender: str = "",
    language: str = "",
    **details: str,
) -> ReportComment:
    """A comment on ``report``; ``sender`` is the request's address; ``language`` the one it
    is written in (the active one by default), in which its author is answered. Committee
    members are counted by their account, the public by address (REPORT_COMMENTS_PER_HOUR
    each)."""
    expected = {
        ReportComment.Kind.COMMITTEE.value: Report.Stage.REVIEW,
        ReportComment.Kind.PUBLIC.value: Report.Stage.CONSULTATION,
    }[kind]
    if report.stage != expected:
        raise ValidationError(_("This report is not open for these comments now."))
    if kind == ReportComment.Kind.PUBLIC:
        _check_consultation_open(report)
    counted_as = f"user:{author.pk}" if author is not None else sender
    limit = settings.REPORT_COMMENTS_PER_HOUR
    if not sender_take(scope="reports.comment", sender=counted_as, limit=limit):
        raise TooManyComments
    # Committee members' comments need no moderation; the public's do.
    moderation = (
        ReportComment.Moderation.APPROVED
        if kind == ReportComment.Kind.COMMITTEE
        else ReportComment.Moderation.PENDING
    )
    language = language or (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    comment = ReportComment(
        report=report,
        kind=kind,
        body=body,
        author=author,
        moderation=moderation,
        language=language if language in CONTENT_LANGUAGES else settings.LANGUAGE_CODE,
        **details,
    )
    comment.full_clean()
    comment.save()
    return comment


def _check_consultation_open(report: Report) -> None:
    today = timezone.localdate()
    opens, closes = report.consultation_opens_on, report.consultation_closes_on
    if opens is not None and today < opens:
        raise ValidationError(
            _("The public consultation opens on %(date)s.")
            % {"date": date_format(opens, "SHORT_DATE_FORMAT")}
        )
    if closes is not None and closes < today:
        raise ValidationError(
            _("The public consultation closed on %(date)s.")
            % {"date": date_format(closes, "SHORT_DATE_FORMAT")}
        )


@transaction.atomic
def report_comment_moderate(
    *, comment: ReportComment, approve: bool, user: User, reason: str = ""
) -> None:
    """Publish a comment, or not: then the reason is recorded as the secretariat's response.
    Its author hears which, once per outcome."""
    fields = ["moderation", "moderated_by", "moderated_at"]
    if not approve:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the comment is not published.")})
        comment.response, comment.responded_by, comment.responded_at = (
            reason.strip(), user, timezone.now()
        )  # fmt: skip
        fields += ["response", "responded_by", "responded_at"]
    comment.moderation = (
        ReportComment.Moderation.APPROVED if approve else ReportComment.Moderation.REJECTED
    )
    comment.moderated_by, comment.moderated_at = user, timezone.now()
    comment.save(update_fields=fields)
    notices.comment_moderated(comment)


def report_comment_answer(*, comment: ReportComment, user: User, answer: str) -> None:
    """The secretariat's answer to a moderated comment (shown with it when it is published)."""
    if comment.moderation == ReportComment.Moderation.PENDING:
        raise ValidationError(_("Moderate the comment before answering it."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    comment.response, comment.responded_by, comment.responded_at = (
        answer.strip(), user, timezone.now()
    )  # fmt: skip
    comment.save(update_fields=["response", "responded_by", "responded_at"])


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


@transaction.atomic
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
    notices.sheet_reviewed(sheet)


@transaction.atomic
def sheet_reminders_send(*, today: datetime.date | None = None) -> list[Notification]:
    """Run daily by beat: remind the focal points whose sheet is awaited (not submitted, no
    exception recorded; after the draft, only a returned one) within
    ``SHEET_DEADLINE_SOON_DAYS`` days of its deadline, once per sheet and deadline."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.SHEET_DEADLINE_SOON_DAYS)
    told: list[Notification] = []
    reports = Report.objects.filter(sheet_deadline__gte=today, sheet_deadline__lte=soon)
    for report in reports:
        for commitment in _sheets_awaited(report):
            told += notices.sheet_deadline(report, commitment)
    return told


def _sheets_awaited(report: Report) -> list[Commitment]:
    states = {s.commitment_id: s.state for s in report.sheets.all()}
    exempted = set(report.sheet_exemptions.values_list("commitment_id", flat=True))
    open_states = {AssessmentSheet.State.DRAFT, AssessmentSheet.State.RETURNED}
    if report.stage != Report.Stage.DRAFT:
        open_states = {AssessmentSheet.State.RETURNED}
    return [
        commitment
        for commitment in Commitment.objects.filter(plan_id=report.plan_id).active()
        if commitment.pk not in exempted
        and states.get(commitment.pk, AssessmentSheet.State.DRAFT) in open_states
    ]
