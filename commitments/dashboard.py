"""The public dashboard of a plan: figures by level, axis and institution, filters, history."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator

from ogp_portal import grammar
from ogp_portal.collation import sort_key
from ogp_portal.search import match_of

from . import progress as progress_method
from .models import Commitment, Institution, Plan, ProgressDay
from .roles import User
from .search import COMMITMENT_FIELDS
from .summaries import CommitmentFigures, PlanFigures, commitment_rows, plan_figures

# Commitments per page of a dashboard's table: a plan of 22 fits one, a plan of 500 shows 10.
DASHBOARD_PAGE_SIZE = 50

# What the table of commitments (progress_tags.commitment_table) reads of a commitment: its
# texts (challenge, ambition, …, in three languages each) stay in the database.
TABLE_FIELDS = (
    "number",
    "ogp_id",
    "title",
    "plan",  # the plan and its axes are the dashboard's own (commitment_rows' ``plan``)
    "axis",
    "lead_institution__code",
    "lead_institution__name",
)

# A point on the progress chart: (day, overall progress then, label), e.g. a committee meeting.
Marker = tuple[datetime.date, Decimal, str]


@dataclass(frozen=True)
class PanelSection:
    """An entry of the dashboard's in-page navigation: the id of a heading in a panel."""

    anchor: str
    label: str


@dataclass(frozen=True)
class DashboardPanel:
    """A section that another app adds to a plan's dashboard (the meetings app adds its
    meetings, OGP's two-meetings rule and the timelines), with points for the progress chart
    and the entries of the page's navigation that lead to it; so the dashboard shows them
    without this app importing that one."""

    template: str
    data: Any
    markers: list[Marker] = field(default_factory=list)
    sections: list[PanelSection] = field(default_factory=list)


PanelProvider = Callable[[Plan, User], DashboardPanel]
_PANELS: dict[str, PanelProvider] = {}


def add_dashboard_panel(name: str, provider: PanelProvider) -> None:
    """Called from an app's ``AppConfig.ready``; a second call with the same name replaces."""
    _PANELS[name] = provider


def dashboard_panels(plan: Plan, user: User) -> list[DashboardPanel]:
    return [provider(plan, user) for provider in _PANELS.values()]


@dataclass(frozen=True)
class GroupFigure:
    """Commitments grouped by axis or by lead institution."""

    key: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class LevelFigure:
    level: str
    label: str
    count: int


@dataclass(frozen=True)
class DashboardFilters:
    axis: int | None = None
    institution: str = ""
    level: str = ""
    stale: bool = False
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.axis or self.institution or self.level or self.stale or self.q)

    def match(self, row: CommitmentFigures) -> bool:
        if self.axis and row.axis_number != self.axis:
            return False
        if self.institution and row.lead_institution_code != self.institution:
            return False
        if self.level and row.completion_level != self.level:
            return False
        return not self.stale or row.is_stale


def search_figures(
    plan: Plan, rows: list[CommitmentFigures], query: str
) -> tuple[list[CommitmentFigures], dict[int, Commitment]]:
    """The rows whose commitment the search finds (one query), best matches first, and the
    commitments found by id (``match_of`` says where each was found)."""
    found = {c.pk: c for c in Commitment.objects.filter(plan=plan).search(query).only("pk")}
    ranked = [row for row in rows if row.pk in found]
    return sorted(ranked, key=lambda row: getattr(found[row.pk], "search_rank", 0)), found


@dataclass(frozen=True)
class Dashboard:
    summary: PlanFigures
    rows: list[CommitmentFigures]  # those the filters keep, in the order shown
    page: Page  # of ``rows``, as full CommitmentRows
    by_level: list[LevelFigure]
    by_axis: list[GroupFigure]
    by_institution: list[GroupFigure]
    history: list[tuple[datetime.date, Decimal]]

    def history_rows(self) -> list[tuple[str, str]]:
        """The history as its table writes it: each day as the locale's short date, the
        progress as ``floatformat:1``, all at once (a year of days is 365 of each)."""
        days = grammar.dates(day for day, _value in self.history)
        values = grammar.decimals((value for _day, value in self.history), 1)
        return list(zip(days, values, strict=True))


def _groups(
    rows: Iterable[CommitmentFigures],
    key: Callable[[CommitmentFigures], int | None],
    labels: dict[int, tuple[str, str]],
) -> list[GroupFigure]:
    """Rows grouped by ``key`` (an id), each group named by ``labels[id]``: (key, label)."""
    buckets: dict[int, list[Decimal]] = defaultdict(list)
    for row in rows:
        group = key(row)
        if group is not None:
            buckets[group].append(row.progress)
    return [
        GroupFigure(
            key=labels[group][0],
            label=labels[group][1],
            count=len(values),
            percent=progress_method.rounded_percent(progress_method.mean_progress(values)),
        )
        for group, values in buckets.items()
    ]


def build_dashboard(
    plan: Plan,
    filters: DashboardFilters | None = None,
    page: str | int | None = None,
    institutions: Iterable[Institution] | None = None,
) -> Dashboard:
    """The figures of every active commitment come from the database (summaries.plan_figures);
    only the page of the table shown is loaded as full rows. ``institutions``: the plan's lead
    institutions, when the caller has them (the filter form lists them)."""
    filters = filters or DashboardFilters()
    summary = plan_figures(plan)
    rows = [row for row in summary.rows if filters.match(row)]
    found: dict[int, Commitment] = {}
    if filters.q:
        rows, found = search_figures(plan, rows, filters.q)
    axes = {axis.pk: (str(axis.number), str(axis)) for axis in plan.axes.all()}
    lead_ids = {row.lead_institution_id for row in summary.rows}
    if institutions is None:
        leads = Institution.objects.in_bulk(lead_ids)
    else:
        leads = {lead.pk: lead for lead in institutions if lead.pk in lead_ids}
    by_axis = _groups(summary.rows, lambda r: r.axis_id, axes)
    by_institution = _groups(
        summary.rows,
        lambda r: r.lead_institution_id,
        {pk: (lead.code, lead.name) for pk, lead in leads.items()},
    )
    return Dashboard(
        summary=summary,
        rows=rows,
        page=_page(plan, rows, page, found),
        by_level=[LevelFigure(*figure) for figure in summary.level_counts()],
        by_axis=sorted(by_axis, key=lambda g: int(g.key)),
        by_institution=sorted(by_institution, key=lambda g: (-g.count, sort_key(g.label))),
        history=plan_progress_history(plan),
    )


def _page(
    plan: Plan,
    rows: list[CommitmentFigures],
    number: str | int | None,
    found: dict[int, Commitment],
) -> Page:
    """The page ``number`` of the table (the last one past the end), as full rows, each with
    where the search found it."""
    page = Paginator(rows, DASHBOARD_PAGE_SIZE).get_page(number)
    full = [
        replace(row, match=match_of(found[row.commitment.pk], COMMITMENT_FIELDS)) if found else row
        for row in commitment_rows(list(page), Commitment.objects.only(*TABLE_FIELDS), plan)
    ]
    return Page(full, page.number, page.paginator)


def plan_progress_history(
    plan: Plan, commitments: list[Commitment] | None = None
) -> list[tuple[datetime.date, Decimal]]:
    """The plan's progress at the end of each day on which a validated update took effect,
    with today's activity weights: the stored series (commitments.progress_history), one
    query. ``commitments`` is not read: the series is of the plan's active commitments."""
    days = ProgressDay.objects.filter(plan=plan, axis=None).order_by("day")
    return list(days.values_list("day", "progress"))
