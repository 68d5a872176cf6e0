"""A meeting's progress table: live (a preview, before the meeting is held) or frozen (the
snapshot taken when it was held), each row compared with the previous meeting's frozen table."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from commitments import progress as progress_method
from commitments.models import Activity, Commitment
from commitments.summaries import plan_summary

from .models import Meeting, ProgressSnapshot, SnapshotRow


@dataclass
class TableActivity:
    activity: Activity
    progress: int
    title: str


@dataclass
class TableRow:
    """A commitment in a progress table, live (preview) or frozen (snapshot): its number and
    title are the commitment's while live, and those frozen with the table once held."""

    commitment: Commitment
    number: int
    title: str
    progress: Decimal
    previous_progress: Decimal | None
    remark: str
    unfinished: list[TableActivity] = field(default_factory=list)
    no_progress: bool = False
    row: SnapshotRow | None = None

    @property
    def percent(self) -> int:
        return progress_method.rounded_percent(self.progress)

    @property
    def previous_percent(self) -> int | None:
        if self.previous_progress is None:
            return None
        return progress_method.rounded_percent(self.previous_progress)

    @property
    def is_complete(self) -> bool:
        return self.progress >= 100


@dataclass
class ProgressTable:
    global_progress: Decimal
    rows: list[TableRow]
    previous: ProgressSnapshot | None
    frozen: bool
    note: str = ""

    @property
    def global_percent(self) -> int:
        return progress_method.rounded_percent(self.global_progress)

    @property
    def computed_percent(self) -> int:
        """The mean of the table's rates, the portal's method for a plan (a frozen table's own
        global figure may be the one its minutes state instead)."""
        return progress_method.rounded_percent(
            progress_method.mean_progress(row.progress for row in self.rows)
        )

    @property
    def completed(self) -> list[TableRow]:
        return [row for row in self.rows if row.is_complete]

    @property
    def flagged(self) -> list[TableRow]:
        return [row for row in self.rows if row.no_progress]

    @property
    def has_activities(self) -> bool:
        return any(row.unfinished for row in self.rows)


def previous_snapshot(meeting: Meeting) -> ProgressSnapshot | None:
    previous = (
        Meeting.objects.held()
        .filter(plan_id=meeting.plan_id, starts_at__lt=meeting.starts_at, snapshot__isnull=False)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .select_related("snapshot")
        .first()
    )
    return previous.snapshot if previous else None


def _previous_rates(snapshot: ProgressSnapshot | None) -> dict[int, Decimal]:
    """The previous table's rates by commitment (its id: the figures, not the texts)."""
    if snapshot is None:
        return {}
    return dict(snapshot.rows.values_list("commitment_id", "progress"))


def live_progress_table(meeting: Meeting) -> ProgressTable:
    """The plan's table as it stands now, compared with the previous meeting's frozen table."""
    summary = plan_summary(
        meeting.plan, commitments=Commitment.objects.prefetch_related("activities")
    )
    previous = previous_snapshot(meeting)
    before = _previous_rates(previous)
    rows = []
    for summary_row in summary.rows:
        commitment = summary_row.commitment
        previous_progress = before.get(commitment.pk)
        rows.append(
            TableRow(
                commitment=commitment,
                number=commitment.number,
                title=commitment.title,
                progress=summary_row.progress,
                previous_progress=previous_progress,
                remark=commitment.remarks,
                unfinished=[
                    TableActivity(activity, activity.progress, activity.title)
                    for activity in commitment.activities.all()
                    if activity.progress < 100
                ],
                no_progress=(
                    previous_progress is not None
                    and summary_row.progress < 100
                    and summary_row.progress <= previous_progress
                ),
            )
        )
    return ProgressTable(summary.progress, rows, previous, frozen=False)


def frozen_progress_table(snapshot: ProgressSnapshot) -> ProgressTable:
    rows = []
    snapshot_rows = snapshot.rows.select_related("commitment").prefetch_related(
        "activities__activity"
    )
    for row in snapshot_rows:
        rows.append(
            TableRow(
                commitment=row.commitment,
                number=row.number,
                title=row.title,
                progress=row.progress,
                previous_progress=row.previous_progress,
                remark=row.remark,
                unfinished=[
                    TableActivity(a.activity, a.progress, a.title) for a in row.activities.all()
                ],
                no_progress=row.no_progress,
                row=row,
            )
        )
    return ProgressTable(
        snapshot.global_progress, rows, snapshot.previous, frozen=True, note=snapshot.note
    )


def progress_table(meeting: Meeting) -> ProgressTable:
    """Frozen once the meeting is held; live (a preview) before."""
    snapshot = ProgressSnapshot.objects.filter(meeting=meeting).first()
    if snapshot is not None:
        return frozen_progress_table(snapshot)
    return live_progress_table(meeting)
