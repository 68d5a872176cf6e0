from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Committee, CommitteeMember


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
class CommitteeAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MemberInline]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "committee", "role", "seat", "start_date", "end_date"]
    list_filter = ["committee", "role", "seat", "institution__kind"]
    search_fields = ["name", "institution__name", "capacity"]
    autocomplete_fields = ["institution", "user"]
