"""The public dashboard of a plan: figures by level, axis and institution, filters, history."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ogp_portal.collation import sort_key
from ogp_portal.search import match_of

from . import progress as progress_method
from .models import Commitment, Plan, ProgressDay
from .roles import User
from .search import COMMITMENT_FIELDS
from .summaries import CommitmentRow, PlanSummary, plan_summary

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

    def match(self, row: CommitmentRow) -> bool:
        commitment = row.commitment
        if self.axis and (commitment.axis is None or commitment.axis.number != self.axis):
            return False
        if self.institution and commitment.lead_institution.code != self.institution:
            return False
        if self.level and row.completion_level != self.level:
            return False
        return not self.stale or row.is_stale


def search_rows(plan: Plan, rows: list[CommitmentRow], query: str) -> list[CommitmentRow]:
    """The rows whose commitment the search finds (one query), best matches first, each
    with where it was found."""
    found = {c.pk: c for c in Commitment.objects.filter(plan=plan).search(query).only("pk")}
    ranked = [
        replace(row, match=match_of(found[row.commitment.pk], COMMITMENT_FIELDS))
        for row in rows
        if row.commitment.pk in found
    ]
    return sorted(ranked, key=lambda row: getattr(found[row.commitment.pk], "search_rank", 0))


@dataclass(frozen=True)
class Dashboard:
    summary: PlanSummary
    rows: list[CommitmentRow]
    by_level: list[LevelFigure]
    by_axis: list[GroupFigure]
    by_institution: list[GroupFigure]
    history: list[tuple[datetime.date, Decimal]]


def _groups(
    rows: Iterable[CommitmentRow], key: Callable[[CommitmentRow], tuple[str, str] | None]
) -> list[GroupFigure]:
    buckets: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for row in rows:
        group = key(row)
        if group is not None:
            buckets[group].append(row.progress)
    return [
        GroupFigure(
            key=group_key,
            label=label,
            count=len(values),
            percent=progress_method.rounded_percent(progress_method.mean_progress(values)),
        )
        for (group_key, label), values in buckets.items()
    ]


def build_dashboard(plan: Plan, filters: DashboardFilters | None = None) -> Dashboard:
    filters = filters or DashboardFilters()
    summary = plan_summary(plan)
    rows = summary.rows
    matching = [row for row in rows if filters.match(row)]
    by_axis = _groups(
        rows,
        lambda r: (
            (str(r.commitment.axis.number), str(r.commitment.axis)) if r.commitment.axis else None
        ),
    )
    by_institution = _groups(
        rows,
        lambda r: (r.commitment.lead_institution.code, r.commitment.lead_institution.name),
    )
    return Dashboard(
        summary=summary,
        rows=search_rows(plan, matching, filters.q) if filters.q else matching,
        by_level=[LevelFigure(*figure) for figure in summary.level_counts()],
        by_axis=sorted(by_axis, key=lambda g: int(g.key)),
        by_institution=sorted(by_institution, key=lambda g: (-g.count, sort_key(g.label))),
        history=plan_progress_history(plan),
    )


def plan_progress_history(
    plan: Plan, commitments: list[Commitment] | None = None
) -> list[tuple[datetime.date, Decimal]]:
    """The plan's progress at the end of each day on which a validated update took effect,
    with today's activity weights: the stored series (commitments.progress_history), one
    query. ``commitments`` is not read: the series is of the plan's active commitments."""
    days = ProgressDay.objects.filter(plan=plan, axis=None).order_by("day")
    return list(days.values_list("day", "progress"))
