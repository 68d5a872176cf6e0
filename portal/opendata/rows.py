"""The rows of each resource of the package, read through the querysets that give an anonymous
visitor what the public pages show: validated updates only, meetings whose minutes are published
(their attendance as the minutes name it), public timelines and co-creations, published
proposals, reports under consultation or published. A column takes the model's attribute of
its name (``title_fr``, ``plan_id``) unless the resource's function gives it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from cocreation.models import Event, InstitutionAnswer, Process, Proposal
from commitments.models import Activity, Axis, Commitment, Institution, Plan, ProgressUpdate
from commitments.progress import mean_progress
from meetings.models import Attendance, Committee, Decision, Meeting, Timeline, TimelineStep
from reports.models import Report

from .schema import BY_NAME

Row = dict[str, Any]
Extra = Callable[[Any], dict[str, Any]]


class Public:
    """What an anonymous visitor may see, read once per package; ``link`` turns a path into
    the absolute address the files give."""

    def __init__(self, link: Callable[[str], str]) -> None:
        self.link = link
        self.anonymous = AnonymousUser()
        self.meetings = Meeting.objects.visible_to(self.anonymous)
        self.timelines = Timeline.objects.visible_to(self.anonymous)
        self.processes = Process.objects.visible_to(self.anonymous)
        self.proposals = Proposal.objects.visible_to(self.anonymous)


def cell(value: Any) -> Any:
    """A value as the package writes it: times in UTC to the second, whole decimals as
    integers (65, not 65.00)."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(microsecond=0)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else value
    return value


def _rows(name: str, objects: Iterable[Model], extra: Extra | None = None) -> Iterator[Row]:
    columns = BY_NAME[name].columns
    for obj in objects:
        given = extra(obj) if extra else {}
        yield {
            column: cell(given[column] if column in given else getattr(obj, column))
            for column in columns
        }


def plans(public: Public) -> Iterator[Row]:
    commitments = list(Commitment.objects.active().with_progress_data())
    by_plan: dict[int, list[Decimal]] = {}
    for commitment in commitments:
        by_plan.setdefault(commitment.plan_id, []).append(commitment.progress)

    def extra(plan: Plan) -> dict[str, Any]:
        return {
            "progress": mean_progress(by_plan.get(plan.pk, [])),
            "url": public.link(plan.get_absolute_url()),
        }

    return _rows("plans", Plan.objects.order_by("start_date", "pk"), extra)


def axes(public: Public) -> Iterator[Row]:
    return _rows("axes", Axis.objects.order_by("plan__start_date", "plan_id", "number"))


def institutions(public: Public) -> Iterator[Row]:
    return _rows("institutions", Institution.objects.order_by("code"))


def commitments(public: Public) -> Iterator[Row]:
    found = Commitment.objects.with_progress_data().order_by("plan__start_date", "plan", "number")

    def extra(commitment: Commitment) -> dict[str, Any]:
        return {
            "progress": commitment.progress,
            "completion_level": commitment.completion_level,
            "last_update_at": commitment.last_update_at,
            "url": public.link(commitment.get_absolute_url()),
        }

    return _rows("commitments", found, extra)


def supporting_institutions(public: Public) -> Iterator[Row]:
    links = Commitment.supporting_institutions.through.objects.order_by("commitment", "institution")
    return _rows("supporting_institutions", links)


def activities(public: Public) -> Iterator[Row]:
    return _rows("activities", Activity.objects.order_by("commitment", "position", "pk"))


def progress_updates(public: Public) -> Iterator[Row]:
    updates = ProgressUpdate.objects.visible_to(public.anonymous).order_by("created_at", "pk")
    return _rows("progress_updates", updates)


def committees(public: Public) -> Iterator[Row]:
    return _rows("committees", Committee.objects.order_by("pk"))


def meetings(public: Public) -> Iterator[Row]:
    def extra(meeting: Meeting) -> dict[str, Any]:
        return {"url": public.link(meeting.get_absolute_url())}

    return _rows("meetings", public.meetings.order_by("starts_at", "pk"), extra)


def attendance(public: Public) -> Iterator[Row]:
    """The names as the published minutes give them, and only theirs: a meeting whose minutes
    are not published has no row here."""
    rows = Attendance.objects.filter(meeting__in=public.meetings)
    return _rows("attendance", rows.order_by("meeting__starts_at", "meeting", "position", "pk"))


def decisions(public: Public) -> Iterator[Row]:
    found = Decision.objects.filter(meeting__in=public.meetings)
    return _rows("decisions", found.order_by("meeting__starts_at", "meeting", "position", "pk"))


def decision_commitments(public: Public) -> Iterator[Row]:
    links = Decision.commitments.through.objects.filter(decision__meeting__in=public.meetings)
    return _rows("decision_commitments", links.order_by("decision", "commitment"))


def timelines(public: Public) -> Iterator[Row]:
    return _rows("timelines", public.timelines.order_by("pk"))


def timeline_steps(public: Public) -> Iterator[Row]:
    steps = TimelineStep.objects.filter(timeline__in=public.timelines)
    return _rows("timeline_steps", steps.order_by("timeline", "position", "starts_on", "pk"))


def cocreation_processes(public: Public) -> Iterator[Row]:
    public_timelines = set(public.timelines.values_list("pk", flat=True))

    def extra(process: Process) -> dict[str, Any]:
        timeline = process.timeline_id if process.timeline_id in public_timelines else None
        return {"timeline_id": timeline}

    return _rows("cocreation_processes", public.processes.order_by("pk"), extra)


def cocreation_events(public: Public) -> Iterator[Row]:
    events = Event.objects.filter(process__in=public.processes).order_by("process", "date", "pk")
    return _rows("cocreation_events", events)


def proposals(public: Public) -> Iterator[Row]:
    """A proposal merged into one not published names none (as its page does)."""
    published = set(public.proposals.values_list("pk", flat=True))

    def extra(proposal: Proposal) -> dict[str, Any]:
        merged = proposal.merged_into_id if proposal.merged_into_id in published else None
        return {"merged_into_id": merged, "url": public.link(proposal.get_absolute_url())}

    return _rows("proposals", public.proposals.order_by("submitted_at", "pk"), extra)


def proposal_answers(public: Public) -> Iterator[Row]:
    answers = InstitutionAnswer.objects.filter(proposal__in=public.proposals)
    return _rows("proposal_answers", answers.order_by("proposal", "answered_at", "pk"))


def reports(public: Public) -> Iterator[Row]:
    found: QuerySet[Report] = Report.objects.visible_to(public.anonymous)

    def extra(report: Report) -> dict[str, Any]:
        return {"url": public.link(report.get_absolute_url())}

    return _rows("reports", found.order_by("period_end", "pk"), extra)


ROWS: dict[str, Callable[[Public], Iterator[Row]]] = {
    "plans": plans,
    "axes": axes,
    "institutions": institutions,
    "commitments": commitments,
    "supporting_institutions": supporting_institutions,
    "activities": activities,
    "progress_updates": progress_updates,
    "committees": committees,
    "meetings": meetings,
    "attendance": attendance,
    "decisions": decisions,
    "decision_commitments": decision_commitments,
    "timelines": timelines,
    "timeline_steps": timeline_steps,
    "cocreation_processes": cocreation_processes,
    "cocreation_events": cocreation_events,
    "proposals": proposals,
    "proposal_answers": proposal_answers,
    "reports": reports,
}
