"""Writes and read models of committees and meetings; the pages and the API call these."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments import progress as progress_method
from commitments.models import Activity, Commitment, Institution, Plan, ProgressUpdate
from commitments.services import progress_update_record
from commitments.summaries import plan_summary
from ogp_portal.i18n import set_translated

from .models import (
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    Meeting,
    MinutesVersion,
    ProgressSnapshot,
    SnapshotActivity,
    SnapshotRow,
    Timeline,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CIVIL_SOCIETY_KINDS = {Institution.Kind.CIVIL_SOCIETY}
OGP_MEETINGS_PER_YEAR = 2


# Creating a meeting -----------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    committee: Committee,
    plan: Plan,
    starts_at: datetime.datetime,
    mode: str,
    place: str = "",
    agenda: list[str] | None = None,
    user: User | None = None,
) -> Meeting:
    """A planned meeting, its attendance pre-filled from the committee's members on that day and
    its agenda opened with the decisions of earlier meetings that are still open."""
    meeting = Meeting(
        committee=committee, plan=plan, starts_at=starts_at, mode=mode, created_by=user
    )
    set_translated(meeting, "place", place)
    meeting.full_clean()
    meeting.save()
    for title in agenda or []:
        agenda_item_add(meeting=meeting, title=title)
    attendance_prefill(meeting)
    agenda_follow_ups_sync(meeting)
    return meeting


def _next_position(queryset) -> int:  # type: ignore[no-untyped-def]
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    kind: str = AgendaItem.Kind.GENERAL,
    notes: str = "",
    activity: Activity | None = None,
    decision: Decision | None = None,
    timeline: Timeline | None = None,
) -> AgendaItem:
    item = AgendaItem(
        meeting=meeting,
        position=_next_position(meeting.agenda_items.all()),
        kind=kind,
        activity=activity,
        decision=decision,
        timeline=timeline,
    )
    set_translated(item, "title", title)
    set_translated(item, "notes", notes)
    item.full_clean()
    item.save()
    return item


def attendance_prefill(meeting: Meeting) -> int:
    """Add a row for every seat held on the meeting's day that has none yet; returns how many."""
    present = set(meeting.attendances.exclude(member=None).values_list("member_id", flat=True))
    position = _next_position(meeting.attendances.all())
    added = 0
    seats = meeting.committee.members.current(meeting.date).select_related("institution")
    for member in seats:
        if member.pk in present:
            continue
        Attendance.objects.create(
            meeting=meeting,
            member=member,
            position=position + added,
            civility=member.civility,
            name=member.name,
            institution=member.institution,
            capacity=member.capacity,
        )
        added += 1
    return added


def attendance_guest_add(
    *,
    meeting: Meeting,
    name: str,
    status: str,
    civility: str = "",
    institution: Institution | None = None,
    capacity: str = "",
) -> Attendance:
    """Someone who attended without a seat, after the members on the list."""
    return Attendance.objects.create(
        meeting=meeting,
        position=_next_position(meeting.attendances.all()),
        civility=civility,
        name=name,
        institution=institution,
        capacity=capacity,
        status=status,
    )


def open_decisions_before(meeting: Meeting) -> list[Decision]:
    """Decisions of the committee's earlier meetings that are not closed yet."""
    return list(
        Decision.objects.open()
        .filter(
            meeting__committee_id=meeting.committee_id, meeting__starts_at__lt=meeting.starts_at
        )
        .exclude(meeting=meeting)
        .select_related("meeting", "owner")
        .order_by("meeting__starts_at", "position")
    )


def agenda_follow_ups_sync(meeting: Meeting) -> int:
    """Put on a planned meeting's agenda every open decision of earlier meetings not there yet."""
    if meeting.is_held:
        return 0
    listed = set(meeting.agenda_items.exclude(decision=None).values_list("decision_id", flat=True))
    added = 0
    for decision in open_decisions_before(meeting):
        if decision.pk in listed:
            continue
        agenda_item_add(
            meeting=meeting,
            kind=AgendaItem.Kind.FOLLOW_UP,
            title=_("Follow-up: %(decision)s") % {"decision": decision.text[:400]},
            decision=decision,
        )
        added += 1
    return added


def blocked_activities_proposed(meeting: Meeting) -> list[Activity]:
    """Blocked activities of the meeting's plan that are not on its agenda yet."""
    if meeting.is_held:
        return []
    return list(
        Activity.objects.filter(
            commitment__plan_id=meeting.plan_id,
            commitment__status=Commitment.Status.ACTIVE,
            status=Activity.Status.BLOCKED,
        )
        .exclude(agenda_items__meeting=meeting)
        .select_related("commitment")
        .order_by("commitment__number", "position")
    )


