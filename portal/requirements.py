"""OGP's minimum requirements for a plan, as computed checks with their evidence: the forum
meets with civil society, its rules are public, the repository is updated at least twice a
year, every proposal has a reasoned response, the report's consultation lasts two weeks.

Each check is met, not met, or missing information (the portal cannot tell), and says why.
A period not over yet is never held against the plan.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cocreation.models import Proposal
from commitments.models import Plan
from meetings.summaries import civil_society_meetings_by_year
from reports.models import Report

from .repository import PUBLIC, Entry, Kind, plan_processes

# OGP asks for a public consultation of the self-assessment report of at least two weeks.
OGP_CONSULTATION_DAYS = 14


class State(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    MISSING = "missing", _("Missing information")


@dataclass(frozen=True)
class Proof:
    """One line of a check's evidence, with its link if there is one."""

    text: str
    url: str = ""
    ok: bool | None = None


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    state: State
    summary: str
    evidence: list[Proof] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(self.state.label)

    @property
    def state_class(self) -> str:
        """The colour the pages give the state (met green, not met orange)."""
        return {State.MET: "level-complete", State.NOT_MET: "stale"}.get(self.state, "muted")


def plan_checks(
    plan: Plan, entries: list[Entry], today: datetime.date | None = None
) -> list[Check]:
    """The five checks of ``plan``, from its repository's ``entries``."""
    today = today or timezone.localdate()
    return [
        forum_meetings(plan, entries, today),
        forum_rules(),
        repository_updates(plan, entries, today),
        reasoned_responses(plan),
        report_consultation(plan),
    ]


