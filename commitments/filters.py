"""django-filter filter sets of the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from ogp_portal.api import IntegerFilter
from ogp_portal.search import MAX_QUERY_LENGTH

from .models import Activity, Commitment, ProgressUpdate
from .progress import CompletionLevel


class CommitmentFilter(django_filters.FilterSet):
    plan = django_filters.CharFilter(
        field_name="plan__code", help_text="Plan code, e.g. PAN-2021-2023"
    )
    axis = IntegerFilter(field_name="axis__number", help_text="Axis number")
    institution = django_filters.CharFilter(
        field_name="lead_institution__code", help_text="Lead institution code"
    )
    status = django_filters.ChoiceFilter(choices=Commitment.Status.choices)
    completion_level = django_filters.ChoiceFilter(
        choices=CompletionLevel.choices, method="filter_completion_level"
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=MAX_QUERY_LENGTH,
        help_text="Words of the title, the challenge, solution or expected results, or the lead "
        "institution, in any language, without regard to case or accents; or the OGP id or the "
        "number. Best matches first; each result says where it was found (matched).",
    )

    class Meta:
        model = Commitment
        fields = ["plan", "axis", "institution", "status", "completion_level", "q"]

    def filter_completion_level(
        self, queryset: QuerySet[Commitment], name: str, value: str
    ) -> QuerySet[Commitment]:
        # The level is computed from the activities, not stored: compute, then keep the matches.
        candidates = Commitment.objects.filter(pk__in=queryset.values("pk")).with_progress_data()
        matching = [c.pk for c in candidates if c.completion_level == value]
        return queryset.filter(pk__in=matching)

    def search(self, queryset: QuerySet[Commitment], name: str, value: str) -> QuerySet[Commitment]:
        return queryset.search(value)  # type: ignore[attr-defined]


class ActivityFilter(django_filters.FilterSet):
    # Plain numbers rather than model choices: an unknown id gives an empty list, not a 400.
    commitment = IntegerFilter(field_name="commitment_id")
    plan = django_filters.CharFilter(field_name="commitment__plan__code")
    q = django_filters.CharFilter(
        method="search",
        max_length=MAX_QUERY_LENGTH,
        help_text="Words of the title or the description, in any language, without regard to "
        "case or accents. Best matches first; each result says where it was found (matched).",
    )

    class Meta:
        model = Activity
        fields = ["commitment", "status", "plan", "q"]

    def search(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        return queryset.search(value)  # type: ignore[attr-defined]


class ProgressUpdateFilter(django_filters.FilterSet):
    activity = IntegerFilter(field_name="activity_id")
    commitment = IntegerFilter(field_name="activity__commitment_id")

    class Meta:
        model = ProgressUpdate
        fields = ["activity", "commitment", "state", "source"]