def agenda_item_add_blocked_activity(*, meeting: Meeting, activity: Activity) -> AgendaItem:
    if activity.status != Activity.Status.BLOCKED or activity.commitment.plan_id != meeting.plan_id:
        raise ValidationError(_("Only a blocked activity of the meeting's plan can be proposed."))
    title = _("Blocked activity: %(activity)s (commitment %(number)s)") % {
        "activity": activity.title,
        "number": activity.commitment.number,
    }
    return agenda_item_add(
        meeting=meeting,
        kind=AgendaItem.Kind.BLOCKED_ACTIVITY,
        title=title[:500],
        notes=activity.blocked_reason,
        activity=activity,
    )


# The progress table -----------------------------------------------------------------------------


@dataclass
class TableActivity:
    activity: Activity
    progress: int


@dataclass
class TableRow:
    """A commitment in a progress table, live (preview) or frozen (snapshot)."""

    commitment: Commitment
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
    if snapshot is None:
        return {}
    return dict(snapshot.rows.values_list("commitment_id", "progress"))


def live_progress_table(meeting: Meeting) -> ProgressTable:
    """The plan's table as it stands now, compared with the previous meeting's frozen table."""
    summary = plan_summary(meeting.plan)
    previous = previous_snapshot(meeting)
    before = _previous_rates(previous)
    rows = []
    for summary_row in summary.rows:
        commitment = summary_row.commitment
        previous_progress = before.get(commitment.pk)
        rows.append(
            TableRow(
                commitment=commitment,
                progress=summary_row.progress,
                previous_progress=previous_progress,
                remark=commitment.remarks,
                unfinished=[
                    TableActivity(activity, activity.progress)
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
                progress=row.progress,
                previous_progress=row.previous_progress,
                remark=row.remark,
                unfinished=[TableActivity(a.activity, a.progress) for a in row.activities.all()],
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


def snapshot_take(
    meeting: Meeting, *, taken_at: datetime.datetime | None = None
) -> ProgressSnapshot:
    table = live_progress_table(meeting)
    snapshot = ProgressSnapshot.objects.create(
        meeting=meeting,
        taken_at=taken_at or timezone.now(),
        global_progress=table.global_progress,
        previous=table.previous,
    )
    for table_row in table.rows:
        row = SnapshotRow.objects.create(
            snapshot=snapshot,
            commitment=table_row.commitment,
            progress=table_row.progress,
            previous_progress=table_row.previous_progress,
            no_progress=table_row.no_progress,
            **_translations("remark", table_row.commitment, "remarks"),
        )
        SnapshotActivity.objects.bulk_create(
            SnapshotActivity(row=row, activity=item.activity, progress=item.progress)
            for item in table_row.unfinished
        )
    return snapshot


def _translations(target: str, source: object, source_field: str) -> dict[str, str]:
    return {
        f"{target}_{code}": getattr(source, f"{source_field}_{code}") or ""
        for code in ("fr", "ar", "en")
    }


# Holding a meeting ------------------------------------------------------------------------------


@transaction.atomic
def meeting_hold(*, meeting: Meeting, user: User | None) -> Meeting:
    """Mark the meeting held: its agenda keeps the follow-ups, its progress table is frozen."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one hold at a time
    meeting.refresh_from_db()
    if meeting.is_held:
        raise ValidationError(_("This meeting is already marked as held."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("A meeting cannot be marked held before it starts."))
    agenda_follow_ups_sync(meeting)
    meeting.status, meeting.held_at = Meeting.Status.HELD, timezone.now()
    meeting.save(update_fields=["status", "held_at"])
    snapshot_take(meeting)
    return meeting


def snapshot_remark_set(*, row: SnapshotRow, remark: str, language: str) -> None:
    """The secretariat's remark on a frozen row stays editable; the figures do not."""
    setattr(row, f"remark_{language}", remark.strip())
    row.save(update_fields=[f"remark_{language}"])


def meeting_progress_change(
    *,
    meeting: Meeting,
    activity: Activity,
    new_progress: int,
    user: User | None,
    narrative: str = "",
    created_at: datetime.datetime | None = None,
) -> ProgressUpdate:
    """A change of progress decided in a meeting: an accepted update whose source is the meeting."""
    if activity.commitment.plan_id != meeting.plan_id:
        raise ValidationError(_("The activity is not part of the meeting's plan."))
    return progress_update_record(
        activity=activity,
        author=user,
        new_progress=new_progress,
        source=ProgressUpdate.Source.MEETING,
        source_reference=meeting_reference(meeting),
        narrative=narrative,
        created_at=created_at,
    )


def meeting_reference(meeting: Meeting) -> str:
    return f"meeting:{meeting.pk}"


def meeting_from_reference(reference: str) -> Meeting | None:
    kind, _sep, pk = reference.partition(":")
    if kind != "meeting" or not pk.isdigit():
        return None
    return Meeting.objects.filter(pk=int(pk)).select_related("committee").first()


# Decisions ------------------------------------------------------------------------------------


def decision_add(
    *,
    meeting: Meeting,
    text: str,
    owner: Institution | None = None,
    owner_detail: str = "",
    due_date: datetime.date | None = None,
    commitments: list[Commitment] | None = None,
) -> Decision:
    decision = Decision(
        meeting=meeting,
        position=_next_position(meeting.decisions.all()),
        owner=owner,
        owner_detail=owner_detail,
        due_date=due_date,
    )
    set_translated(decision, "text", text)
    decision.full_clean()
    decision.save()
    if commitments:
        decision.commitments.set(commitments)
    return decision


def decision_status_set(*, decision: Decision, status: str, note: str = "") -> Decision:
    decision.status = status
    if note:
        set_translated(decision, "status_note", note)
    decision.closed_at = None if decision.is_open else (decision.closed_at or timezone.now())
    decision.full_clean()
    decision.save()
    return decision


# OGP's rule: at least two meetings a year with civil society --------------------------------------


@dataclass(frozen=True)
class YearOfMeetings:
    year: int
    held_with_civil_society: int
    planned_with_civil_society: int
    required: int = OGP_MEETINGS_PER_YEAR

    @property
    def is_met(self) -> bool:
        return self.held_with_civil_society >= self.required


def civil_society_meetings_by_year(plan: Plan) -> list[YearOfMeetings]:
    """For each calendar year of the plan: meetings about it where civil society took part
    (held: someone of a civil-society organisation attended; planned: one holds a seat)."""
    civil = Q(institution__kind__in=CIVIL_SOCIETY_KINDS)
    held: dict[int, int] = defaultdict(int)
    planned: dict[int, int] = defaultdict(int)
    meetings = Meeting.objects.filter(plan=plan).select_related("committee")
    attended = set(
        Attendance.objects.filter(civil, meeting__plan=plan, status__in=Attendance.ATTENDED)
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    for meeting in meetings:
        year = meeting.date.year
        if meeting.is_held:
            held[year] += meeting.pk in attended
        elif meeting.committee.members.current(meeting.date).filter(civil).exists():
            planned[year] += 1
    years = range(plan.start_date.year, plan.end_date.year + 1)
    return [YearOfMeetings(year, held[year], planned[year]) for year in years]


# Minutes (relevé des conclusions) ---------------------------------------------------------------
# The import stays here, next to its use, while the top of the module is edited elsewhere.


def minutes_generation_request(
    *, meeting: Meeting, language: str, user: User | None
) -> MinutesVersion:
    """A new version of the minutes, waiting; the worker is asked once the transaction commits."""
    from .minutes import MINUTES_GENERATION
    from .tasks import generate_minutes_version

    return MINUTES_GENERATION.request(meeting, language, user, generate_minutes_version.delay)


@transaction.atomic
def minutes_version_retry(*, version: MinutesVersion) -> None:
    from .minutes import MINUTES_GENERATION
    from .tasks import generate_minutes_version

    MINUTES_GENERATION.retry(version, generate_minutes_version.delay)


def minutes_version_generate(*, version_id: int) -> MinutesVersion | None:
    """Build the minutes and write the PDF; None when there was nothing to do (unknown id, or
    already claimed by another delivery)."""
    from .minutes import MINUTES_GENERATION

    return MINUTES_GENERATION.generate(version_id)


def minutes_versions_recover() -> list[int]:
    """Send again the generations whose worker died or whose message was lost."""
    from .minutes import MINUTES_GENERATION
    from .tasks import generate_minutes_version

    return MINUTES_GENERATION.recover(generate_minutes_version.delay)


def minutes_publish(*, meeting: Meeting, user: User | None) -> Meeting:
    """Show the minutes on the public site; a second call keeps the first date."""
    if not meeting.is_held:
        raise ValidationError(_("Only the minutes of a meeting marked held can be published."))
    if meeting.minutes_published_at is None:
        meeting.minutes_published_at = timezone.now()
        meeting._history_user = user  # type: ignore[attr-defined]  # simple_history
        meeting.save(update_fields=["minutes_published_at"])
    return meeting


def minutes_unpublish(*, meeting: Meeting, user: User | None) -> Meeting:
    if not meeting.is_held:
        raise ValidationError(_("Only the minutes of a meeting marked held can be withdrawn."))
    meeting.minutes_published_at = None
    meeting._history_user = user  # type: ignore[attr-defined]  # simple_history
    meeting.save(update_fields=["minutes_published_at"])
    return meeting
