from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ogp_portal.i18n import CONTENT_LANGUAGES

from .models import AgendaItem, Attendance, Decision, Meeting, Timeline, TimelineStep
from .tables import progress_table


class AttendanceSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="written_organisation", read_only=True)

    class Meta:
        model = Attendance
        fields = ["civility", "name", "organisation", "capacity", "status", "represented_by"]


class TimelineStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimelineStep
        fields = ["position", "title", "starts_on", "ends_on", "precision", "status", "note"]


class TimelineSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.code", default=None, read_only=True, allow_null=True)
    steps = TimelineStepSerializer(many=True, read_only=True)

    class Meta:
        model = Timeline
        fields = ["id", "kind", "title", "plan", "steps"]


class AgendaItemSerializer(serializers.ModelSerializer):
    # An agenda item may follow a timeline, a decision, an activity or a commitment, or none.
    timeline = TimelineSerializer(read_only=True, allow_null=True)
    decision: serializers.Field = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    activity: serializers.Field = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    commitment: serializers.Field = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = AgendaItem
        fields = [
            "position", "kind", "title", "notes", "timeline", "decision", "activity", "commitment"
        ]  # fmt: skip


class DecisionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(
        source="owner.code", default=None, read_only=True, allow_null=True
    )
    commitments = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id", "position", "text", "owner", "owner_detail", "due_date", "status",
            "status_note", "closed_at", "commitments",
        ]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_commitments(self, decision: Decision) -> list[int]:
        return [commitment.number for commitment in decision.commitments.all()]


class ProgressRowSerializer(serializers.Serializer):
    """A row of the table; a frozen one with its texts as they stood at the meeting."""

    commitment = serializers.IntegerField(source="number")
    title = serializers.CharField()
    progress = serializers.DecimalField(max_digits=5, decimal_places=2)
    previous_progress = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    no_progress_since_previous_meeting = serializers.BooleanField(source="no_progress")
    remark = serializers.CharField()
    unfinished_activities = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_unfinished_activities(self, row: Any) -> list[dict[str, Any]]:
        return [
            {"id": item.activity.pk, "title": item.title, "progress": item.progress}
            for item in row.unfinished
        ]


class ProgressTableSerializer(serializers.Serializer):
    frozen = serializers.BooleanField()
    global_progress = serializers.DecimalField(max_digits=5, decimal_places=2)
    compared_with_meeting = serializers.IntegerField(
        source="previous.meeting_id", default=None, allow_null=True
    )
    note = serializers.CharField()
    rows = ProgressRowSerializer(many=True)


class MeetingSerializer(serializers.ModelSerializer):
    """A committee meeting: attendance, agenda, decisions, the progress table (frozen once the
    meeting is held) and the minutes' PDFs."""

    committee = serializers.CharField(source="committee.name", read_only=True)
    committee_kind = serializers.CharField(source="committee.kind", read_only=True)
    plan = serializers.CharField(source="plan.code", read_only=True)
    url = serializers.SerializerMethodField()
    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    progress_table = serializers.SerializerMethodField()
    minutes_pdf = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id", "url", "committee", "committee_kind", "plan", "starts_at", "place", "mode",
            "status", "opening", "minutes_published_at", "attendance", "agenda", "decisions",
            "progress_table", "minutes_pdf",
        ]  # fmt: skip

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, meeting: Meeting) -> str:
        return self._absolute(reverse("meeting-detail", args=[meeting.pk]))

    @extend_schema_field(ProgressTableSerializer)
    def get_progress_table(self, meeting: Meeting) -> dict[str, Any]:
        return ProgressTableSerializer(progress_table(meeting)).data

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_minutes_pdf(self, meeting: Meeting) -> dict[str, str]:
        """The latest generated minutes per language (fr, ar, en) that has one."""
        return {
            code: self._absolute(reverse("meetings:minutes_download", args=[meeting.pk, code]))
            for code in CONTENT_LANGUAGES
            if meeting.minutes.ready().filter(language=code).exists()
        }
