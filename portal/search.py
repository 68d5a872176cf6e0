"""The site-wide search: commitments, activities, meetings and proposals that a visitor may
see, grouped by kind, each group ranked by ``ogp_portal.search``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cocreation.models import PROPOSAL_SEARCH_FIELDS, Proposal
from commitments.models import Activity, Commitment
from commitments.roles import User
from commitments.search import ACTIVITY_FIELDS, COMMITMENT_FIELDS
from meetings.models import Meeting
from meetings.models.meetings import meeting_search_fields
from ogp_portal.search import MAX_QUERY_LENGTH, Field, Match, match_of

PREVIEW_SIZE = 5  # results of each kind on the page of all kinds
PAGE_SIZE = 20  # results on the page of one kind


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    rows: Callable[[str, User], QuerySet]
    fields: Callable[[], list[Field]]


KINDS = [
    Kind(
        "commitments",
        _("Commitments"),
        lambda q, user: Commitment.objects.active().search(q).select_related("plan"),
        lambda: COMMITMENT_FIELDS,
    ),
    Kind(
        "activities",
        _("Activities"),
        lambda q, user: (
            Activity.objects.filter(commitment__status=Commitment.Status.ACTIVE)
            .search(q)
            .select_related("commitment__plan")
        ),
        lambda: ACTIVITY_FIELDS,
    ),
    Kind(
        "meetings",
        _("Meetings"),
        lambda q, user: Meeting.objects.visible_to(user).search(q).select_related("committee"),
        meeting_search_fields,
    ),
    Kind(
        "proposals",
        _("Proposals"),
        lambda q, user: Proposal.objects.visible_to(user).published().search(q),
        lambda: PROPOSAL_SEARCH_FIELDS,
    ),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the portal"), max_length=MAX_QUERY_LENGTH)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *((kind.key, kind.label) for kind in KINDS)],
    )


@dataclass(frozen=True)
class Result:
    row: Any
    match: Match | None


@dataclass(frozen=True)
class Group:
    kind: Kind
    page: Page
    results: list[Result]

    @property
    def count(self) -> int:
        return self.page.paginator.count


def site_search(query: str, user: User, kind: str = "", page: Any = 1) -> list[Group]:
    """The groups of results: every kind's first few, or the requested page of one kind."""
    groups = []
    for each in KINDS:
        if kind and each.key != kind:
            continue
        paginator = Paginator(each.rows(query, user), PAGE_SIZE if kind else PREVIEW_SIZE)
        current = paginator.get_page(page if kind else 1)
        fields = each.fields()
        results = [Result(row, match_of(row, fields)) for row in current.object_list]
        groups.append(Group(each, current, results))
    return groups
