"""Translated fields of committees, then history (after modeltranslation, see commitments)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import (
    AgendaItem,
    Attendance,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    SnapshotRow,
    Timeline,
    TimelineStep,
)


@register(Committee)
class CommitteeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("place", "opening")


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "notes")


@register(Decision)
class DecisionTranslationOptions(TranslationOptions):
    fields = ("text", "status_note")


@register(SnapshotRow)
class SnapshotRowTranslationOptions(TranslationOptions):
    fields = ("remark",)


@register(Timeline)
class TimelineTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(TimelineStep)
class TimelineStepTranslationOptions(TranslationOptions):
    fields = ("title", "note")


register_history(Committee)
register_history(CommitteeMember)
register_history(Meeting)
register_history(AgendaItem)
register_history(Attendance)
register_history(Decision)
register_history(Timeline)
register_history(TimelineStep)
