from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from ogp_portal.admin import SafeLookupsMixin
from ogp_portal.i18n import CONTENT_LANGUAGES, translated_field_names

from .models import (
    Activity,
    Axis,
    Commitment,
    Escalation,
    Evidence,
    FocalPointAssignment,
    Institution,
    IrmAssessment,
    Plan,
    ProgressUpdate,
    StalenessReminder,
)
from .progress_history import refresh_plan_series
from .roles import is_secretariat


class RefreshesProgressSeries:
    """An admin change of a commitment or an activity (its weight, status, plan, axis, or the
    activity itself) changes the plan's replayed history: its stored series is rebuilt."""

    def plans_of(self, obj: Any) -> set[int]:
        commitment = getattr(obj, "commitment", obj)
        return {commitment.plan_id}

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        before = form.initial.get("plan") or form.initial.get("commitment")
        plans = self.plans_of(form.instance)
        if before is not None and "commitment" in form.initial:
            plans.add(Commitment.objects.get(pk=before).plan_id)
        elif before is not None:
            plans.add(before)
        for plan_id in plans:
            refresh_plan_series(plan_id)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        plans = self.plans_of(obj)
        super().delete_model(request, obj)  # type: ignore[misc]
        for plan_id in plans:
            refresh_plan_series(plan_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        plans = set().union(*(self.plans_of(obj) for obj in queryset))
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        for plan_id in plans:
            refresh_plan_series(plan_id)


class TranslatedHistoryAdmin(SafeLookupsMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    """Language tabs for translated fields and a "History" button on every object."""


@admin.register(Institution)
class InstitutionAdmin(TranslatedHistoryAdmin):
    list_display = ["name", "acronym", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym", "code"]


class AxisInline(TranslationTabularInline):
    model = Axis
    extra = 0


@admin.register(Plan)
class PlanAdmin(TranslatedHistoryAdmin):
    list_display = ["code", "title", "start_date", "end_date", "status", "is_current"]
    list_filter = ["status", "is_current"]
    search_fields = ["code", "title"]
    inlines = [AxisInline]


@admin.register(Axis)
class AxisAdmin(TranslatedHistoryAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["title"]


class ActivityInline(TranslationTabularInline):
    model = Activity
    extra = 0
    fields = ["position", "title", "weight", "status", "progress", "planned_end"]
    readonly_fields = ["progress"]
    show_change_link = True


class FocalPointAssignmentInline(admin.TabularInline):
    model = FocalPointAssignment
    extra = 0
    autocomplete_fields = ["user", "institution"]


@admin.register(Commitment)
class CommitmentAdmin(RefreshesProgressSeries, TranslatedHistoryAdmin):
    # Short columns (the plan's code, the axis's number, the institution's acronym), so that the
    # title keeps its width, in Arabic too; the filters give the full names.
    list_display = ["number", "title", "plan_code", "axis_number", "lead", "ogp_id", "status"]
    list_display_links = ["number", "title"]
    list_select_related = ["plan", "axis", "lead_institution"]
    list_filter = ["plan", "status", "axis", "lead_institution"]
    search_fields = ["title", "ogp_id", "lead_institution__name", "lead_institution__acronym"]
    autocomplete_fields = ["lead_institution", "supporting_institutions"]
    inlines = [ActivityInline, FocalPointAssignmentInline]
    fieldsets = [
        (None, {"fields": ["plan", "axis", "number", "ogp_id", "title", "status"]}),
        (_("Institutions"), {"fields": ["lead_institution", "supporting_institutions"]}),
        (
            _("OGP values"),
            {
                "fields": [
                    "value_access_to_information",
                    "value_civic_participation",
                    "value_public_accountability",
                    "value_technology_innovation",
                ]
            },
        ),
        (_("Description"), {"fields": ["challenge", "solution", "expected_results", "remarks"]}),
        (_("Dates"), {"fields": ["start_date", "end_date"]}),
        (
            _("Completion level"),
            {"fields": ["completion_override", "completion_override_justification"]},
        ),
    ]

    @admin.display(description=_("action plan"), ordering="plan__code")
    def plan_code(self, commitment: Commitment) -> str:
        return commitment.plan.code

    @admin.display(description=_("axis"), ordering="axis__number")
    def axis_number(self, commitment: Commitment) -> str:
        return str(commitment.axis.number) if commitment.axis else "–"

    @admin.display(description=_("lead institution"), ordering="lead_institution__name")
    def lead(self, commitment: Commitment) -> str:
        institution = commitment.lead_institution
        return institution.acronym or institution.name


@admin.register(IrmAssessment)
class IrmAssessmentAdmin(TranslatedHistoryAdmin):
    """Recorded by the secretariat from the IRM's reports; anyone else on staff only reads."""

    list_display = ["commitment", "report_title", "report_date", "completion", "starred"]
    list_filter = ["commitment__plan", "completion", "starred"]
    list_select_related = ["commitment__plan"]
    search_fields = ["commitment__title", "commitment__ogp_id", "report_title"]
    raw_id_fields = ["commitment"]
    fieldsets = [
        (None, {"fields": ["commitment", "report_title", "report_url", "report_date"]}),
        (
            _("Design of the commitment"),
            {"fields": ["verifiable", *IrmAssessment.RELEVANT_FIELDS, "potential_impact"]},
        ),
        (_("Results"), {"fields": ["completion", "opened_government", "starred", "note"]}),
    ]

    def _may_record(self, request: HttpRequest) -> bool:
        return request.user.has_perm("commitments.record_irm_assessment")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_record(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._may_record(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._may_record(request) and super().has_delete_permission(request, obj)


@admin.register(Activity)
class ActivityAdmin(RefreshesProgressSeries, TranslatedHistoryAdmin):
    list_display = ["title", "commitment", "weight", "status", "progress"]
    list_filter = ["status", "commitment__plan"]
    search_fields = ["title", "commitment__title"]
    readonly_fields = ["progress"]
    raw_id_fields = ["commitment"]


@admin.register(FocalPointAssignment)
class FocalPointAssignmentAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = [
        "user",
        "commitment",
        "role",
        "institution",
        "start_date",
        "end_date",
        "name_published",
    ]
    list_filter = ["role", "commitment__plan", "name_published"]
    search_fields = ["user__username", "user__last_name", "commitment__title"]
    autocomplete_fields = ["user", "institution"]
    raw_id_fields = ["commitment"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SafeLookupsMixin, admin.ModelAdmin):
    """Updates are recorded through the portal's service, never edited: the secretariat may
    only add a missing translation of a text beside it, never change a text written."""

    list_display = [
        "created_at",
        "activity",
        "old_progress",
        "new_progress",
        "state",
        "source",
        "author",
        "reviewed_by",
    ]
    list_filter = ["state", "source", "activity__commitment__plan"]
    search_fields = ["activity__title", "narrative", "source_reference"]
    date_hierarchy = "created_at"
    inlines = [EvidenceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProgressUpdate]:
        return super().get_queryset(request).select_related("activity", "author")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_secretariat(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_readonly_fields(
        self, request: HttpRequest, obj: ProgressUpdate | None = None
    ) -> list[str]:
        """Every field, but the translations still empty."""
        fields = [f.name for f in ProgressUpdate._meta.concrete_fields if f.name != "id"]
        if obj is None:
            return fields
        missing = {
            f"{name}_{code}"
            for name in translated_field_names(ProgressUpdate)
            for code in CONTENT_LANGUAGES
            if not getattr(obj, f"{name}_{code}")
        }
        return [name for name in fields if name not in missing]


@admin.register(StalenessReminder)
class StalenessReminderAdmin(SafeLookupsMixin, admin.ModelAdmin):
    list_display = ["sent_at", "commitment", "recipients", "days_since_update"]
    list_filter = ["commitment__plan"]
    search_fields = ["commitment__title", "recipients"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Escalation)
class EscalationAdmin(SafeLookupsMixin, admin.ModelAdmin):
    """Read-only: written by the weekly escalation task."""

    list_display = ["sent_on", "week", "commitment", "days_since_update", "institution_contact"]
    list_filter = ["commitment__plan", "week"]
    search_fields = ["commitment__title", "institution_contact"]
    date_hierarchy = "sent_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
