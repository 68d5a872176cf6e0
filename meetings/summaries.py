"""Reads shown on the meetings pages and on a plan's dashboard: the meetings a user may see, the
frozen tables as points of the progress chart, OGP's two-meetings-a-year rule, the open
decisions and blocked activities a planned meeting should discuss, the blocker register."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from commitments.dashboard import DashboardPanel, PanelSection
from commitments.models import Activity, Commitment, Institution, Plan, ProgressUpdate
from commitments.roles import User
from ogp_portal.i18n import LANGUAGE_CHOICES

from .models import (
    CIVIL_SOCIETY_KINDS,
    AgendaItem,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    MinutesVersion,
    SnapshotActivity,
    Timeline,
)

# What the dashboard's panel and OGP's rule read of a meeting: its texts stay in the database.
PANEL_MEETING_FIELDS = (
    "plan_id",
    "starts_at",
    "status",
    "minutes_published_at",
    "committee__name",
    "snapshot__global_progress",
)
OGP_MEETINGS_PER_YEAR = 2


@dataclass(frozen=True)
class PlanMeetings:
    meetings: list[Meeting]
    years: list[YearOfMeetings]
    timelines: list[Timeline]

    def markers(self) -> list[tuple[datetime.date, Decimal, str]]:
        """The global progress frozen at each held meeting, for the progress chart."""
        return [
            (meeting.date, meeting.snapshot.global_progress, meeting.committee.name)
            for meeting in self.meetings
            if meeting.is_held and hasattr(meeting, "snapshot")
        ]


def dashboard_panel(plan: Plan, user: User) -> DashboardPanel:
    """The plan's meetings on its dashboard, their frozen tables as points of the chart."""
    meetings = plan_meetings(plan, user)
    sections = [
        PanelSection("meetings", gettext("Committee meetings")),
        PanelSection("meeting-requirement", gettext("Meetings with civil society")),
        PanelSection("timelines", gettext("Timelines")),
    ]
    return DashboardPanel("meetings/_dashboard_panel.html", meetings, meetings.markers(), sections)


def plan_meetings(plan: Plan, user: User) -> PlanMeetings:
    """The meetings ``user`` may see, and OGP's rule counted on all of them (one query)."""
    meetings = Meeting.objects.filter(plan=plan).select_related("committee", "snapshot")
    every = list(
        meetings.only(*PANEL_MEETING_FIELDS).with_civil_society_attendance().order_by("starts_at")
    )
    timelines = Timeline.objects.visible_to(user).filter(plan=plan).prefetch_related("steps")
    return PlanMeetings(
        meetings=[meeting for meeting in every if meeting.is_visible_to(user)],
        years=civil_society_meetings_by_year(plan, every),
        timelines=list(timelines),
    )


@dataclass(frozen=True)
class YearOfMeetings:
    year: int
    held_with_civil_society: int
    planned_with_civil_society: int
    required: int = OGP_MEETINGS_PER_YEAR

    @property
    def is_met(self) -> bool:
        return self.held_with_civil_society >= self.required


def civil_society_meetings_by_year(
    plan: Plan, meetings: Sequence[Meeting] | None = None
) -> list[YearOfMeetings]:
    """For each calendar year of the plan: meetings about it where civil society took part
    (held: someone of a civil-society organisation attended; planned: one holds a seat).
    ``meetings``: every meeting of the plan with its committee and
    ``with_civil_society_attendance``, when the caller has them."""
    held: dict[int, int] = defaultdict(int)
    planned: dict[int, int] = defaultdict(int)
    if meetings is None:
        meetings = list(
            Meeting.objects.filter(plan=plan)
            .select_related("committee")
            .with_civil_society_attendance()
        )
    seats = CommitteeMember.objects.filter(institution__kind__in=CIVIL_SOCIETY_KINDS)
    for meeting in meetings:
        year = meeting.date.year
        if meeting.is_held:
            held[year] += meeting.civil_society_attended  # type: ignore[attr-defined]
        elif seats.filter(committee_id=meeting.committee_id).current(meeting.date).exists():
            planned[year] += 1
    years = range(plan.start_date.year, plan.end_date.year + 1)
    return [YearOfMeetings(year, held[year], planned[year]) for year in years]


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


