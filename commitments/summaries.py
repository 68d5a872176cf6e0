"""Read models of a plan for pages: figures computed once from prefetched rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
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
class PlanSummary:
    plan: Plan
    progress: Decimal
    percent: int
    rows: list[CommitmentRow]

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


def commitment_row(commitment: Commitment, today: datetime.date | None = None) -> CommitmentRow:
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


def plan_summary(plan: Plan, today: datetime.date | None = None) -> PlanSummary:
    today = today or timezone.localdate()
    commitments = list(Commitment.objects.filter(plan=plan).active().with_progress_data())
    rows = [commitment_row(commitment, today) for commitment in commitments]
    progress = progress_method.mean_progress(row.progress for row in rows)
    return PlanSummary(
        plan=plan, progress=progress, percent=progress_method.rounded_percent(progress), rows=rows
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
