"""Read models of a plan for pages: figures computed once from prefetched rows."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ogp_portal.search import Match

from . import progress as progress_method
from .models import Activity, Commitment, FocalPointAssignment, Plan


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    progress: Decimal
    percent: int
    completion_level: str
    completion_level_label: str
    last_update_at: datetime.datetime | None
    days_since_update: int | None
    is_stale: bool
    match: Match | None = None  # where a search found it


@dataclass(frozen=True)
class CommitmentFigures:
    """A commitment's figures as the database computed them (``plan_figures``), with what
    the dashboard filters and groups by, and no model instance: enough for a plan's totals."""

    pk: int
    number: int
    axis_id: int | None
    axis_number: int | None
    lead_institution_id: int
    lead_institution_code: str
    progress: Decimal
    percent: int
    completion_level: str
    last_update_at: datetime.datetime | None
    days_since_update: int | None
    is_stale: bool


class _Counts:
    """The counts of a plan's rows, whether figures or full rows."""

    rows: Sequence[CommitmentRow] | Sequence[CommitmentFigures]

    @property
    def stale_count(self) -> int:
        return sum(row.is_stale for row in self.rows)

    def level_counts(self) -> list[tuple[str, str, int]]:
        """(level, label, number of commitments) for every OGP completion level, in order."""
        counts = dict.fromkeys(progress_method.CompletionLevel.values, 0)
        for row in self.rows:
            counts[row.completion_level] += 1
        return [
            (level, str(progress_method.CompletionLevel(level).label), count)
            for level, count in counts.items()
        ]


@dataclass(frozen=True)
class PlanFigures(_Counts):
    """A plan's active commitments as figures, in the order of their numbers."""

    plan: Plan
    progress: Decimal
    percent: int
    rows: list[CommitmentFigures]


@dataclass(frozen=True)
class PlanSummary(_Counts):
    plan: Plan
    progress: Decimal
    percent: int
    rows: list[CommitmentRow]


def commitment_row(commitment: Commitment, today: datetime.date | None = None) -> CommitmentRow:
    """A commitment's row from its activities (prefetched by with_progress_data, or queried)."""
    today = today or timezone.localdate()
    progress = commitment.progress
    level = commitment.completion_level
    return CommitmentRow(
        commitment=commitment,
        progress=progress,
        percent=progress_method.rounded_percent(progress),
        completion_level=level,
        completion_level_label=str(progress_method.CompletionLevel(level).label),
        last_update_at=commitment.last_update_at,
        days_since_update=commitment.days_since_update(today),
        is_stale=commitment.is_stale(today),
    )


FIGURE_VALUES = (
    "pk",
    "number",
    "axis_id",
    "axis__number",
    "lead_institution_id",
    "lead_institution__code",
    "completion_override",
    "figure_activities",
    "figure_weights",
    "figure_weighted",
    "figure_progress",
    "figure_last_update_at",
    "figure_evidenced",
)


def plan_figures(plan: Plan, today: datetime.date | None = None) -> PlanFigures:
    """The figures of a plan's active commitments in one query, whatever their number and
    their activities': the same as ``commitment_row`` gives (tests/commitments/
    test_progress_figures.py compares them)."""
    today = today or timezone.localdate()
    values = _figures_of_active_commitments().filter(plan=plan)
    thresholds, zone = plan.thresholds, timezone.get_current_timezone()
    rows = [_figures(plan, value, today, thresholds, zone) for value in values]
    progress = progress_method.mean_progress(row.progress for row in rows)
    return PlanFigures(
        plan=plan, progress=progress, percent=progress_method.rounded_percent(progress), rows=rows
    )


@functools.cache
def _figures_of_active_commitments() -> QuerySet[Commitment, dict[str, Any]]:
    """The figures' query of every plan, built once (its six subqueries took a millisecond to
    build); each call filters a copy of it, never evaluated itself. FIGURE_VALUES names no
    translated field, so the query is the same in every language."""
    return Commitment.objects.active().with_figures().order_by("number").values(*FIGURE_VALUES)