@dataclass(frozen=True)
class CommitmentProposal:
    """A commitment a planned meeting should discuss, and why: not updated past its plan's
    threshold, or carrying blocked activities; escalated, if it was."""

    commitment: Commitment
    is_stale: bool
    days_since_update: int | None
    blocked_activities: list[Activity]
    escalated_on: datetime.date | None

    def reasons(self) -> list[str]:
        """Why, a sentence each, in the active language."""
        lines = []
        days = self.days_since_update
        if self.is_stale and days is None:
            lines.append(gettext("Never updated."))
        elif self.is_stale and days is not None:
            lines.append(
                ngettext("Not updated for %(days)d day.", "Not updated for %(days)d days.", days)
                % {"days": days}
            )
        for activity in self.blocked_activities:
            lines.append(
                gettext("Blocked activity “%(activity)s”: %(reason)s")
                % {"activity": activity.title, "reason": activity.blocked_reason}
            )
        return lines


def commitment_proposal(commitment: Commitment, today: datetime.date) -> CommitmentProposal | None:
    """Why ``commitment`` should be discussed, or None when it is up to date and unblocked."""
    blocked = [a for a in commitment.activities.all() if a.status == Activity.Status.BLOCKED]
    stale = commitment.is_stale(today)
    if not (stale or blocked):
        return None
    escalation = next(iter(commitment.escalations.all()), None)  # the latest first
    return CommitmentProposal(
        commitment=commitment,
        is_stale=stale,
        days_since_update=commitment.days_since_update(today),
        blocked_activities=blocked,
        escalated_on=escalation.sent_on if escalation else None,
    )


def stale_commitments_proposed(
    meeting: Meeting, today: datetime.date | None = None
) -> list[CommitmentProposal]:
    """Active commitments of the meeting's plan that are stale or have a blocked activity, and
    are not on its agenda yet."""
    if meeting.is_held:
        return []
    today = today or timezone.localdate()
    commitments = (
        Commitment.objects.filter(plan_id=meeting.plan_id)
        .active()
        .exclude(agenda_items__meeting=meeting)
        .with_progress_data()
        .prefetch_related("escalations")
    )
    proposals = (commitment_proposal(commitment, today) for commitment in commitments)
    return [proposal for proposal in proposals if proposal is not None]


def committee_rows(
    on: datetime.date | None = None,
) -> list[tuple[Committee, dict[str, int], list[CommitteeMember]]]:
    """Each committee with its parity and its members in office on ``on`` (today)."""
    on = on or timezone.localdate()
    members: dict[int, list[CommitteeMember]] = defaultdict(list)
    for member in CommitteeMember.objects.current(on).select_related("institution"):
        members[member.committee_id].append(member)
    return [
        (committee, committee.parity(on), members.get(committee.pk, []))
        for committee in Committee.objects.all()
    ]


def minutes_downloads(meeting: Meeting, user: User) -> list[tuple[str, str, MinutesVersion | None]]:
    """Per language (code, name, the newest ready minutes ``user`` may download, or None)."""
    versions = MinutesVersion.objects.visible_to(user).filter(meeting=meeting)
    return [(code, label, versions.latest_ready(code)) for code, label in LANGUAGE_CHOICES]


def meeting_reference(meeting: Meeting) -> str:
    """What the updates decided in a meeting carry as their ``source_reference``."""
    return ProgressUpdate.meeting_reference(meeting.pk)


def meeting_pk_from_reference(reference: str) -> int | None:
    return ProgressUpdate.meeting_pk_from_reference(reference)


def meeting_from_reference(reference: str) -> Meeting | None:
    number = meeting_pk_from_reference(reference)
    if number is None:
        return None
    return Meeting.objects.filter(pk=number).select_related("committee").first()


def meeting_updates(meeting: Meeting) -> QuerySet[ProgressUpdate]:
    """The changes of progress decided in the meeting."""
    return ProgressUpdate.objects.filter(
        source=ProgressUpdate.Source.MEETING, source_reference_fr=meeting_reference(meeting)
    ).select_related("activity__commitment", "author")


# The blocker register ---------------------------------------------------------------------------

BLOCKED = Activity.Status.BLOCKED
VALIDATED, SUBMITTED = ProgressUpdate.State.VALIDATED, ProgressUpdate.State.SUBMITTED
# The updates that block an activity, keep it blocked or lift its blockage.
BLOCKING = Q(new_status=BLOCKED) | Q(old_status=BLOCKED)


class BlockerState(TextChoices):
    BLOCKED = "blocked", _("Currently blocked")
    RESOLVED = "resolved", _("Resolved")
    PENDING = "pending", _("Awaiting validation")


@dataclass(frozen=True)
class BlockerFilters:
    plan: Plan | None = None
    institution: Institution | None = None
    state: str = ""

    @property
    def active(self) -> bool:
        return bool(self.plan or self.institution or self.state)


