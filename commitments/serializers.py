from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ogp_portal.api import JsonTypes, RulesAcrossFields
from ogp_portal.search import Field as SearchField
from ogp_portal.search import match_of

from .irm import assessment_of, irm_comparison
from .models import (
    Activity,
    Commitment,
    Evidence,
    Institution,
    IrmAssessment,
    Plan,
    ProgressUpdate,
)
from .progress import CompletionLevel, mean_progress
from .search import ACTIVITY_FIELDS, COMMITMENT_FIELDS
from .services import EvidenceInput, UpdateEntry
from .summaries import plan_figures
from .validators import validate_evidence_file


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "title", "url", "download_url", "added_at"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, evidence: Evidence) -> str | None:
        """The evidence link, if any (a file is fetched from ``download_url``)."""
        return evidence.url or None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, evidence: Evidence) -> str | None:
        if not evidence.file:
            return None
        path = reverse("commitments:evidence_download", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ProgressUpdateSerializer(serializers.ModelSerializer):
    comment = serializers.CharField(source="narrative", read_only=True)
    author = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "activity",
            "created_at",
            "author",
            "old_progress",
            "new_progress",
            "old_status",
            "new_status",
            "blocked_reason",
            "comment",
            "state",
            "source",
            "source_reference",
            "reviewed_at",
            "review_note",
            "evidence",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, update: ProgressUpdate) -> str | None:
        if update.author is None:
            return None
        return update.author.get_full_name() or update.author.get_username()


class SearchMatchSerializer(serializers.Serializer):
    """Where the ``q`` of a list found the row."""

    field = serializers.CharField(help_text="e.g. title, lead_institution, challenge")
    language = serializers.CharField(allow_null=True, help_text="fr, ar or en; null: untranslated")
    exact = serializers.BooleanField(help_text="The whole field equals the query")


def search_match(row: Any, fields: list[SearchField]) -> dict[str, Any] | None:
    match = match_of(row, fields)
    return match.as_dict() if match else None


class ActivitySerializer(serializers.ModelSerializer):
    matched = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "commitment",
            "position",
            "title",
            "weight",
            "status",
            "blocked_reason",
            "progress",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "version",
            "matched",
        ]
        read_only_fields = fields

    @extend_schema_field(SearchMatchSerializer(allow_null=True))
    def get_matched(self, activity: Activity) -> dict[str, Any] | None:
        return search_match(activity, ACTIVITY_FIELDS)


class ActivityWithUpdateSerializer(ActivitySerializer):
    """The activity after a PATCH, with the update that was recorded."""

    # A field named like ModelSerializer.update(): DRF's metaclass moves declared fields out of
    # the class, so the method is untouched.
    update = ProgressUpdateSerializer(read_only=True)  # type: ignore[assignment]

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "update"]
        read_only_fields = fields


class ConflictSerializer(serializers.Serializer):
    """409: the activity changed since the client read it; ``current`` is its new state."""

    detail = serializers.CharField()
    current = ActivitySerializer()


