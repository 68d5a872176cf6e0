"""What a plan's public page shows of its committees: the meetings, the frozen tables as points
of the progress chart, and OGP's two-meetings-a-year rule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from commitments.models import Plan
from commitments.permissions import User

from .models import Meeting, Timeline
from .services import YearOfMeetings, civil_society_meetings_by_year


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


def plan_meetings(plan: Plan, user: User) -> PlanMeetings:
    meetings = Meeting.objects.filter(plan=plan).select_related("committee", "snapshot")
    if not user.has_perm("meetings.see_all_meetings"):
        meetings = meetings.with_published_minutes()
    timelines = Timeline.objects.filter(plan=plan, is_public=True).prefetch_related("steps")
    return PlanMeetings(
        meetings=list(meetings.order_by("starts_at")),
        years=civil_society_meetings_by_year(plan),
        timelines=list(timelines),
    )