@dataclass
class Recorded:
    """The update that blocked or lifted a blockage, and the meeting that decided it, if any."""

    update: ProgressUpdate
    meeting: Meeting | None = None

    @property
    def reference(self) -> str:
        """Where the update comes from when it names no meeting of the portal (the minutes the
        demo's figures were transcribed from)."""
        reference = self.update.source_reference
        return "" if meeting_pk_from_reference(reference) else reference


@dataclass
class BlockerMeeting:
    """A meeting that dealt with a blockage, and how: on its agenda (with the notes of the
    discussion), in its frozen progress table (with the remark), recording the blockage or
    its lifting; with its decisions on the activity's commitment."""

    meeting: Meeting
    agenda_item: AgendaItem | None = None
    in_table: bool = False
    table_remark: str = ""
    blocked_here: bool = False
    lifted_here: bool = False
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class Blockage:
    """A time an activity was blocked, from the update that blocked it (``since`` is None when
    no update recorded it) to the one that lifted it; or, ``proposed``, a blockage awaiting
    validation. ``pending`` is the update awaiting validation that would block or unblock."""

    activity: Activity
    reason: str
    since: datetime.datetime | None
    blocked_by: Recorded | None = None
    lifted_by: Recorded | None = None
    pending: ProgressUpdate | None = None
    in_force: bool = True
    proposed: bool = False
    by_meeting: dict[int, BlockerMeeting] = field(default_factory=dict)

    @property
    def states(self) -> set[str]:
        states = set()
        if self.in_force:
            states.add(BlockerState.BLOCKED.value)
        elif not self.proposed:
            states.add(BlockerState.RESOLVED.value)
        if self.pending is not None:
            states.add(BlockerState.PENDING.value)
        return states

    @property
    def state_codes(self) -> list[str]:
        return sorted(self.states)

    @property
    def meetings(self) -> list[BlockerMeeting]:
        return sorted(self.by_meeting.values(), key=lambda found: found.meeting.starts_at)

    def meeting_entry(self, meeting: Meeting) -> BlockerMeeting:
        return self.by_meeting.setdefault(meeting.pk, BlockerMeeting(meeting))

    def began_by(self, day: datetime.date) -> bool:
        return not self.proposed and (self.since is None or timezone.localdate(self.since) <= day)

    def covers(self, day: datetime.date) -> bool:
        """Whether the activity was blocked on ``day``, as far as the updates say."""
        if self.lifted_by is None:
            return self.began_by(day)
        return self.began_by(day) and day <= timezone.localdate(self.lifted_by.update.created_at)


def blocker_register(user: User, filters: BlockerFilters) -> list[Blockage]:
    """Every blockage of the activities of active commitments, with the meetings that dealt
    with it; updates awaiting validation only where ``user`` may see them. A constant number
    of queries, whatever the number of rows."""
    activities = _activities_ever_blocked(filters)
    if not activities:
        return []
    updates = _blocking_updates(user, activities)
    blockages = [b for a in activities for b in _blockages_of(a, updates[a.pk])]
    _add_meetings(blockages)
    if filters.state:
        blockages = [b for b in blockages if filters.state in b.states]
    return blockages


def _activities_ever_blocked(filters: BlockerFilters) -> list[Activity]:
    ever = ProgressUpdate.objects.filter(BLOCKING, state__in=[VALIDATED, SUBMITTED])
    activities = Activity.objects.filter(
        Q(status=BLOCKED) | Q(pk__in=ever.values("activity")),
        commitment__status=Commitment.Status.ACTIVE,
    )
    if filters.plan is not None:
        activities = activities.filter(commitment__plan=filters.plan)
    if filters.institution is not None:
        activities = activities.filter(commitment__lead_institution=filters.institution)
    activities = activities.select_related("commitment__plan", "commitment__lead_institution")
    order = ("-commitment__plan__start_date", "commitment__plan", "commitment__number")
    return list(activities.order_by(*order, "position", "pk"))


def _blocking_updates(user: User, activities: list[Activity]) -> dict[int, list[ProgressUpdate]]:
    updates = ProgressUpdate.objects.visible_to(user).filter(
        BLOCKING, state__in=[VALIDATED, SUBMITTED], activity__in=[a.pk for a in activities]
    )
    by_activity: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in updates.select_related("author").order_by("created_at", "pk"):
        by_activity[update.activity_id].append(update)
    return by_activity


