"""reports/: POST starts a generation (202 with its URL); GET follows it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from ogp_portal.api import IntegerFilter

from .models import ReportVersion
from .serializers import ReportGenerationSerializer, ReportVersionSerializer
from .services import report_default_for, report_generation_request, report_version_retry
from .views.public import pdf_response


class ReportVersionFilter(filters.FilterSet):
    # A number rather than a choice of the reports: an unknown id gives an empty list, not a 400.
    report = IntegerFilter(field_name="report_id", help_text="The report's id.")

    class Meta:
        model = ReportVersion
        fields = ["language", "status", "report"]


class ReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Generated versions of the self-assessment reports, as ``ReportVersion.objects.visible_to``
    scopes them: the public sees those of reports under consultation or published, committee
    members those of reports past the draft; the secretariat sees and starts all of them."""

    serializer_class = ReportVersionSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_class = ReportVersionFilter

    def get_queryset(self) -> QuerySet[ReportVersion]:
        return ReportVersion.objects.visible_to(self.request.user).select_related("report__plan")

    @extend_schema(
        request=ReportGenerationSerializer,
        responses={202: ReportVersionSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._check_manager(request)
        serializer = ReportGenerationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = serializer.validated_data.get("report") or report_default_for(
            serializer.validated_data["plan"]
        )
        version, _created = report_generation_request(
            report=report,
            language=serializer.validated_data["language"],
            user=request.user,  # type: ignore[arg-type]
        )
        return self._accepted(request, version)

    @extend_schema(
        request=None,
        responses={
            202: ReportVersionSerializer,
            409: OpenApiResponse(
                description="Nothing to ask again: the version is waiting, running, or ready "
                "with its file."
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="retry", url_name="retry")
    def retry(self, request: Request, pk: str | None = None) -> Response:
        """Ask again for a failed or stalled generation, or for a version whose file is missing
        (then a new version is made): 202 with the version to follow."""
        self._check_manager(request)
        version = self.get_object()
        try:
            followed = report_version_retry(version=version, user=request.user)  # type: ignore[arg-type]
        except DjangoValidationError as error:
            # The version's state, not the request, is what stands in the way.
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        return self._accepted(request, followed)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(description="The PDF."),
            409: OpenApiResponse(
                ReportVersionSerializer,
                description="No PDF yet (pending, running or failed): the version as it stands.",
            ),
        }
    )
    @action(detail=True, methods=["get"], url_path="pdf", url_name="pdf")
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        version = self.get_object()
        if version.status != ReportVersion.Status.READY:
            data = ReportVersionSerializer(version, context={"request": request}).data
            return Response(data, status=status.HTTP_409_CONFLICT)
        return pdf_response(request, version)

    def _check_manager(self, request: Request) -> None:
        if not request.user.has_perm("reports.manage"):
            raise PermissionDenied("Only the secretariat generates reports.")

    def _accepted(self, request: Request, version: ReportVersion) -> Response:
        """202 with the version to follow, its URL also in ``Location``."""
        data = ReportVersionSerializer(version, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})
