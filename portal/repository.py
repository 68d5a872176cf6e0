"""The OGP repository: every public document and piece of evidence of a plan (or of the whole
portal), one entry each, with its stable URL, its date of publication and its languages.

Each app decides what is public (its ``visible_to``): the entries are built from what an
anonymous visitor may see, whoever asks, so the page is the same for everyone. A constant
number of queries, whatever the number of entries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocreation.models import Event, Process, Proposal
from commitments.models import Commitment, Evidence, Plan
from meetings.models import Decision, Meeting, MinutesVersion
from ogp_portal.i18n import CONTENT_LANGUAGES
from reports.models import Report, ReportVersion

PUBLIC = AnonymousUser()


class Kind(models.TextChoices):
    MINUTES = "minutes", _("Minutes of a meeting")
    DECISION = "decision", _("Decision of a meeting")
    REPORT = "report", _("Self-assessment report")
    EVIDENCE = "evidence", _("Evidence of progress")
    COCREATION = "co_creation", _("Co-creation process and statistics")
    EVENT = "event", _("Co-creation event")
    PROPOSAL = "proposal", _("Proposal and reasoned response")


@dataclass(frozen=True)
class Link:
    """A file or page an entry offers beside its own page (a PDF in one language)."""

    label: str
    url: str
    language: str = ""


@dataclass(frozen=True)
class CommitmentRef:
    number: int
    title: str
    url: str


@dataclass(frozen=True)
class Entry:
    """One document or piece of evidence of the repository."""

    kind: Kind
    title: str
    url: str
    plan: Plan
    published: datetime.date | None
    languages: tuple[str, ...] = ()
    commitments: tuple[CommitmentRef, ...] = ()
    links: tuple[Link, ...] = ()
    note: str = ""
    key: str = field(default="", compare=False)

    @property
    def half_year(self) -> str:
        """``2023-H1`` for January to June 2023, ``2023-H2`` for July to December."""
        if self.published is None:
            return ""
        return f"{self.published.year}-H{1 if self.published.month <= 6 else 2}"

    @property
    def kind_label(self) -> str:
        return str(self.kind.label)


def repository_entries(plan: Plan | None = None) -> list[Entry]:
    """The public entries of ``plan`` (every plan's when None), newest first; those whose
    date is unknown last."""
    entries = [
        *_meeting_entries(plan),
        *_report_entries(plan),
        *_evidence_entries(plan),
        *_cocreation_entries(plan),
    ]
    dated = sorted((e for e in entries if e.published), key=_order, reverse=True)
    return dated + [e for e in entries if e.published is None]


def _order(entry: Entry) -> tuple[datetime.date, str]:
    assert entry.published is not None
    return entry.published, entry.key


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def languages_of(obj: object, field_name: str) -> tuple[str, ...]:
    """The languages in which ``obj.field_name`` is written (translated fields)."""
    return tuple(code for code in CONTENT_LANGUAGES if _has(obj, field_name, code))


def _ref(commitment: Commitment, plan: Plan) -> CommitmentRef:
    url = reverse("commitments:detail", args=[plan.code, commitment.number])
    return CommitmentRef(commitment.number, commitment.title, url)


# Meetings: minutes and decisions ---------------------------------------------------------------


def plan_meetings(plan: Plan | None) -> models.QuerySet[Meeting]:
    """The public meetings about ``plan``: those reviewing it, and those that agreed a timeline
    of its own process (the co-creation of a plan is discussed during the previous one)."""
    meetings = Meeting.objects.visible_to(PUBLIC)
    if plan is not None:
        scope = Q(plan=plan) | Q(agenda_items__timeline__plan=plan)
        meetings = meetings.filter(pk__in=Meeting.objects.filter(scope).values("pk"))
    return meetings.select_related("committee", "plan").prefetch_related("agenda_items")


def _meeting_entries(plan: Plan | None) -> list[Entry]:
    meetings = list(plan_meetings(plan))
    pdfs: dict[int, set[str]] = defaultdict(set)
    versions = MinutesVersion.objects.visible_to(PUBLIC).filter(meeting__in=meetings)
    for meeting_id, language in versions.values_list("meeting_id", "language").distinct():
        pdfs[meeting_id].add(language)
    decisions: dict[int, list[Decision]] = defaultdict(list)
    found = Decision.objects.filter(meeting__in=meetings).prefetch_related("commitments__plan")
    for decision in found:
        decisions[decision.meeting_id].append(decision)
    entries = []
    for meeting in meetings:
        entries.append(_minutes_entry(meeting, _in_order(pdfs[meeting.pk])))
        entries += [_decision_entry(meeting, decision) for decision in decisions[meeting.pk]]
    return entries


def _minutes_entry(meeting: Meeting, pdf_languages: list[str]) -> Entry:
    """The minutes' page, and their PDF in each language it was generated in; without a PDF,
    the languages its agenda is written in."""
    items = list(meeting.agenda_items.all())
    written = [c for c in CONTENT_LANGUAGES if items and all(_has(i, "title", c) for i in items)]
    links = tuple(
        Link("PDF", reverse("meetings:minutes_download", args=[meeting.pk, code]), code)
        for code in pdf_languages
    )
    title = gettext("%(committee)s, %(date)s") % {
        "committee": meeting.committee.name,
        "date": _date_text(meeting.date),
    }
    return Entry(
        kind=Kind.MINUTES,
        title=title,
        url=meeting.get_absolute_url(),
        plan=meeting.plan,
        published=_day(meeting.minutes_published_at),
        languages=tuple(pdf_languages) or tuple(written),
        links=links,
        key=f"minutes-{meeting.pk}",
    )


def _has(obj: object, field_name: str, language: str) -> bool:
    return bool(getattr(obj, f"{field_name}_{language}", ""))


def _in_order(languages: Iterable[str]) -> list[str]:
    return sorted(languages, key=CONTENT_LANGUAGES.index)


def _date_text(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _decision_entry(meeting: Meeting, decision: Decision) -> Entry:
    commitments = tuple(_ref(c, c.plan) for c in decision.commitments.all())
    return Entry(
        kind=Kind.DECISION,
        title=decision.text,
        url=f"{meeting.get_absolute_url()}#record",
        plan=meeting.plan,
        published=_day(meeting.minutes_published_at),
        languages=languages_of(decision, "text"),
        commitments=commitments,
        note=str(decision.get_status_display()),
        key=f"decision-{decision.pk}",
    )


# Reports --------------------------------------------------------------------------------------


def _report_entries(plan: Plan | None) -> list[Entry]:
    reports = Report.objects.visible_to(PUBLIC).select_related("plan")
    if plan is not None:
        reports = reports.filter(plan=plan)
    found = list(reports.prefetch_related("stage_changes"))
    offered: dict[int, set[str]] = defaultdict(set)
    versions = ReportVersion.objects.visible_to(PUBLIC).filter(report__in=found)
    for report_id, language in versions.values_list("report_id", "language"):
        offered[report_id].add(language)
    return [_report_entry(report, _in_order(offered[report.pk])) for report in found]


def _made_public_on(report: Report) -> datetime.date | None:
    """When the report's current text became public: put to consultation (the draft), or
    published (the validated version)."""
    stages = (
        [Report.Stage.CONSULTATION]
        if report.stage == Report.Stage.CONSULTATION
        else [Report.Stage.PUBLISHED, Report.Stage.TRANSMITTED]
    )
    changes = [c.changed_at for c in report.stage_changes.all() if c.stage in stages]
    return _day(min(changes)) if changes else None


def _report_entry(report: Report, languages: list[str]) -> Entry:
    links = tuple(
        Link("PDF", reverse("reports:download", args=[report.pk, code]), code) for code in languages
    )
    return Entry(
        kind=Kind.REPORT,
        title=report.title,
        url=report.get_absolute_url(),
        plan=report.plan,
        published=_made_public_on(report),
        languages=tuple(languages),
        links=links,
        note=str(report.get_stage_display()),
        key=f"report-{report.pk}",
    )


# Evidence -------------------------------------------------------------------------------------


def _evidence_entries(plan: Plan | None) -> list[Entry]:
    evidence = Evidence.objects.visible_to(PUBLIC)
    if plan is not None:
        evidence = evidence.filter(update__activity__commitment__plan=plan)
    evidence = evidence.select_related("update__activity__commitment__plan")
    return [_evidence_entry(item) for item in evidence.order_by("pk")]


def _evidence_entry(item: Evidence) -> Entry:
    """Public once its update was validated; the file through the portal (which checks who
    asks), a link as it was given. Evidence does not say its language."""
    update = item.update
    activity = update.activity
    commitment = activity.commitment
    plan = commitment.plan
    page = reverse("commitments:activity_detail", args=[plan.code, commitment.number, activity.pk])
    if item.file:
        link = Link(gettext("File"), reverse("commitments:evidence_download", args=[item.pk]))
    else:
        link = Link(gettext("Link"), item.url)
    published = max(item.added_at, update.reviewed_at or update.created_at)
    return Entry(
        kind=Kind.EVIDENCE,
        title=item.title,
        url=page,
        plan=plan,
        published=_day(published),
        commitments=(_ref(commitment, plan),),
        links=(link,),
        note=activity.title,
        key=f"evidence-{item.pk}",
    )


# Co-creation ----------------------------------------------------------------------------------


def plan_processes(plan: Plan | None) -> list[Process]:
    processes = Process.objects.visible_to(PUBLIC).select_related("plan")
    return list(processes.filter(plan=plan) if plan is not None else processes)


def _added_on(model: type[models.Model], pks: Iterable[int]) -> dict[int, datetime.date | None]:
    """When each row was put into the portal, from its history (the date it became public)."""
    history = model.history.filter(id__in=list(pks))  # type: ignore[attr-defined]
    first = history.values("id").annotate(first=Min("history_date"))
    return {row["id"]: _day(row["first"]) for row in first}


def _cocreation_entries(plan: Plan | None) -> list[Entry]:
    processes = [p for p in plan_processes(plan) if p.plan is not None]
    added = _added_on(Process, (p.pk for p in processes))
    entries = [_process_entry(p, added.get(p.pk)) for p in processes]
    by_pk = {p.pk: p for p in processes}
    events = list(Event.objects.filter(process__in=processes).order_by("date", "pk"))
    events_added = _added_on(Event, (e.pk for e in events))
    entries += [_event_entry(e, by_pk[e.process_id], events_added.get(e.pk)) for e in events]
    proposals = Proposal.objects.visible_to(PUBLIC).filter(process__in=processes)
    proposals = proposals.select_related("draft_commitment__plan")
    entries += [_proposal_entry(p, by_pk[p.process_id]) for p in proposals]
    return entries


def _process_entry(process: Process, added: datetime.date | None) -> Entry:
    assert process.plan is not None
    statistics = reverse("cocreation:statistics", args=[process.pk])
    return Entry(
        kind=Kind.COCREATION,
        title=process.title,
        url=process.get_absolute_url(),
        plan=process.plan,
        published=added,
        languages=languages_of(process, "title"),
        links=(Link(gettext("Statistics"), statistics),),
        key=f"process-{process.pk}",
    )


def _event_entry(event: Event, process: Process, added: datetime.date | None) -> Entry:
    assert process.plan is not None
    note = gettext("Held on %(date)s") % {"date": _date_text(event.date)}
    return Entry(
        kind=Kind.EVENT,
        title=event.title,
        url=process.get_absolute_url(),
        plan=process.plan,
        published=added,
        languages=languages_of(event, "title"),
        note=note,
        key=f"event-{event.pk}",
    )


def _proposal_entry(proposal: Proposal, process: Process) -> Entry:
    assert process.plan is not None
    draft = proposal.draft_commitment
    note = gettext("Answered") if proposal.response.strip() else gettext("Not answered yet")
    return Entry(
        kind=Kind.PROPOSAL,
        title=proposal.title,
        url=proposal.get_absolute_url(),
        plan=process.plan,
        published=_day(proposal.moderated_at or proposal.submitted_at),
        languages=(proposal.language,) if proposal.language else (),
        commitments=(_ref(draft, draft.plan),) if draft is not None else (),
        note=note,
        key=f"proposal-{proposal.pk}",
    )


# Filters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryFilters:
    kind: str = ""
    commitment: int | None = None
    plan: str = ""
    period: str = ""  # "2023" or "2023-H1"
    language: str = ""

    @property
    def active(self) -> bool:
        return bool(
            self.kind or self.commitment is not None or self.plan or self.period or self.language
        )

    def keep(self, entry: Entry) -> bool:
        return (
            (not self.kind or entry.kind == self.kind)
            and (
                self.commitment is None
                or any(ref.number == self.commitment for ref in entry.commitments)
            )
            and (not self.plan or entry.plan.code == self.plan)
            and (not self.period or self.period in (entry.half_year, entry.half_year[:4]))
            and (not self.language or self.language in entry.languages)
        )


def filtered(entries: list[Entry], filters: EntryFilters) -> list[Entry]:
    return [entry for entry in entries if filters.keep(entry)]


def periods_of(entries: Iterable[Entry]) -> list[str]:
    """The years and half-years of the entries, newest first: ``2023``, ``2023-H2``…"""
    halves = {entry.half_year for entry in entries if entry.half_year}
    years = {half[:4] for half in halves}
    return sorted(halves | years, key=lambda p: (p[:4], p[4:] or "~"), reverse=True)
