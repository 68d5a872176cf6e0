from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ogp_portal.admin import SafeLookupsMixin

from .models import (
    AssessmentSheet,
    Report,
    ReportComment,
    ReportStageChange,
    ReportVersion,
    SheetActivityNote,
    SheetExemption,
)


class StageChangeInline(admin.TabularInline):
    """The timeline, as it was recorded: steps are taken on the report's page, through
    their gates."""

    model = ReportStageChange
    extra = 0
    can_delete = False
    readonly_fields = ["stage", "changed_at", "changed_by", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(SafeLookupsMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "plan", "period_start", "period_end", "stage", "sheet_deadline"]
    list_filter = ["plan", "stage"]
    search_fields = ["title"]
    inlines = [StageChangeInline]
    # What the workflow's gates decide is not edited here (reports/gates.py).
    readonly_fields = ["stage", "validated_version", "transmitted_on", "transmitted_how"]


@admin.register(ReportVersion)
class ReportVersionAdmin(SafeLookupsMixin, admin.ModelAdmin):
    list_display = [
        "report",
        "language",
        "status",
        "progress",
        "requested_at",
        "pages",
        "data_hash",
    ]
    list_filter = ["status", "language", "report__plan"]
    readonly_fields = [f.name for f in ReportVersion._meta.fields]


@admin.register(ReportComment)
class ReportCommentAdmin(SafeLookupsMixin, admin.ModelAdmin):
    list_display = ["report", "kind", "name", "moderation", "created_at"]
    list_filter = ["kind", "moderation"]
    search_fields = ["body", "name", "organisation"]


class ActivityNoteInline(admin.TabularInline):
    model = SheetActivityNote
    extra = 0


@admin.register(AssessmentSheet)
class AssessmentSheetAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["commitment", "report", "state", "submitted_at", "reviewed_at"]
    list_filter = ["state", "report"]
    inlines = [ActivityNoteInline]
    readonly_fields = ["state"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A locked sheet (``AssessmentSheet.lock_reason``) is read-only here too."""
        if obj is not None and obj.lock_reason:
            return False
        return super().has_change_permission(request, obj)


@admin.register(SheetExemption)
class SheetExemptionAdmin(SafeLookupsMixin, admin.ModelAdmin):
    list_display = ["commitment", "report", "granted_by", "granted_at"]
    list_filter = ["report"]
    readonly_fields = ["report", "commitment", "reason", "granted_by", "granted_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