@extend_schema_field({"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}]})
class OptionalURLField(serializers.CharField):
    """A URL as DRF's URLField checks it, or empty for none. The check runs here rather than as a
    field validator, which drf-spectacular would declare as ``format: uri`` for the empty
    string too."""

    default_error_messages = {"invalid": serializers.URLField.default_error_messages["invalid"]}

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value:
            try:
                URLValidator()(value)
            except DjangoValidationError:
                self.fail("invalid")
        return value


def _status_with_progress(status: str, progress: dict[str, int], **more: Any) -> dict[str, Any]:
    return {"properties": {"status": {"enum": [str(status)]}, "progress": progress, **more}}


class ProgressInputSerializer(JsonTypes, RulesAcrossFields, serializers.Serializer):
    """What a focal point sends to update an activity (PATCH activities/<id>/ or POST updates/),
    as JSON or a form; multipart may add a file (``ProgressFileInputSerializer``)."""

    # Activity.status_errors, for the schema: each status with the progress it allows; without a
    # status, the one that follows from the progress.
    schema_any_of = [
        _status_with_progress(Activity.Status.NOT_STARTED, {"maximum": 0}),
        _status_with_progress(Activity.Status.IN_PROGRESS, {"minimum": 1, "maximum": 99}),
        _status_with_progress(Activity.Status.COMPLETED, {"minimum": 100}),
        {
            **_status_with_progress(
                Activity.Status.BLOCKED, {"maximum": 99}, blocked_reason={"pattern": "\\S"}
            ),
            "required": ["status", "blocked_reason"],
        },
    ]

    progress = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=Activity.Status.choices, required=False)
    blocked_reason = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_url = OptionalURLField(required=False, allow_blank=True, default="")
    evidence_title = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=255
    )
    # Not nullable: a form has no null ("null" would be a string), so leave it out instead.
    version = serializers.IntegerField(
        required=False,
        help_text="The activity's version you read; a newer one answers 409 instead of saving.",
    )

    @property
    def partial(self) -> bool:
        """Never partial: a PATCH of an activity is a whole update (``progress`` at least), and
        the schema says so (drf-spectacular marks the body of any PATCH partial)."""
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        status = data.get("status")
        if status == Activity.Status.BLOCKED and not data["blocked_reason"].strip():
            raise serializers.ValidationError(
                {"blocked_reason": ["Say why the activity is blocked."]}
            )
        if status == Activity.Status.COMPLETED and data["progress"] < 100:
            raise serializers.ValidationError({"status": ["A completed activity is at 100 %."]})
        return data

    def entry(self, activity: Activity) -> UpdateEntry:
        data = self.validated_data
        evidence = []
        file = data.get("evidence_file")
        if data["evidence_url"] or file:
            evidence.append(
                EvidenceInput(title=data["evidence_title"], url=data["evidence_url"], file=file)
            )
        return UpdateEntry(
            activity=activity,
            progress=data["progress"],
            narrative=data["comment"],
            status=data.get("status"),
            blocked_reason=data["blocked_reason"],
            evidence=evidence,
            expected_version=data.get("version"),
        )


class ProgressFileInputSerializer(ProgressInputSerializer):
    """The same with a file of evidence, which only multipart carries. The API validates every
    request with it; the schema shows it for multipart, and the other for JSON and forms."""

    # Not nullable either: in multipart, a null would be a file holding "null".
    evidence_file = serializers.FileField(required=False)

    def validate_evidence_file(self, file: Any) -> Any:
        if file is not None:
            try:
                validate_evidence_file(file)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from error
        return file


class ProgressUpdateCreateSerializer(ProgressInputSerializer):
    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all())


class ProgressUpdateFileCreateSerializer(ProgressFileInputSerializer):
    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all())


def by_media_type(plain: type, with_file: type) -> dict[str, type]:
    """The request body of a write that may carry a file: only multipart can."""
    return {
        "application/json": plain,
        "application/x-www-form-urlencoded": plain,
        "multipart/form-data": with_file,
    }