def _blockages_of(activity: Activity, updates: list[ProgressUpdate]) -> list[Blockage]:
    """Replay the validated updates that block or lift the activity; then the one awaiting
    validation, if it would block or unblock it."""
    blockages: list[Blockage] = []
    current: Blockage | None = None
    for update in (u for u in updates if u.state == VALIDATED):
        if update.new_status == BLOCKED and current is not None:
            current.reason = update.blocked_reason
        elif update.new_status == BLOCKED:
            since = None if update.old_status == BLOCKED else update.created_at
            current = Blockage(activity, update.blocked_reason, since, Recorded(update))
            blockages.append(current)
        else:  # lifted; from a blockage no update recorded if there is no current one
            if current is None:
                current = Blockage(activity, "", None)
                blockages.append(current)
            current.lifted_by, current.in_force = Recorded(update), False
            current = None
    if current is not None and activity.status != BLOCKED:  # lifted on another road
        current.in_force, current = False, None
    if current is None and activity.status == BLOCKED:  # blocked on another road
        current = Blockage(activity, activity.blocked_reason, None)
        blockages.append(current)
    pending = next((u for u in updates if u.state == SUBMITTED), None)
    if pending is not None and current is not None and pending.new_status != BLOCKED:
        current.pending = pending
    elif pending is not None and current is None and pending.new_status == BLOCKED:
        since, reason = pending.created_at, pending.blocked_reason
        proposed = Blockage(activity, reason, since, pending=pending, in_force=False, proposed=True)
        blockages.append(proposed)
    return blockages


def _add_meetings(blockages: list[Blockage]) -> None:
    """The meetings that dealt with each blockage, and their decisions on its commitment."""
    by_activity: dict[int, list[Blockage]] = defaultdict(list)
    for blockage in blockages:
        by_activity[blockage.activity.pk].append(blockage)
    items = AgendaItem.objects.filter(
        kind=AgendaItem.Kind.BLOCKED_ACTIVITY, activity_id__in=list(by_activity)
    ).select_related("meeting__committee")
    for item in items:
        assert item.activity_id is not None
        blockage = _raised_by(by_activity[item.activity_id], item.meeting.date)
        blockage.meeting_entry(item.meeting).agenda_item = item
    entries = SnapshotActivity.objects.filter(activity_id__in=list(by_activity))
    for entry in entries.select_related("row__snapshot__meeting__committee"):
        meeting = entry.row.snapshot.meeting
        for blockage in by_activity[entry.activity_id]:
            if blockage.covers(meeting.date):
                found = blockage.meeting_entry(meeting)
                found.in_table, found.table_remark = True, entry.row.remark
    _add_recording_meetings(blockages)
    _add_decisions(blockages)


def _raised_by(blockages: list[Blockage], day: datetime.date) -> Blockage:
    """The blockage an agenda item raised: the latest begun by the day of its meeting."""
    begun = [blockage for blockage in blockages if blockage.began_by(day)]
    return begun[-1] if begun else blockages[0]


def _add_recording_meetings(blockages: list[Blockage]) -> None:
    """The meetings whose decided change of progress blocked or lifted a blockage."""
    recorded = [
        (blockage, recorded, lifted)
        for blockage in blockages
        for recorded, lifted in ((blockage.blocked_by, False), (blockage.lifted_by, True))
        if recorded is not None and recorded.update.source == ProgressUpdate.Source.MEETING
    ]
    pks = {meeting_pk_from_reference(r.update.source_reference) for _b, r, _l in recorded}
    pks.discard(None)
    meetings = Meeting.objects.select_related("committee").in_bulk(pks) if pks else {}
    for blockage, recorded_by, lifted in recorded:
        meeting = meetings.get(meeting_pk_from_reference(recorded_by.update.source_reference))
        if meeting is None:
            continue
        recorded_by.meeting = meeting
        found = blockage.meeting_entry(meeting)
        if lifted:
            found.lifted_here = True
        else:
            found.blocked_here = True


def _add_decisions(blockages: list[Blockage]) -> None:
    """Each meeting's decisions on the commitment of the blocked activity (a decision names
    the commitments it concerns, not their activities)."""
    found = [(b.activity.commitment_id, f) for b in blockages for f in b.by_meeting.values()]
    if not found:
        return
    links = Decision.commitments.through.objects.filter(
        decision__meeting_id__in={f.meeting.pk for _c, f in found},
        commitment_id__in={commitment for commitment, _f in found},
    ).select_related("decision__owner")
    decisions: dict[tuple[int, int], list[Decision]] = defaultdict(list)
    for link in links.order_by("decision__position", "decision__pk"):
        decisions[(link.decision.meeting_id, link.commitment_id)].append(link.decision)
    for commitment, entry in found:
        entry.decisions = decisions[(entry.meeting.pk, commitment)]
