"""reports/: POST starts a generation (202 with its URL); GET follows it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
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
from .services import report_default_for, report_generation_request
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
        if not request.user.has_perm("reports.manage"):
            raise PermissionDenied("Only the secretariat generates reports.")
        serializer = ReportGenerationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = serializer.validated_data.get("report") or report_default_for(
            serializer.validated_data["plan"]
        )
        version = report_generation_request(
            report=report,
            language=serializer.validated_data["language"],
            user=request.user,  # type: ignore[arg-type]
        )
        data = ReportVersionSerializer(version, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

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
    def pdf(self, request: Request, pk: str | None = None) -> FileResponse | Response:
        version = self.get_object()
        if version.status != ReportVersion.Status.READY:
            data = ReportVersionSerializer(version, context={"request": request}).data
            return Response(data, status=status.HTTP_409_CONFLICT)
        return pdf_response(version)