class InstitutionSerializer(serializers.ModelSerializer):
    website = serializers.SerializerMethodField()

    class Meta:
        model = Institution
        fields = ["code", "name", "acronym", "kind", "website"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_website(self, institution: Institution) -> str | None:
        return institution.website or None


class ActivitySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["id", "position", "title", "weight", "status", "blocked_reason", "progress"]


OGP_VALUE_KEYS = [name.removeprefix("value_") for name in Commitment.OGP_VALUE_FIELDS]


class IrmDifferenceSerializer(serializers.Serializer):
    """A criterion on which the self-assessment and the IRM differ."""

    criterion = serializers.ChoiceField(choices=["completion", "ogp_values"])
    self_assessment = serializers.CharField()
    irm = serializers.CharField()
    sentence = serializers.CharField()


class IrmAssessmentSerializer(serializers.ModelSerializer):
    """The IRM's assessment of the commitment, and where the self-assessment differs from it."""

    report_url = serializers.SerializerMethodField()
    relevant_values = serializers.ListField(
        child=serializers.ChoiceField(choices=OGP_VALUE_KEYS), read_only=True
    )
    differences = serializers.SerializerMethodField()

    class Meta:
        model = IrmAssessment
        fields = [
            "report_title",
            "report_url",
            "report_date",
            "verifiable",
            "relevant_values",
            "potential_impact",
            "completion",
            "opened_government",
            "starred",
            "note",
            "differences",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_report_url(self, assessment: IrmAssessment) -> str | None:
        return assessment.report_url or None

    @extend_schema_field(IrmDifferenceSerializer(many=True))
    def get_differences(self, assessment: IrmAssessment) -> list[dict[str, str]]:
        comparison = irm_comparison(assessment.commitment)
        rows = comparison.differences if comparison else []
        return [
            {
                "criterion": row.criterion,
                "self_assessment": row.self_assessment,
                "irm": row.irm,
                "sentence": row.sentence,
            }
            for row in rows
        ]


class CommitmentSerializer(serializers.ModelSerializer):
    """A commitment with its computed figures (see the methodology page) and its activities."""

    plan: serializers.Field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    axis = serializers.IntegerField(source="axis.number", read_only=True, allow_null=True)
    axis_title = serializers.CharField(source="axis.title", read_only=True, allow_null=True)
    lead_institution: serializers.Field = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    lead_institution_name = serializers.CharField(source="lead_institution.name", read_only=True)
    supporting_institutions: serializers.Field = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    ogp_values = serializers.ListField(child=serializers.CharField(), read_only=True)
    progress = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, read_only=True
    )
    completion_level = serializers.ChoiceField(choices=CompletionLevel.choices, read_only=True)
    computed_completion_level = serializers.ChoiceField(
        choices=CompletionLevel.choices, read_only=True
    )
    last_update = serializers.DateTimeField(
        source="last_update_at", read_only=True, allow_null=True
    )
    days_since_update = serializers.SerializerMethodField()
    is_stale = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    activities = ActivitySummarySerializer(many=True, read_only=True)
    irm_assessment = serializers.SerializerMethodField()
    matched = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "plan",
            "number",
            "ogp_id",
            "title",
            "axis",
            "axis_title",
            "lead_institution",
            "lead_institution_name",
            "supporting_institutions",
            "ogp_values",
            "challenge",
            "solution",
            "expected_results",
            "remarks",
            "status",
            "start_date",
            "end_date",
            "progress",
            "completion_level",
            "computed_completion_level",
            "completion_override_justification",
            "last_update",
            "days_since_update",
            "is_stale",
            "url",
            "activities",
            "irm_assessment",
            "matched",
        ]
        read_only_fields = fields

    @extend_schema_field(IrmAssessmentSerializer(allow_null=True))
    def get_irm_assessment(self, commitment: Commitment) -> dict[str, Any] | None:
        """Null when no IRM assessment is recorded for the commitment."""
        assessment = assessment_of(commitment)
        return (
            IrmAssessmentSerializer(assessment, context=self.context).data if assessment else None
        )

    @extend_schema_field(SearchMatchSerializer(allow_null=True))
    def get_matched(self, commitment: Commitment) -> dict[str, Any] | None:
        return search_match(commitment, COMMITMENT_FIELDS)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_since_update(self, commitment: Commitment) -> int | None:
        return commitment.days_since_update()

    def get_is_stale(self, commitment: Commitment) -> bool:
        return commitment.is_stale()

    def get_url(self, commitment: Commitment) -> str:
        request = self.context.get("request")
        path = commitment.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class AxisSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    progress = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    commitments = serializers.IntegerField()


class PlanSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    commitments = serializers.SerializerMethodField()
    axes = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "code",
            "title",
            "description",
            "start_date",
            "end_date",
            "status",
            "is_current",
            "progress",
            "commitments",
            "axes",
            "updates_need_validation",
            "staleness_threshold_days",
            "consultation_min_days",
            "limited_threshold",
            "substantial_threshold",
            "complete_threshold",
        ]
        read_only_fields = fields

    def _rows(self, plan: Plan) -> list:
        cache = self.context.setdefault("plan_rows", {})
        if plan.pk not in cache:
            cache[plan.pk] = plan_figures(plan).rows
        return cache[plan.pk]

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_progress(self, plan: Plan) -> float:
        return float(mean_progress(row.progress for row in self._rows(plan)))

    def get_commitments(self, plan: Plan) -> int:
        return len(self._rows(plan))

    @extend_schema_field(AxisSummarySerializer(many=True))
    def get_axes(self, plan: Plan) -> list[dict[str, Any]]:
        rows = self._rows(plan)
        return [
            {
                "number": axis.number,
                "title": axis.title,
                "progress": mean_progress(r.progress for r in rows if r.axis_id == axis.pk),
                "commitments": sum(r.axis_id == axis.pk for r in rows),
            }
            for axis in plan.axes.all()
        ]
