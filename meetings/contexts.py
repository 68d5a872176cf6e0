"""The minutes of a meeting (relevé des conclusions): what they show, as dataclasses built in the
requested language. Everything the PDF shows comes from ``build_minutes_context``, so its
fingerprint (``documents.engine.fingerprint``) changes exactly when the PDF would.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import AgendaItem, Attendance, Decision, Meeting
from .tables import ProgressTable, progress_table
from .templatetags.meetings import step_period


@dataclasses.dataclass(frozen=True)
class Person:
    """A line of the participants or of the absentees."""

    civility: str
    name: str
    organisation: str
    status: str
    represented_by: str

    @property
    def remote(self) -> bool:
        return self.status == Attendance.Status.REMOTE

    @property
    def excused(self) -> bool:
        return self.status == Attendance.Status.EXCUSED


@dataclasses.dataclass(frozen=True)
class UnfinishedActivity:
    title: str
    percent: int


@dataclasses.dataclass(frozen=True)
class ProgressLine:
    number: int
    title: str
    percent: int
    previous_percent: int | None
    complete: bool
    no_progress: bool
    unfinished: list[UnfinishedActivity]
    remark: str


@dataclasses.dataclass(frozen=True)
class ProgressBlock:
    """The progress table under the agenda item about progress, frozen at the meeting."""

    global_percent: int
    completed: list[int]
    rows: list[ProgressLine]
    has_activities: bool
    frozen: bool
    note: str


@dataclasses.dataclass(frozen=True)
class Step:
    period: str
    title: str


@dataclasses.dataclass(frozen=True)
class FollowedDecision:
    text: str
    meeting_date: datetime.date
    status: str
    status_note: str


@dataclasses.dataclass(frozen=True)
class Point:
    """An agenda item and what was said about it."""

    title: str
    notes: str
    progress: ProgressBlock | None
    timeline: list[Step]
    followed: FollowedDecision | None


@dataclasses.dataclass(frozen=True)
class DecisionLine:
    text: str
    owner: str
    due_date: datetime.date | None
    status: str
    status_note: str
    commitments: list[int]


@dataclasses.dataclass(frozen=True)
class MinutesContext:
    language: str
    committee: str
    plan_title: str
    held: bool
    when: str
    mode: str
    place: str
    participants: list[Person]
    absentees: list[Person]
    opening: str
    points: list[Point]
    decisions: list[DecisionLine]


def build_minutes_context(meeting: Meeting, language: str) -> MinutesContext:
    """Call inside ``translation.override(language)``: content and dates come in that language."""
    people = [_person(a) for a in meeting.attendances.select_related("institution")]
    items = list(
        meeting.agenda_items.select_related("decision__meeting").prefetch_related("timeline__steps")
    )
    has_table = any(item.kind == AgendaItem.Kind.PROGRESS for item in items)
    table = _progress(progress_table(meeting)) if has_table else None
    decisions = meeting.decisions.select_related("owner").prefetch_related("commitments")
    return MinutesContext(
        language=language,
        committee=meeting.committee.name,
        plan_title=meeting.plan.title,
        held=meeting.is_held,
        when=meeting_when(meeting.starts_at),
        mode=meeting.mode,
        place=meeting.place,
        participants=[p for p in people if p.status in Attendance.ATTENDED],
        absentees=[p for p in people if p.status not in Attendance.ATTENDED],
        opening=meeting.opening,
        points=[_point(item, table) for item in items],
        decisions=[_decision(d) for d in decisions],
    )


def meeting_when(starts_at: datetime.datetime) -> str:
    """The day written out in the active language, as the minutes give it ("Vendredi 28 mars
    2023 à 13h00")."""
    moment = timezone.localtime(starts_at)
    # Translators: when a meeting starts, e.g. "Vendredi 28 mars 2023 à 13h00".
    return _("%(day)s at %(time)s") % {
        "day": capfirst(date_format(moment, "l j F Y")),
        "time": date_format(moment, "TIME_FORMAT"),
    }


def _person(attendance: Attendance) -> Person:
    organisation = attendance.institution.name if attendance.institution else ""
    return Person(
        civility=attendance.civility,
        name=attendance.name,
        organisation=", ".join(filter(None, [organisation, attendance.capacity])),
        status=attendance.status,
        represented_by=attendance.represented_by,
    )


def _point(item: AgendaItem, table: ProgressBlock | None) -> Point:
    steps = item.timeline.steps.all() if item.timeline else []
    return Point(
        title=item.title,
        notes=item.notes,
        progress=table if item.kind == AgendaItem.Kind.PROGRESS else None,
        timeline=[Step(step_period(step), step.title) for step in steps],
        followed=_followed(item.decision) if item.decision else None,
    )


def _followed(decision: Decision) -> FollowedDecision:
    return FollowedDecision(
        text=decision.text,
        meeting_date=decision.meeting.date,
        status=decision.get_status_display(),
        status_note=decision.status_note,
    )


def _progress(table: ProgressTable) -> ProgressBlock:
    rows = [
        ProgressLine(
            number=row.commitment.number,
            title=row.commitment.title,
            percent=row.percent,
            previous_percent=row.previous_percent,
            complete=row.is_complete,
            no_progress=row.no_progress,
            unfinished=[UnfinishedActivity(a.activity.title, a.progress) for a in row.unfinished],
            remark=row.remark,
        )
        for row in table.rows
    ]
    return ProgressBlock(
        global_percent=table.global_percent,
        completed=[row.commitment.number for row in table.completed],
        rows=rows,
        has_activities=table.has_activities,
        frozen=table.frozen,
        note=table.note,
    )


def _decision(decision: Decision) -> DecisionLine:
    owner = decision.owner.name if decision.owner else ""
    return DecisionLine(
        text=decision.text,
        owner=" – ".join(filter(None, [owner, decision.owner_detail])),
        due_date=decision.due_date,
        status=decision.get_status_display(),
        status_note=decision.status_note,
        commitments=sorted(c.number for c in decision.commitments.all()),
    )
