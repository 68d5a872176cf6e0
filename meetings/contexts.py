"""The minutes of a meeting (relevé des conclusions): what they show, as dataclasses built in the
requested language. Everything the PDF and the meeting page show as the minutes comes from
``build_minutes_context``, so its fingerprint (``documents.engine.fingerprint``) changes exactly
when the PDF would.

Once the meeting is held, the minutes are built from what was kept when it was held (its frozen
table, the names and statuses copied then, its calendars) and its dated corrections: nothing
renamed or followed up later changes them. The portal's own figures (the mean of the table, the
comparison with the previous meeting) are not the meeting's words: the page shows them beside
the minutes (``tables.progress_table``), the minutes leave them out.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ogp_portal.grammar import civility_in_language, gender_of_civility, join_list

from . import wording
from .models import (
    AgendaItem,
    AgendaStep,
    Attendance,
    CommitteeMember,
    Decision,
    Meeting,
    TimelineStep,
)
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
    capacity: str = ""
    alternate: bool = False

    @property
    def gender(self) -> str:
        return gender_of_civility(self.civility)

    @property
    def remote(self) -> bool:
        return self.status == Attendance.Status.REMOTE

    @property
    def excused(self) -> bool:
        return self.status == Attendance.Status.EXCUSED

    @property
    def role(self) -> str:
        """The capacity, with the word for an alternate unless it says so already
        ("suppléante point focal engagement 10")."""
        if not self.alternate:
            return self.capacity
        word = wording.alternate(self.gender)
        if word.lower() in self.capacity.lower():
            return self.capacity
        return f"{word} {self.capacity}".strip()

    @property
    def line(self) -> str:
        """As the seeds write it: "M. Yassir CHOKAIRI (à distance), Instance Nationale…",
        "Mme. Hajar HADI, suppléante point focal engagement 10", "Représentante de la
        Direction Générale des Collectivités Territoriales"."""
        if self.name:
            who = f"{civility_in_language(self.civility)} {self.name}".strip()
            if self.remote:
                remote = _("remote")
                who = f"{who} ({remote})"
            parts = [who, self.organisation, self.role]
        else:
            parts = [
                wording.representative_of(gender_of_civility(self.civility), self.organisation),
                self.role,
            ]
        if self.represented_by:
            parts.append(_("represented by %(who)s") % {"who": self.represented_by})
        line = join_list(part for part in parts if part)
        if self.excused:
            excused = _("excused")
            line = f"{line} ({excused})"
        return line


@dataclasses.dataclass(frozen=True)
class UnfinishedActivity:
    title: str
    percent: int


@dataclasses.dataclass(frozen=True)
class ProgressLine:
    number: int
    title: str
    percent: int
    complete: bool
    unfinished: list[UnfinishedActivity]
    remark: str


@dataclasses.dataclass(frozen=True)
class ProgressBlock:
    """The progress table under the agenda item about progress, frozen at the meeting: the
    rates, the unfinished activities with their percentage and the remarks, as presented."""

    rows: list[ProgressLine]
    has_titles: bool
    has_activities: bool
    frozen: bool


@dataclasses.dataclass(frozen=True)
class Step:
    period: str
    title: str


@dataclasses.dataclass(frozen=True)
class FollowedDecision:
    """A decision of an earlier meeting followed up at this one, with its status at this one."""

    text: str
    meeting_date: datetime.date
    status: str
    status_note: str


@dataclasses.dataclass(frozen=True)
class Point:
    """An agenda item and what was said about it."""

    kind: str
    title: str
    notes: str
    progress: ProgressBlock | None
    timeline: list[Step]
    followed: FollowedDecision | None


@dataclasses.dataclass(frozen=True)
class DecisionLine:
    """A decision taken at the meeting; its status only when the meeting recorded more than
    the decision itself (a decision just taken is open)."""

    text: str
    owner: str
    due_date: datetime.date | None
    status: str
    status_note: str
    commitments: list[int]


@dataclasses.dataclass(frozen=True)
class CorrectionLine:
    made_on: datetime.date
    text: str


