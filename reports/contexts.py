"""The report's content as dataclasses built from live data, in the requested language.

Everything the PDF shows comes from here; ``documents.engine.fingerprint`` hashes it (not the
generation time),
so two versions made from the same data have the same fingerprint.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cocreation.models import Process, Proposal
from cocreation.summaries import statistics as co_creation_statistics
from commitments.charts import level_bar_chart, progress_line_chart
from commitments.dashboard import plan_progress_history
from commitments.irm import IrmComparison, irm_comparison
from commitments.models import (
    Commitment,
    FocalPointAssignment,
    Plan,
    ProgressUpdate,
    verbose_name,
)
from commitments.progress import CompletionLevel, mean_progress, rounded_percent
from commitments.summaries import plan_summary
from meetings.models import CIVIL_SOCIETY_KINDS, Meeting
from ogp_portal.grammar import colon, semicolon

from .models import AssessmentSheet, Report

Progress = Callable[[int, str], None]


@dataclasses.dataclass(frozen=True)
class ActivityLine:
    position: int
    title: str
    status: str
    progress: int
    weight: Decimal
    blocked_reason: str
    sheet_status: str
    sheet_comment: str


@dataclasses.dataclass(frozen=True)
class SheetSummary:
    state: str
    completion_level: str
    justification: str
    results: str
    effects: list[tuple[str, str]]
    effect_explanation: str
    difficulties: str
    next_steps: str


@dataclasses.dataclass(frozen=True)
class CommitmentSection:
    number: int
    ogp_id: str
    title: str
    axis: str
    lead_institution: str
    supporting_institutions: list[str]
    ogp_values: list[str]
    challenge: str
    solution: str
    expected_results: str
    remarks: str
    percent: int
    level: str
    level_label: str
    last_update: datetime.date | None
    activities: list[ActivityLine]
    sheet: SheetSummary | None
    # The IRM's assessment beside this report's level (the sheet's, or the portal's).
    irm: IrmComparison | None = None


@dataclasses.dataclass(frozen=True)
class AxisSummary:
    number: int
    title: str
    percent: int
    commitments: list[int]


@dataclasses.dataclass(frozen=True)
class MeetingLine:
    """A held committee meeting about the plan, with the table frozen at it."""

    date: datetime.date
    committee: str
    mode: str
    participants: int
    civil_society_present: bool
    percent: int | None
    no_progress: list[int]
    decisions: int
    open_decisions: int


@dataclasses.dataclass(frozen=True)
class CoCreation:
    """How the plan was co-created: reported totals, or the portal's own counts."""

    title: str
    participants: int
    events: int
    proposals: int
    reported_source: str
    by_status: list[tuple[str, int]]
    answered: int
    draft_commitments: int


@dataclasses.dataclass(frozen=True)
class Monitoring:
    focal_points: int
    updates_in_period: int
    validated_in_period: int
    sheets_filled: int
    sheets_expected: int
    meetings: list[MeetingLine]


@dataclasses.dataclass(frozen=True)
class ReportContext:
    title: str
    plan_title: str
    plan_start: datetime.date
    plan_end: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    language: str
    percent: int
    levels: list[tuple[str, str, int]]
    axes: list[AxisSummary]
    commitments: list[CommitmentSection]
    history: list[tuple[datetime.date, Decimal]]
    monitoring: Monitoring
    co_creation: list[CoCreation]
    thresholds: tuple[int, int, int]
    generated_at: datetime.datetime = dataclasses.field(compare=False)


