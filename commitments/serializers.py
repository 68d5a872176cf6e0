from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from .models import Activity, Evidence, ProgressUpdate
from .services import EvidenceInput, UpdateEntry
from .validators import validate_evidence_file


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "title", "url", "download_url", "added_at"]

    def get_download_url(self, evidence: Evidence) -> str | None:
        if not evidence.file:
            return None
        from django.urls import reverse

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

    def get_author(self, update: ProgressUpdate) -> str | None:
        if update.author is None:
            return None
        return update.author.get_full_name() or update.author.get_username()


class ActivitySerializer(serializers.ModelSerializer):
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
        ]
        read_only_fields = fields


class ProgressInputSerializer(serializers.Serializer):
    """What a focal point sends to update an activity (PATCH activities/<id>/ or POST updates/)."""

    progress = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=Activity.Status.choices, required=False)
    blocked_reason = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
    evidence_title = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=255
    )
    evidence_file = serializers.FileField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The activity's version you read; a newer one answers 409 instead of saving.",
    )

    def validate_evidence_file(self, file: Any) -> Any:
        if file is not None:
            try:
                validate_evidence_file(file)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from error
        return file

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
        if data["evidence_url"] or data["evidence_file"]:
            evidence.append(
                EvidenceInput(
                    title=data["evidence_title"],
                    url=data["evidence_url"],
                    file=data["evidence_file"],
                )
            )
        return UpdateEntry(
            activity=activity,
            progress=data["progress"],
            narrative=data["comment"],
            status=data.get("status"),
            blocked_reason=data["blocked_reason"],
            evidence=evidence,
            expected_version=data["version"],
        )


class ProgressUpdateCreateSerializer(ProgressInputSerializer):
    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all())