@dataclasses.dataclass(frozen=True)
class MinutesContext:
    language: str
    committee: str
    plan_code: str
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
    corrections: list[CorrectionLine]


def build_minutes_context(meeting: Meeting, language: str) -> MinutesContext:
    """Call inside ``translation.override(language)``: content and dates come in that language."""
    held = meeting.is_held
    attendances = meeting.attendances.select_related("institution", "member")
    people = [_person(attendance, held) for attendance in attendances]
    items = list(
        meeting.agenda_items.select_related("decision__meeting").prefetch_related(
            "timeline__steps", "recorded_steps"
        )
    )
    has_table = any(item.kind == AgendaItem.Kind.PROGRESS for item in items)
    table = _progress(progress_table(meeting)) if has_table else None
    decisions = meeting.decisions.filter(in_minutes=True).select_related("owner")
    return MinutesContext(
        language=language,
        committee=meeting.committee.name,
        plan_code=meeting.plan.code,
        plan_title=meeting.plan.title,
        held=held,
        when=meeting_when(meeting.starts_at),
        mode=meeting.mode,
        place=meeting.place,
        participants=[p for p in people if p.status in Attendance.ATTENDED],
        absentees=[p for p in people if p.status not in Attendance.ATTENDED],
        opening=meeting.opening,
        points=[_point(item, table, held) for item in items],
        decisions=[_decision(d, held) for d in decisions.prefetch_related("commitments")],
        corrections=[CorrectionLine(c.made_on, c.text) for c in meeting.corrections.all()],
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


def _person(attendance: Attendance, held: bool) -> Person:
    if held:
        organisation = attendance.organisation
    else:
        organisation = attendance.institution.name if attendance.institution else ""
    member = attendance.member
    return Person(
        civility=attendance.civility,
        name=attendance.name,
        organisation=organisation,
        status=attendance.status,
        represented_by=attendance.represented_by,
        capacity=attendance.capacity,
        alternate=member is not None and member.seat == CommitteeMember.Seat.ALTERNATE,
    )


def _point(item: AgendaItem, table: ProgressBlock | None, held: bool) -> Point:
    steps: list[AgendaStep] | list[TimelineStep]
    if held:
        steps = list(item.recorded_steps.all())
    else:
        steps = list(item.timeline.steps.all()) if item.timeline else []
    return Point(
        kind=item.kind,
        title=item.title,
        notes=item.notes,
        progress=table if item.kind == AgendaItem.Kind.PROGRESS else None,
        timeline=[Step(step_period(step), step.title) for step in steps],
        followed=_followed(item, held) if item.decision else None,
    )


def _followed(item: AgendaItem, held: bool) -> FollowedDecision:
    decision = item.decision
    assert decision is not None
    status, note = decision.status, decision.status_note
    if held and item.followed_status:
        status, note = item.followed_status, item.followed_status_note
    return FollowedDecision(
        text=decision.text,
        meeting_date=decision.meeting.date,
        status=str(Decision.Status(status).label),
        status_note=note,
    )


def _progress(table: ProgressTable) -> ProgressBlock:
    rows = [
        ProgressLine(
            number=row.number,
            title=row.title,
            percent=row.percent,
            complete=row.is_complete,
            unfinished=[UnfinishedActivity(a.title, a.progress) for a in row.unfinished],
            remark=row.remark,
        )
        for row in table.rows
    ]
    return ProgressBlock(
        rows=rows,
        has_titles=any(row.title for row in rows),
        has_activities=table.has_activities,
        frozen=table.frozen,
    )


def _decision(decision: Decision, held: bool) -> DecisionLine:
    status, note = decision.status, decision.status_note
    owner = decision.owner.name if decision.owner else ""
    if held:
        status, note, owner = (
            decision.status_at_meeting or status,
            decision.status_note_at_meeting,
            decision.owner_name,
        )
    return DecisionLine(
        text=decision.text,
        owner=" – ".join(filter(None, [owner, decision.owner_detail])),
        due_date=decision.due_date,
        status="" if status == Decision.Status.OPEN else str(Decision.Status(status).label),
        status_note=note,
        commitments=sorted(c.number for c in decision.commitments.all()),
    )
