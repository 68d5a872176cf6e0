"""meetings/: committee meetings, read-only. The public reads those whose minutes are published;
the secretariat and committee members read them all."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import viewsets

from .models import Committee, Meeting
from .serializers import MeetingSerializer


class MeetingFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="plan__code", help_text="Plan code, e.g. PAN-2021-2023.")
    committee = filters.ChoiceFilter(field_name="committee__kind", choices=Committee.Kind.choices)
    status = filters.ChoiceFilter(choices=Meeting.Status.choices)

    class Meta:
        model = Meeting
        fields = ["plan", "committee", "status"]


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self) -> QuerySet[Meeting]:
        queryset = (
            Meeting.objects.visible_to(self.request.user)
            .select_related("committee", "plan")
            .prefetch_related(
                "attendances__institution",
                "agenda_items__timeline__steps",
                "decisions__commitments",
                "decisions__owner",
            )
            .order_by("-starts_at", "pk")
        )
        return queryset
