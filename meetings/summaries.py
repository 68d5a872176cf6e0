"""Reads shown on the meetings pages and on a plan's dashboard: the meetings a user may see, the
frozen tables as points of the progress chart, OGP's two-meetings-a-year rule, the open
decisions and blocked activities a planned meeting should discuss."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from commitments.dashboard import DashboardPanel
from commitments.models import Activity, Commitment, Institution, Plan, ProgressUpdate
from commitments.roles import User
from ogp_portal.i18n import LANGUAGE_CHOICES
from ogp_portal.viewutils import positive_int

from .models import (
    Attendance,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    MinutesVersion,
    Timeline,
)

CIVIL_SOCIETY_KINDS = {Institution.Kind.CIVIL_SOCIETY}
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
    return DashboardPanel("meetings/_dashboard_panel.html", meetings, meetings.markers())


def plan_meetings(plan: Plan, user: User) -> PlanMeetings:
    meetings = Meeting.objects.visible_to(user).filter(plan=plan)
    meetings = meetings.select_related("committee", "snapshot")
    timelines = Timeline.objects.visible_to(user).filter(plan=plan).prefetch_related("steps")
    return PlanMeetings(
        meetings=list(meetings.order_by("starts_at")),
        years=civil_society_meetings_by_year(plan),
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
    return f"meeting:{meeting.pk}"


def meeting_from_reference(reference: str) -> Meeting | None:
    kind, _sep, pk = reference.partition(":")
    number = positive_int(pk)
    if kind != "meeting" or number is None:
        return None
    return Meeting.objects.filter(pk=number).select_related("committee").first()


def meeting_updates(meeting: Meeting) -> QuerySet[ProgressUpdate]:
    """The changes of progress decided in the meeting."""
    return ProgressUpdate.objects.filter(
        source=ProgressUpdate.Source.MEETING, source_reference=meeting_reference(meeting)
    ).select_related("activity__commitment", "author")