def _figures(
    plan: Plan,
    value: dict[str, Any],
    today: datetime.date,
    thresholds: progress_method.Thresholds,
    zone: datetime.tzinfo,
) -> CommitmentFigures:
    progress = progress_method.weighted_progress_of_sums(
        activities=value["figure_activities"],
        weights=value["figure_weights"],
        weighted=value["figure_weighted"],
        progress=value["figure_progress"],
    )
    level = value["completion_override"] or progress_method.completion_level(
        progress, has_evidence=bool(value["figure_evidenced"]), thresholds=thresholds
    )
    last_update_at = value["figure_last_update_at"]
    days = progress_method.days_since(last_update_at, today=today, zone=zone)
    return CommitmentFigures(
        pk=value["pk"],
        number=value["number"],
        axis_id=value["axis_id"],
        axis_number=value["axis__number"],
        lead_institution_id=value["lead_institution_id"],
        lead_institution_code=value["lead_institution__code"],
        progress=progress,
        percent=progress_method.rounded_percent(progress),
        completion_level=level,
        last_update_at=last_update_at,
        days_since_update=days,
        is_stale=progress_method.is_stale_after(days, threshold_days=plan.staleness_threshold_days),
    )


def commitment_rows(
    figures: Sequence[CommitmentFigures],
    commitments: QuerySet[Commitment] | None = None,
    plan: Plan | None = None,
) -> list[CommitmentRow]:
    """Full rows of these commitments, in the order given, with the figures given: one query
    for the commitments, their plan, axis and lead institution, and one for each prefetch of
    ``commitments`` (e.g. the activities, for a page that lists them). ``plan``, when the
    caller has it with its axes (every row being of it): the rows' plan and axes are those
    objects, not joined and built again for each row."""
    queryset = Commitment.objects.all() if commitments is None else commitments
    joined = ("lead_institution",) if plan else ("plan", "axis", "lead_institution")
    found = queryset.select_related(*joined).in_bulk([row.pk for row in figures])
    if plan is not None:
        axes = {axis.pk: axis for axis in plan.axes.all()}
        for commitment in found.values():
            commitment.plan = plan
            commitment.axis = axes.get(commitment.axis_id) if commitment.axis_id else None
    return [_full_row(found[row.pk], row) for row in figures]


def _full_row(commitment: Commitment, figures: CommitmentFigures) -> CommitmentRow:
    return CommitmentRow(
        commitment=commitment,
        progress=figures.progress,
        percent=figures.percent,
        completion_level=figures.completion_level,
        completion_level_label=str(progress_method.CompletionLevel(figures.completion_level).label),
        last_update_at=figures.last_update_at,
        days_since_update=figures.days_since_update,
        is_stale=figures.is_stale,
    )


def plan_summary(
    plan: Plan,
    today: datetime.date | None = None,
    commitments: QuerySet[Commitment] | None = None,
) -> PlanSummary:
    """Every active commitment of the plan as a full row, its figures from ``plan_figures``.
    A caller that reads the commitments' activities prefetches them in ``commitments``."""
    figures = plan_figures(plan, today)
    return PlanSummary(
        plan=plan,
        progress=figures.progress,
        percent=figures.percent,
        rows=commitment_rows(figures.rows, commitments),
    )


@dataclass(frozen=True)
class OverviewRow:
    """A commitment as the secretariat follows it: validated and self-reported side by side."""

    row: CommitmentRow
    reported_percent: int
    pending_updates: int
    focal_points: list[FocalPointAssignment]
    last_reminder_at: datetime.datetime | None
    last_escalation_on: datetime.date | None = None


def secretariat_overview(plan: Plan, today: datetime.date | None = None) -> list[OverviewRow]:
    today = today or timezone.localdate()
    activities = Activity.objects.with_update_data().with_reported_progress()
    commitments = (
        Commitment.objects.filter(plan=plan)
        .active()
        .select_related("plan", "axis", "lead_institution")
        .prefetch_related(
            Prefetch("activities", queryset=activities),
            Prefetch(
                "focal_point_assignments",
                queryset=FocalPointAssignment.objects.current(today).select_related(
                    "user__notification_profile", "institution"
                ),
                to_attr="current_assignments",
            ),
            "reminders",
            "escalations",
        )
    )
    rows = []
    for commitment in commitments:
        acts = list(commitment.activities.all())
        reported = progress_method.weighted_progress(
            (a.weight, a.progress if a.reported_progress is None else a.reported_progress)
            for a in acts
        )
        reminders = [r.sent_at for r in commitment.reminders.all()]
        rows.append(
            OverviewRow(
                row=commitment_row(commitment, today),
                reported_percent=progress_method.rounded_percent(reported),
                pending_updates=sum(a.pending_updates for a in acts),
                focal_points=commitment.current_assignments,  # type: ignore[attr-defined]
                last_reminder_at=max(reminders, default=None),
                last_escalation_on=max(
                    (e.sent_on for e in commitment.escalations.all()), default=None
                ),
            )
        )
    return rows