def _date(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _judged(checked: list[tuple[bool, bool]]) -> State | None:
    """From (period over, requirement met) pairs: not met if a period over failed; met if
    every period over passed; None when no period is over yet."""
    over = [met for is_over, met in checked if is_over]
    if not over:
        return None
    return State.MET if all(over) else State.NOT_MET


def forum_meetings(plan: Plan, entries: list[Entry], today: datetime.date) -> Check:
    """At least two meetings a year with civil society (``civil_society_meetings_by_year``,
    the figure the plan's dashboard shows), each year of the plan once it is over."""
    title = gettext("The forum meets with civil society at least every six months")
    years = [y for y in civil_society_meetings_by_year(plan) if y.year <= today.year]
    evidence = [
        Proof(
            ngettext(
                "%(year)s: %(count)s meeting held with civil society (at least %(required)s)",
                "%(year)s: %(count)s meetings held with civil society (at least %(required)s)",
                y.held_with_civil_society,
            )
            % {"year": y.year, "count": y.held_with_civil_society, "required": y.required},
            ok=y.is_met,
        )
        for y in years
    ]
    minutes = [e for e in entries if e.kind == Kind.MINUTES and e.plan.pk == plan.pk]
    evidence += [Proof(e.title, e.url) for e in minutes]
    if not any(y.held_with_civil_society or y.planned_with_civil_society for y in years):
        summary = gettext("No meeting of this plan with civil society is recorded in the portal.")
        return Check("meetings", title, State.MISSING, summary, evidence)
    state = _judged([(y.year < today.year or plan.end_date < today, y.is_met) for y in years])
    if state is None:
        summary = gettext("No year of the plan is over yet.")
        return Check("meetings", title, State.MISSING, summary, evidence)
    if state == State.MET:
        summary = gettext("Every year of the plan had at least two meetings with civil society.")
    else:
        summary = gettext("A year of the plan had fewer than two meetings with civil society.")
    return Check("meetings", title, state, summary, evidence)


def forum_rules() -> Check:
    """The portal has no place for the forum's rules: it says so rather than guess."""
    return Check(
        "rules",
        gettext("The forum's rules are public"),
        State.MISSING,
        gettext(
            "No rules published: the portal does not store the rules of the forum (its "
            "membership, governance and remit), so this repository cannot show them."
        ),
    )


def half_years(plan: Plan, today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The half-years (January–June, July–December) of the plan begun by ``today``."""
    halves: list[tuple[datetime.date, datetime.date]] = []
    year, half = plan.start_date.year, 0 if plan.start_date.month <= 6 else 1
    while True:
        start = datetime.date(year, 1 + 6 * half, 1)
        end = datetime.date(year, 6, 30) if half == 0 else datetime.date(year, 12, 31)
        if start > min(plan.end_date, today):
            return halves
        halves.append((start, end))
        year, half = (year, 1) if half == 0 else (year + 1, 0)


def repository_updates(plan: Plan, entries: list[Entry], today: datetime.date) -> Check:
    """Something added to the repository in every half-year of the plan that is over."""
    title = gettext("The repository is updated at least twice a year")
    dated = [e.published for e in entries if e.published is not None]
    checked, evidence = [], []
    for start, end in half_years(plan, today):
        days = sorted({day for day in dated if start <= day <= end})
        is_over = end < today
        checked.append((is_over, bool(days)))
        period = gettext("%(start)s – %(end)s") % {"start": _date(start), "end": _date(end)}
        if days:
            added = ", ".join(_date(day) for day in days)
            text = gettext("%(period)s: added on %(dates)s") % {"period": period, "dates": added}
        else:
            text = gettext("%(period)s: nothing added") % {"period": period}
        evidence.append(Proof(text, ok=bool(days) if is_over or days else None))
    state = _judged(checked)
    if state is None:
        summary = gettext("No half-year of the plan is over yet.")
        return Check("updates", title, State.MISSING, summary, evidence)
    if state == State.MET:
        summary = gettext("Something was added to the repository in every half-year of the plan.")
    else:
        summary = gettext("In at least one half-year of the plan nothing was added.")
    return Check("updates", title, state, summary, evidence)


def reasoned_responses(plan: Plan) -> Check:
    """Every published proposal of the plan's co-creation has its reasoned response."""
    title = gettext("Every proposal has a reasoned response")
    processes = plan_processes(plan)
    proposals = list(Proposal.objects.visible_to(PUBLIC).filter(process__in=processes))
    unanswered = [p for p in proposals if not p.response.strip()]
    evidence = [Proof(p.title, p.get_absolute_url(), ok=False) for p in unanswered]
    if not proposals:
        reported = [p for p in processes if p.reported_proposals]
        if reported:
            evidence = [
                Proof(
                    gettext("%(count)s proposals reported (%(source)s)")
                    % {"count": p.reported_proposals, "source": p.reported_source or p.title},
                    p.get_absolute_url(),
                )
                for p in reported
            ]
            summary = gettext(
                "The proposals are known only by their number: the portal holds none of them, "
                "so their responses cannot be checked."
            )
        else:
            summary = gettext("No proposal of this plan's co-creation is published in the portal.")
        return Check("responses", title, State.MISSING, summary, evidence)
    count = {"answered": len(proposals) - len(unanswered), "total": len(proposals)}
    summary = (
        ngettext(
            "%(answered)s of %(total)s published proposal has a reasoned response.",
            "%(answered)s of %(total)s published proposals have a reasoned response.",
            len(proposals),
        )
        % count
    )
    return Check("responses", title, State.NOT_MET if unanswered else State.MET, summary, evidence)


def report_consultation(plan: Plan) -> Check:
    """Each report put to public consultation was open to comments for at least two weeks."""
    title = gettext("The report's public consultation lasts at least two weeks")
    reports = Report.objects.visible_to(PUBLIC).filter(plan=plan)
    evidence, lengths = [], []
    for report in reports:
        days = report.consultation_days
        lengths.append(days)
        if days is None:
            text = gettext("%(report)s: consultation dates not recorded") % {"report": report.title}
        else:
            text = gettext("%(report)s: from %(opens)s to %(closes)s, %(days)s days") % {
                "report": report.title,
                "opens": _date(report.consultation_opens_on),  # type: ignore[arg-type]
                "closes": _date(report.consultation_closes_on),  # type: ignore[arg-type]
                "days": days,
            }
        ok = None if days is None else days >= OGP_CONSULTATION_DAYS
        evidence.append(Proof(text, report.get_absolute_url(), ok=ok))
    if any(days is not None and days < OGP_CONSULTATION_DAYS for days in lengths):
        summary = gettext("A consultation lasted less than two weeks.")
        return Check("consultation", title, State.NOT_MET, summary, evidence)
    if not lengths or None in lengths:
        summary = gettext("No report of this plan has been put to public consultation yet.")
        if lengths:
            summary = gettext("The dates of a report's consultation are not recorded.")
        return Check("consultation", title, State.MISSING, summary, evidence)
    summary = gettext("Every consultation lasted at least two weeks.")
    return Check("consultation", title, State.MET, summary, evidence)
