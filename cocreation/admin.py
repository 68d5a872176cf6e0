from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from ogp_portal.admin import SafeLookupsMixin

from .models import Event, InstitutionAnswer, Process, Proposal, Score, Theme


class ThemeInline(TranslationTabularInline):
    model = Theme
    extra = 0


@admin.register(Process)
class ProcessAdmin(SafeLookupsMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "plan", "accepts_proposals", "is_public"]
    inlines = [ThemeInline]


@admin.register(Event)
class EventAdmin(SafeLookupsMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "process", "date", "online", "participants"]
    list_filter = ["process", "online"]


class AnswerInline(admin.StackedInline):
    model = InstitutionAnswer
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(SafeLookupsMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "process", "source", "moderation", "status", "institution"]
    list_filter = ["process", "source", "moderation", "status", "theme"]
    search_fields = ["title", "description", "author_name", "author_organisation", "email"]
    autocomplete_fields = ["institution"]
    raw_id_fields = ["merged_into", "draft_commitment", "event"]
    exclude = ["sender_hash"]
    inlines = [AnswerInline]


@admin.register(Score)
class ScoreAdmin(SafeLookupsMixin, admin.ModelAdmin):
    list_display = ["proposal", "user", "value", "scored_at"]
