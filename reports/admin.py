from django.contrib import admin
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
)


class StageChangeInline(admin.TabularInline):
    model = ReportStageChange
    extra = 0


@admin.register(Report)
class ReportAdmin(SafeLookupsMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "plan", "period_start", "period_end", "stage", "sheet_deadline"]
    list_filter = ["plan", "stage"]
    search_fields = ["title"]
    inlines = [StageChangeInline]


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
