"""REST endpoints of the commitments domain. Writes go through the same services and
permission predicates as the pages."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from .filters import ActivityFilter, CommitmentFilter, ProgressUpdateFilter
from .models import Activity, Commitment, Institution, Plan, ProgressUpdate
from .permissions import can_update_activity
from .serializers import (
    ActivitySerializer,
    ActivityWithUpdateSerializer,
    CommitmentSerializer,
    ConflictSerializer,
    InstitutionSerializer,
    PlanSerializer,
    ProgressFileInputSerializer,
    ProgressInputSerializer,
    ProgressUpdateCreateSerializer,
    ProgressUpdateFileCreateSerializer,
    ProgressUpdateSerializer,
    by_media_type,
)
from .services import ActivityChanged, UpdateEntry, progress_update_submit


class CanUpdateActivity(permissions.BasePermission):
    def has_object_permission(self, request: Request, view: Any, obj: Activity) -> bool:
        return request.method in permissions.SAFE_METHODS or can_update_activity(request.user, obj)


def submit(request: Request, entry: UpdateEntry) -> Response:
    """Record an update through the service; errors become 400 (fields) or 409 (conflict).

    A request without ``version`` counts as sending the version this request read: of two
    simultaneous requests, one is recorded and the other gets a 409 with the current values."""
    if entry.expected_version is None:
        entry = replace(entry, expected_version=entry.activity.version)
    try:
        update = progress_update_submit(
            entry=entry,
            author=request.user,  # type: ignore[arg-type]  # IsAuthenticated checked
            source=ProgressUpdate.Source.API,
        )
    except ActivityChanged as conflict:
        current = ActivitySerializer(conflict.activity).data
        return Response(
            {"detail": "The activity changed since you read it.", "current": current},
            status=status.HTTP_409_CONFLICT,
        )
    except DjangoValidationError as error:
        detail = (
            error.message_dict
            if hasattr(error, "error_dict")
            else {"non_field_errors": error.messages}
        )
        raise ValidationError(_api_field_names(detail)) from error
    return Response(
        ProgressUpdateSerializer(update, context={"request": request}).data,
        status=status.HTTP_201_CREATED,
    )


def _api_field_names(detail: dict[str, Any]) -> dict[str, Any]:
    names = {"new_progress": "progress", "narrative": "comment", "evidence": "evidence_file"}
    return {names.get(key, key): value for key, value in detail.items()}


class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Activities; a focal point PATCHes ``progress`` with a ``comment`` to record an update."""

    serializer_class = ActivitySerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, CanUpdateActivity]
    filterset_class = ActivityFilter
    queryset = Activity.objects.select_related("commitment").order_by("commitment", "position")

    @extend_schema(
        request=by_media_type(ProgressInputSerializer, ProgressFileInputSerializer),
        responses={200: ActivityWithUpdateSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        serializer = ProgressFileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = submit(request, serializer.entry(activity))
        if response.status_code == status.HTTP_201_CREATED:
            activity.refresh_from_db()
            data = {**ActivitySerializer(activity).data, "update": response.data}
            return Response(data, status=status.HTTP_200_OK)
        return response


class ProgressUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Progress updates: validated ones are public; the others are seen by the commitment's
    focal points and the secretariat. POST records a new update."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_class = ProgressUpdateFilter

    def get_serializer_class(self) -> type:
        return (
            ProgressUpdateFileCreateSerializer
            if self.action == "create"
            else ProgressUpdateSerializer
        )

    def get_queryset(self) -> QuerySet[ProgressUpdate]:
        return (
            ProgressUpdate.objects.visible_to(self.request.user)
            .select_related("author")
            .prefetch_related("evidence")
        )

    @extend_schema(
        request=by_media_type(ProgressUpdateCreateSerializer, ProgressUpdateFileCreateSerializer),
        responses={201: ProgressUpdateSerializer, 409: ConflictSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ProgressUpdateFileCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = serializer.validated_data["activity"]
        if not can_update_activity(request.user, activity):
            raise PermissionDenied("You are not a current focal point of this commitment.")
        return submit(request, serializer.entry(activity))


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """National action plans with their overall and per-axis progress."""

    serializer_class = PlanSerializer
    lookup_field = "code"
    queryset = Plan.objects.prefetch_related("axes").order_by("-start_date")


class CommitmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Commitments with progress, completion level, last update and activities."""

    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    queryset = (
        Commitment.objects.with_progress_data()
        .select_related("irm_assessment")
        .prefetch_related("supporting_institutions")
        .order_by("plan__start_date", "plan_id", "number")
    )


class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InstitutionSerializer
    lookup_field = "code"
    queryset = Institution.objects.all()
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Institution]:
        return Institution.objects.by_name()
