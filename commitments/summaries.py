"""Read models of a plan for pages: figures computed once from prefetched rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from . import progress as progress_method
from .models import Commitment, Plan


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


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    progress: Decimal
    percent: int
    rows: list[CommitmentRow]

    @property
    def stale_count(self) -> int:
        return sum(row.is_stale for row in self.rows)


def commitment_row(commitment: Commitment, today: datetime.date) -> CommitmentRow:
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