def build_report_context(
    report: Report, language: str, on_progress: Progress | None = None
) -> ReportContext:
    """Call inside ``translation.override(language)``: titles come in that language."""

    def progress(percent: int, step: str) -> None:
        if on_progress is not None:
            on_progress(percent, step)

    plan = report.plan
    commitments = Commitment.objects.select_related("irm_assessment").prefetch_related("activities")
    summary = plan_summary(plan, commitments=commitments)
    progress(10, gettext_noop("Computing the figures"))
    sheets = {
        sheet.commitment_id: sheet
        for sheet in AssessmentSheet.objects.filter(report=report).prefetch_related(
            "activity_notes"
        )
    }
    supporting = {
        c.pk: [i.name for i in c.supporting_institutions.all()]
        for c in Commitment.objects.filter(plan=plan).prefetch_related(
            Prefetch("supporting_institutions")
        )
    }
    sections = []
    for index, row in enumerate(summary.rows, start=1):
        sections.append(_section(row, sheets.get(row.commitment.pk), supporting))
        if index % 10 == 0:
            progress(10 + 10 * index // len(summary.rows), gettext_noop("Writing the commitments"))
    return ReportContext(
        title=report.title,
        plan_title=plan.title,
        plan_start=plan.start_date,
        plan_end=plan.end_date,
        period_start=report.period_start,
        period_end=report.period_end,
        language=language,
        percent=summary.percent,
        levels=summary.level_counts(),
        axes=_axes(summary.rows, plan),
        commitments=sections,
        history=plan_progress_history(plan),
        monitoring=_monitoring(report, len(summary.rows), sheets),
        co_creation=_co_creation(plan),
        thresholds=(plan.limited_threshold, plan.substantial_threshold, plan.complete_threshold),
        generated_at=timezone.now(),
    )


def _section(row: Any, sheet: AssessmentSheet | None, supporting: dict) -> CommitmentSection:
    commitment = row.commitment
    notes = {note.activity_id: note for note in sheet.activity_notes.all()} if sheet else {}
    activities = []
    for activity in commitment.activities.all():
        note = notes.get(activity.pk)
        activities.append(
            ActivityLine(
                position=activity.position,
                title=activity.title,
                status=activity.get_status_display(),
                progress=activity.progress,
                weight=activity.weight,
                blocked_reason=activity.blocked_reason,
                sheet_status=note.get_status_display() if note else "",
                sheet_comment=note.comment if note else "",
            )
        )
    level = (sheet.completion_override if sheet else "") or row.completion_level
    summary = _sheet(sheet) if sheet and sheet.is_filled else None
    return CommitmentSection(
        number=commitment.number,
        ogp_id=commitment.ogp_id,
        title=commitment.title,
        axis=str(commitment.axis) if commitment.axis else "",
        lead_institution=commitment.lead_institution.name,
        supporting_institutions=supporting.get(commitment.pk, []),
        ogp_values=commitment.ogp_value_labels,
        challenge=commitment.challenge,
        solution=commitment.solution,
        expected_results=commitment.expected_results,
        remarks=commitment.remarks,
        percent=row.percent,
        level=level,
        level_label=str(CompletionLevel(level).label),
        last_update=timezone.localdate(row.last_update_at) if row.last_update_at else None,
        activities=activities,
        sheet=summary,
        irm=irm_comparison(commitment, completion_level=level, opened_government=_effects(summary)),
    )


def _effects(summary: SheetSummary | None) -> str:
    """ "access to information: Marginal; …", as the sheet says it opened government."""
    if summary is None:
        return ""
    return f"{semicolon()} ".join(f"{value}{colon()} {effect}" for value, effect in summary.effects)


def _sheet(sheet: AssessmentSheet) -> SheetSummary:
    level = sheet.completion_override
    return SheetSummary(
        state=sheet.get_state_display(),
        completion_level=str(CompletionLevel(level).label) if level else "",
        justification=sheet.completion_justification,
        results=sheet.results,
        effects=[
            (verbose_name(sheet, name), str(sheet.Effect(getattr(sheet, name)).label))
            for name in sheet.EFFECT_FIELDS
            if getattr(sheet, name)
        ],
        effect_explanation=sheet.effect_explanation,
        difficulties=sheet.difficulties,
        next_steps=sheet.next_steps,
    )


def _axes(rows: list[Any], plan: Any) -> list[AxisSummary]:
    axes = []
    for axis in plan.axes.all():
        members = [r for r in rows if r.commitment.axis_id == axis.pk]
        if not members:
            continue
        axes.append(
            AxisSummary(
                number=axis.number,
                title=axis.title,
                percent=rounded_percent(mean_progress(r.progress for r in members)),
                commitments=[r.commitment.number for r in members],
            )
        )
    return axes


def _monitoring(report: Report, commitments: int, sheets: dict) -> Monitoring:
    updates = ProgressUpdate.objects.filter(
        activity__commitment__plan=report.plan,
        created_at__date__gte=report.period_start,
        created_at__date__lte=report.period_end,
    )
    return Monitoring(
        focal_points=FocalPointAssignment.objects.filter(commitment__plan=report.plan)
        .values("user")
        .distinct()
        .count(),
        updates_in_period=updates.count(),
        validated_in_period=updates.filter(state=ProgressUpdate.State.VALIDATED).count(),
        sheets_filled=sum(sheet.is_filled for sheet in sheets.values()),
        sheets_expected=commitments,
        meetings=_meetings(report),
    )


def _co_creation(plan: Plan) -> list[CoCreation]:
    """The co-creations that produced the plan. Totals reported in minutes (2020: 804
    participants, 10 events, 232 proposals) stand where the portal holds no proposals."""
    lines = []
    for process in Process.objects.filter(plan=plan):
        stats = co_creation_statistics(process)
        reported = process.reported_proposals is not None and not stats.proposals
        lines.append(
            CoCreation(
                title=process.title,
                participants=(process.reported_participants or 0)
                if reported
                else stats.participants,
                events=(process.reported_events or 0) if reported else stats.events,
                proposals=(process.reported_proposals or 0) if reported else stats.proposals,
                reported_source=process.reported_source if reported else "",
                by_status=stats.by_status,
                answered=stats.answered,
                draft_commitments=Proposal.objects.filter(
                    process=process, draft_commitment__isnull=False
                )
                .values("draft_commitment")
                .distinct()
                .count(),
            )
        )
    return lines


def _meetings(report: Report) -> list[MeetingLine]:
    meetings = (
        Meeting.objects.held()
        .filter(plan=report.plan)
        .select_related("committee", "snapshot")
        .prefetch_related("attendances__institution", "decisions", "snapshot__rows__commitment")
        .order_by("starts_at")
    )
    lines = []
    for meeting in meetings:
        attended = [a for a in meeting.attendances.all() if a.attended]
        snapshot = getattr(meeting, "snapshot", None)
        decisions = list(meeting.decisions.all())
        lines.append(
            MeetingLine(
                date=meeting.date,
                committee=meeting.committee.name,
                mode=str(meeting.get_mode_display()),
                participants=len(attended),
                civil_society_present=any(
                    a.institution is not None and a.institution.kind in CIVIL_SOCIETY_KINDS
                    for a in attended
                ),
                percent=rounded_percent(snapshot.global_progress) if snapshot else None,
                no_progress=sorted(
                    row.commitment.number for row in snapshot.rows.all() if row.no_progress
                )
                if snapshot
                else [],
                decisions=len(decisions),
                open_decisions=sum(d.is_open for d in decisions),
            )
        )
    return lines


def report_charts(context: ReportContext) -> dict[str, Any]:
    """The dashboard's SVG charts, drawn from the report's own figures."""
    return {
        "levels": level_bar_chart(context.levels, title=_("Commitments by completion level")),
        "history": progress_line_chart(
            context.history,
            title=_("Progress over time"),
            markers=[
                (line.date, Decimal(line.percent), line.committee)
                for line in context.monitoring.meetings
                if line.percent is not None
            ],
        ),
    }
