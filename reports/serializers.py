from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from commitments.models import Plan
from ogp_portal.api import JsonTypes, RulesAcrossFields
from ogp_portal.i18n import LANGUAGE_CHOICES

from .models import Report, ReportVersion


class ReportVersionSerializer(serializers.ModelSerializer):
    """A generation of a report: follow ``status`` and ``progress``; ``pdf_url`` once ready."""

    plan = serializers.CharField(source="report.plan.code", read_only=True)
    report: serializers.Field = serializers.PrimaryKeyRelatedField(read_only=True)
    report_title = serializers.CharField(source="report.title", read_only=True)
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    same_data_as: serializers.Field = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    problem = serializers.ChoiceField(
        choices=ReportVersion.Problem.choices,
        read_only=True,
        allow_null=True,
        help_text="What is wrong beside the status, if anything: queued (pending, not sent: "
        "the broker could not be reached; beat sends it once it answers), stalled (running, "
        "but its worker stopped answering: retry it, or beat does within a minute), "
        "file_missing (ready, but the PDF is gone: retry makes a new version).",
    )

    class Meta:
        model = ReportVersion
        fields = [
            "id", "url", "plan", "report", "report_title", "language", "status", "progress",
            "step", "requested_at", "started_at", "finished_at", "data_hash", "same_data_as",
            "pages", "error", "problem", "pdf_url",
        ]  # fmt: skip
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, version: ReportVersion) -> str:
        return self._absolute(reverse("report-detail", args=[version.pk]))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pdf_url(self, version: ReportVersion) -> str | None:
        if version.status != ReportVersion.Status.READY or version.file_missing:
            return None
        return self._absolute(reverse("report-pdf", args=[version.pk]))


@extend_schema_field({"type": "string", "description": "A plan's code; empty is no plan."})
class PlanCodeField(serializers.SlugRelatedField):
    """A plan by its code. Empty is not given, in JSON as in a form (where DRF already reads an
    empty field so); the schema leaves ``minLength`` to the rule across fields."""

    def run_validation(self, data: Any = empty) -> Any:
        if data == "" and not self.required:
            raise SkipField
        return super().run_validation(data)


class ReportGenerationSerializer(JsonTypes, RulesAcrossFields, serializers.Serializer):
    """Start a generation: the plan's latest report, or a given report, in one language."""

    schema_any_of = [
        {"properties": {"plan": {"type": "string", "minLength": 1}}, "required": ["plan"]},
        {"properties": {"report": {"type": "integer"}}, "required": ["report"]},
    ]

    plan = PlanCodeField(slug_field="code", queryset=Plan.objects.all(), required=False)
    report: serializers.Field = serializers.PrimaryKeyRelatedField(
        queryset=Report.objects.all(), required=False
    )
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data.get("plan") and not data.get("report"):
            raise serializers.ValidationError({"plan": ["Give a plan code or a report id."]})
        return data
