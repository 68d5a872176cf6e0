from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from ogp_portal.admin import SafeLookupsMixin
from ogp_portal.i18n import CONTENT_LANGUAGES

from .events import event_choices
from .models import (
    AgendaItem,
    Attendance,
    Committee,
    CommitteeMember,
    Correction,
    Decision,
    Meeting,
    MinutesVersion,
    ProgressSnapshot,
    SnapshotRow,
    Timeline,
    TimelineStep,
)


def in_every_language(*fields: str) -> list[str]:
    """The per-language columns of translated fields, for ``readonly_fields``."""
    return [f"{field}_{code}" for field in fields for code in CONTENT_LANGUAGES]


# What a held meeting recorded, copied when it was held: shown, never edited (a mistake is a
# correction on the meeting page).
DECISION_RECORD = ["status_at_meeting", *in_every_language("status_note_at_meeting", "owner_name")]


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["institution", "user"]
    fields = [
        "civility",
        "name",
        "institution",
        "capacity",
        "role",
        "seat",
        "start_date",
        "end_date",
        "user",
    ]


@admin.register(Committee)
class CommitteeAdmin(SafeLookupsMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MemberInline]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "committee", "role", "seat", "start_date", "end_date"]
    list_filter = ["committee", "role", "seat", "institution__kind"]
    search_fields = ["name", "institution__name", "capacity"]
    autocomplete_fields = ["institution", "user"]


class AgendaItemInline(TranslationStackedInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["activity"]
    raw_id_fields = ["decision"]
    readonly_fields = ["followed_status", *in_every_language("followed_status_note")]


class AttendanceInline(TranslationTabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["institution"]
    raw_id_fields = ["member"]
    readonly_fields = in_every_language("organisation")


class DecisionInline(TranslationStackedInline):
    model = Decision
    extra = 0
    autocomplete_fields = ["owner"]
    filter_horizontal = ["commitments"]
    readonly_fields = DECISION_RECORD


class CorrectionInline(admin.TabularInline):
    """Corrections are added on the meeting page, dated and signed; none is edited."""

    model = Correction
    extra = 0
    fields = ("made_on", "author", "text", "created_at")
    readonly_fields = ("made_on", "author", "text", "created_at")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Meeting)
class MeetingAdmin(SafeLookupsMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["__str__", "plan", "mode", "status", "minutes_published_at"]
    list_filter = ["committee", "plan", "status", "mode"]
    date_hierarchy = "starts_at"
    readonly_fields = ["held_at", "created_by", "created_at"]
    inlines = [AgendaItemInline, AttendanceInline, DecisionInline, CorrectionInline]


@admin.register(Decision)
class DecisionAdmin(SafeLookupsMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["__str__", "meeting", "owner", "due_date", "status"]
    list_filter = ["status", "meeting__committee"]
    search_fields = ["text", "owner_detail"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["commitments"]
    readonly_fields = DECISION_RECORD


class SnapshotRowInline(TranslationTabularInline):
    model = SnapshotRow
    extra = 0
    fields = ["number", "title", "progress", "previous_progress", "no_progress", "remark"]
    readonly_fields = [
        "number",
        *in_every_language("title"),
        "progress",
        "previous_progress",
        "no_progress",
    ]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(SafeLookupsMixin, admin.ModelAdmin):
    """Frozen tables: the figures cannot be edited, only the remarks and the note."""

    list_display = ["meeting", "taken_at", "global_progress"]
    readonly_fields = ["meeting", "taken_at", "global_progress", "previous"]
    inlines = [SnapshotRowInline]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


class TimelineStepForm(forms.ModelForm):
    """The event a step waits for is chosen among those the apps declare (meetings/events.py)."""

    event = forms.ChoiceField(label=_("done when"), required=False)

    class Meta:
        model = TimelineStep
        fields = ["position", "title", "starts_on", "ends_on", "precision", "status", "done_on",
                  "event", "note"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event = self.fields["event"]
        assert isinstance(event, forms.ChoiceField)
        event.choices = [("", "—"), *event_choices()]


class TimelineStepInline(TranslationTabularInline):
    model = TimelineStep
    form = TimelineStepForm
    extra = 1


@admin.register(Timeline)
class TimelineAdmin(SafeLookupsMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "kind", "plan", "is_public"]
    list_filter = ["kind", "plan", "is_public"]
    search_fields = ["title"]
    inlines = [TimelineStepInline]


@admin.register(MinutesVersion)
class MinutesVersionAdmin(SafeLookupsMixin, admin.ModelAdmin):
    """Generated minutes: every version is kept as it was made, so nothing here is editable."""

    list_display = ["meeting", "language", "status", "progress", "requested_at", "pages"]
    list_filter = ["status", "language", "meeting__committee"]
    readonly_fields = [f.name for f in MinutesVersion._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
